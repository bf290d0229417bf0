import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** Documents a cursor-paginated list of `model`. */
export function ApiPage(model: Type<unknown>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description: 'One page; follow next_cursor (or the Link header) for the next',
      headers: { Link: { description: 'rel="next" link when there is a next page', schema: { type: 'string' } } },
      schema: {
        type: 'object',
        required: ['items', 'next_cursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          next_cursor: { type: 'string', nullable: true },
        },
      },
    }),
  );
}
