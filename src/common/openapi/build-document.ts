// Builds the OpenAPI document served at /openapi.json (and committed as docs/openapi.json), and the
// configuration of the reference page at /docs.
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { readIfMatch } from '../http/if-match.decorator.js';
import { nullableRefs } from '../http/openapi-nulls.js';
import { finishDocument } from './finish-document.js';

export const operationId = (controller: string, method: string) => `${controller.replace(/Controller$/, '')}_${method}`;

export function buildOpenApi(app: NestFastifyApplication, serverUrl = '/'): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Berth API')
    .setDescription(
      'A Heroku-like platform API on Kubernetes: teams, apps, environments and immutable releases. ' +
        'Every request carries `Authorization: Bearer berth_…`. Errors are RFC 9457 problem documents (`application/problem+json`). ' +
        'Lists are cursor-paginated (`limit` ≤ 100, `next_cursor`, `Link: rel="next"`). ' +
        'Answers carry `ETag`; updates honour `If-Match`; changes honour `Idempotency-Key`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A Berth API token (berth_…), opaque' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  return finishDocument(nullableRefs(document), { ifMatchOperations: ifMatchOperations(app), serverUrl });
}

/** operationIds of the handlers that read If-Match (a parameter decorated with @IfMatch()). */
export function ifMatchOperations(app: NestFastifyApplication): Set<string> {
  const found = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      for (const method of Object.getOwnPropertyNames(type.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, method) ?? {}) as Record<string, { factory?: unknown }>;
        if (Object.values(args).some((arg) => arg.factory === readIfMatch)) found.add(operationId(type.name, method));
      }
    }
  }
  return found;
}

/** Scalar's configuration for /docs: titled Berth, the server and the bearer scheme preselected. */
export function docsConfiguration(serverUrl = '/') {
  return {
    url: '/openapi.json',
    pageTitle: 'Berth API',
    title: 'Berth API',
    servers: [{ url: serverUrl, description: 'This Berth' }],
    authentication: { preferredSecurityScheme: 'bearer', securitySchemes: { bearer: { token: '' } } },
  };
}
