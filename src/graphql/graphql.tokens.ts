export const GRAPHQL_LIMITS = Symbol('GRAPHQL_LIMITS');
