// Timestamps over GraphQL: RFC 3339 date-times (graphql-scalars' DateTime), so clients get a typed
// value instead of a String they must know to parse. Services hand over ISO strings, as for REST.
import { GraphQLDateTime } from 'graphql-scalars';

export const DateTimeScalar = GraphQLDateTime;
