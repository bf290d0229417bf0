// The process sizes as a GraphQL enum (the catalogue REST validates against with IsIn).
import { graphqlEnum } from '../../../graphql/scalars/enum.js';
import { SIZE_NAMES } from '../sizes.catalogue.js';

export const SizeNameEnum = graphqlEnum('SizeName', SIZE_NAMES, 'A size from the catalogue (query sizes): SMALL, MEDIUM, LARGE or XLARGE');
