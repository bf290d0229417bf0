// OpenAPI 3.0 cannot say "this $ref or null" with `nullable` next to `allOf` (the 3.0.3
// clarification: nullable only widens the schema's own `type`; the referenced schema still refuses
// null), which is what Nest writes for `@ApiProperty({ type: Model, nullable: true })`. Strict
// readers then conclude the field is never null while answers carry null. This rewrites each such
// property to `anyOf: [{ $ref }, { type: 'object', nullable: true, enum: [null] }]` (a `nullable`
// needs a `type` beside it), which says exactly that, and
// adds null to nullable enums.
import type { OpenAPIObject } from '@nestjs/swagger';

type Node = Record<string, unknown>;

function rewrite(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(rewrite);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Node;
  const allOf = schema.allOf as Node[] | undefined;
  if (schema.nullable === true && Array.isArray(allOf) && allOf.length === 1 && typeof allOf[0]?.$ref === 'string') {
    delete schema.nullable;
    delete schema.allOf;
    delete schema.type;
    schema.anyOf = [allOf[0], { type: 'object', nullable: true, enum: [null] }];
  }
  // Likewise an enum must list null itself for null to be one of its values.
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  for (const value of Object.values(schema)) rewrite(value);
}

export function nullableRefs(document: OpenAPIObject): OpenAPIObject {
  rewrite(document);
  return document;
}
