// GraphQL enums from the same closed sets REST documents (`enum` in OpenAPI). Names follow GraphQL
// convention (ROLLING_OUT); the values resolvers and services see stay REST's ('rolling_out'), so
// services and shared input classes need no translation.
import { registerEnumType } from '@nestjs/graphql';

export type GraphqlEnum<V extends string> = Record<string, V>;

export function graphqlEnum<V extends string>(name: string, values: readonly V[], description: string): GraphqlEnum<V> {
  const enumObject = Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as GraphqlEnum<V>;
  registerEnumType(enumObject, { name, description });
  return enumObject;
}
