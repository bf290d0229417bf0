// Property-based fuzzing of both transports, driven by the committed documents (#12 item 4):
// every REST operation of docs/openapi.json with generated path, query and body values (valid-looking,
// null, wrong types, NUL characters, long and odd strings), every GraphQL root field of
// docs/schema.graphql with generated arguments. Properties: no answer ≥ 500 (no INTERNAL_ERROR over
// GraphQL), and every answer matches the schema its document declares for that status (problem+json
// for errors). Runs with a fixed seed and with a random one it prints, a bounded number of runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType, type GraphQLField } from 'graphql';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { newEnvironment, type TestEnvironment } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  example?: unknown;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  produces?: string[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const openapi = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as OpenApi;
const gqlSchema = buildSchema(readFileSync(new URL('../../docs/schema.graphql', import.meta.url), 'utf8'));

const FIXED_SEED = 20261201;
/** BERTH_FUZZ_SURVEY=1 lists every distinct finding instead of stopping at the first (for fixing). */
const SURVEY = process.env.BERTH_FUZZ_SURVEY === '1';
const survey = new Set<string>();
const RANDOM_SEED = Number(process.env.BERTH_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.BERTH_FUZZ_RUNS ?? 250);

/** OpenAPI 3.0 `nullable` → JSON Schema for ajv; $ref into components. */
function toJsonSchema(schema: Schema): Record<string, unknown> {
  const convert = (s: Schema): Record<string, unknown> => {
    if (s.$ref) return { $ref: s.$ref.replace('#/components/schemas/', '#/definitions/') };
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(s)) {
      if (key === 'nullable' || key === 'example' || key === 'description' || key === 'format' || key === 'default' || key.startsWith('x-')) continue;
      if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, convert(v)]));
      else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = convert(value as Schema);
      else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') out[key] = (value as Schema[]).map(convert);
      else out[key] = value;
    }
    if (s.nullable) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      else if (out.enum) {
        /* the enum itself must list null (OpenAPI 3.0.3) */
      } else return { anyOf: [out, { type: 'null' }] };
    }
    return out;
  };
  return { ...convert(schema), definitions: Object.fromEntries(Object.entries(openapi.components.schemas).map(([k, v]) => [k, convert(v)])) };
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validators = new Map<Schema, ValidateFunction>();
function validatorFor(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(toJsonSchema(schema))));
  return validate;
}

const PROBLEM_SCHEMA: Schema = { type: 'object', required: ['type', 'title', 'status', 'detail', 'instance', 'code'], properties: { status: { type: 'integer', minimum: 400, maximum: 599 } } };

const resolve = (s: Schema): Schema => (s.$ref ? resolve(openapi.components.schemas[s.$ref.split('/').pop()!]!) : s);

/** Odd strings: NUL, unicode, long, path tricks, SQL-ish, empty. */
const oddString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', 'a\u0000b', '\u0000', '../..', '%', '%00', 'ü🚀', "'; DROP TABLE teams; --", 'x'.repeat(300), '00000000-0000-0000-0000-000000000000', 'web', 'registry.example.com/x/y:1', 'a.example.com', 'staging'),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant(-1), fc.constant(2 ** 53));

/** A value for a schema: mostly well-typed (to get past validation), sometimes odd. */
function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (depth > 4) return fc.constant(null);
  const typed = ((): fc.Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum);
    // The document's own example is the likeliest value to pass validation and reach the database.
    if (s.example !== undefined && s.type !== 'object' && s.type !== 'array') return fc.oneof({ weight: 3, arbitrary: fc.constant(s.example) }, { weight: 1, arbitrary: fc.nat({ max: 1e6 }).map((n) => (typeof s.example === 'string' ? `${s.example}-${n}` : s.example)) });
    if (s.allOf?.length) return valueFor(s.allOf[0]!, depth);
    switch (s.type) {
      case 'integer':
        return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 100_000) });
      case 'number':
        return fc.double({ min: -10, max: 1000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(valueFor(s.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object': {
        const props = Object.entries(s.properties ?? {});
        if (!props.length) return fc.dictionary(fc.constantFrom('A', 'B_C', 'x'), fc.oneof(oddString, fc.constant(null)), { maxKeys: 2 });
        return fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(v, depth + 1)])), { requiredKeys: s.required ?? [] });
      }
      default:
        return oddString;
    }
  })();
  return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: oddValue });
}

let app: TestApp;
let env: TestEnvironment;
/** What DELETE operations get by default, so that the fixtures the other operations use survive. */
let victim: TestEnvironment;

beforeAll(async () => {
  app = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false', BERTH_RATE_LIMIT_ENABLED: 'false' } });
  await WorkQueueService.migrate(app.databaseUrl);
  env = await newEnvironment(app);
  victim = await newEnvironment(app);
}, 60_000);

afterAll(async () => {
  if (SURVEY) console.log([...survey].sort().join('\n'));
  await app.close();
});

const SKIP = new Set(['/v1/apps/{app}/environments/{env}/logs']); // a stream: covered by the logs tests

function restOperations(): Array<{ method: string; path: string; op: Operation }> {
  const out: Array<{ method: string; path: string; op: Operation }> = [];
  for (const [path, ops] of Object.entries(openapi.paths)) {
    if (SKIP.has(path) || !path.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries(ops)) out.push({ method: method.toUpperCase(), path, op });
  }
  return out;
}

async function restProperty(seed: number): Promise<void> {
  const operations = restOperations();
  const known = (method: string) => {
    const e = method === 'DELETE' ? victim : env;
    return { app: e.app.name, env: e.name, team: e.app.team.name };
  };
  const request = fc.record({
    index: fc.nat({ max: operations.length - 1 }),
    pathValues: fc.dictionary(fc.constantFrom('app', 'env', 'team', 'cluster', 'user', 'token', 'type', 'hostname', 'registry', 'number', 'seq'), fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: oddString })),
    query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'team', 'app', 'action', 'since', 'until', 'previous', 'follow', 'tail'), fc.oneof(oddString, fc.integer().map(String)), { maxKeys: 3 }),
    asAdmin: fc.boolean(),
    body: fc.nat(),
  });
  await fc.assert(
    fc.asyncProperty(request, fc.context(), async (r, ctx) => {
      const { method, path, op } = operations[r.index]!;
      const values: Record<string, unknown> = { ...known(method), ...Object.fromEntries(Object.entries(r.pathValues).filter(([, v]) => v !== undefined)) };
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? 'nothing')));
      const query = new URLSearchParams(Object.entries(r.query).filter(([k]) => op.parameters?.some((p) => p.in === 'query' && p.name === k))).toString();
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const body = bodySchema ? fc.sample(valueFor(bodySchema), { seed: r.body, numRuns: 1 })[0] : undefined;
      const client = r.asAdmin ? app.admin : env.app.team.owner.client;
      const res = await client.request(method, url + (query ? `?${query}` : ''), body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      ctx.log(`${method} ${url}?${query} ${JSON.stringify(body)?.slice(0, 400)} → ${res.status} ${res.text.slice(0, 400)}`);
      if (res.status >= 500) {
        if (!SURVEY) return false;
        survey.add(`${method} ${path} ${res.status} ${res.text.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 200)}`);
        return true;
      }
      if (res.status >= 400) return validatorFor(PROBLEM_SCHEMA)(res.body) && /problem\+json/.test(res.headers.get('content-type') ?? '');
      if (SURVEY) survey.add(`status ${method} ${path} ${res.status}`);
      if (!op.responses[String(res.status)]) {
        // A success the document does not declare for this operation.
        if (!SURVEY) return false;
        survey.add(`undeclared ${method} ${path} ${res.status}`);
        return true;
      }
      const declared = op.responses[String(res.status)]?.content?.['application/json']?.schema;
      if (!declared || !res.text) return true;
      const validate = validatorFor(declared);
      if (!validate(res.body)) {
        ctx.log(`schema: ${JSON.stringify(validate.errors)}`);
        if (SURVEY) {
          for (const e of validate.errors ?? []) survey.add(`${method} ${path} ${res.status} ${e.instancePath} ${e.message}`);
          return true;
        }
        return false;
      }
      return true;
    }),
    { seed, numRuns: RUNS, endOnFailure: true },
  );
}

/** A GraphQL literal for an input type (valid-looking mostly). */
function graphqlValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<string> {
  if (isNonNullType(type)) return graphqlValue(type.ofType, depth);
  if (isListType(type)) return fc.array(graphqlValue(type.ofType, depth + 1), { maxLength: 2 }).map((items) => `[${items.join(', ')}]`);
  const named = getNamedType(type);
  const nullable = fc.constant('null');
  if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
  if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant('{}');
    const fields = Object.values(named.getFields());
    // Each field: left out, an explicit null, or a value; a required one mostly a value, so that a
    // mutation's input (its references and its change in one object) reaches the service often.
    const field = (f: (typeof fields)[number]) => {
      const value = graphqlValue(f.type, depth + 1).map((v) => `${f.name}: ${v}`);
      if (isNonNullType(f.type)) return fc.oneof({ arbitrary: value, weight: 9 }, { arbitrary: fc.constant(`${f.name}: null`), weight: 1 });
      return fc.oneof(fc.constant(''), fc.constant(`${f.name}: null`), value);
    };
    return fc.tuple(...fields.map(field)).map((parts) => `{ ${parts.filter(Boolean).join(', ')} }`);
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 2147483647, -2147483648)).map(String);
      case 'Float':
        return fc.double({ min: -5, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((n) => String(Number.isInteger(n) ? n : n.toFixed(3)));
      case 'Boolean':
        return fc.boolean().map(String);
      case 'JSON':
        return fc.oneof(fc.constant('{}'), fc.constant('{ a: "b" }'), fc.constant('"x"'), nullable);
      default:
        return fc.oneof(oddString, fc.constantFrom(env.app.name, env.name, env.app.team.name)).map((s) => JSON.stringify(s));
    }
  }
  return nullable;
}

async function graphqlProperty(seed: number): Promise<void> {
  const fields: Array<{ kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> = [
    ...Object.values(gqlSchema.getQueryType()!.getFields()).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(gqlSchema.getMutationType()!.getFields()).map((field) => ({ kind: 'mutation' as const, field })),
  ];
  const operation = fc.nat({ max: fields.length - 1 }).chain((i) => {
    const { kind, field } = fields[i]!;
    const args = field.args.map((a) => fc.option(graphqlValue(a.type), { nil: undefined, freq: 4 }).map((v) => (v === undefined ? (isNonNullType(a.type) ? `${a.name}: null` : '') : `${a.name}: ${v}`)));
    const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
    return fc.tuple(fc.constant(kind), fc.constant(field.name), args.length ? fc.tuple(...args) : fc.constant([] as string[]), fc.constant(selection));
  });
  await fc.assert(
    fc.asyncProperty(operation, fc.boolean(), fc.context(), async ([kind, name, args, selection], asAdmin, ctx) => {
      const argText = args.filter(Boolean).join(', ');
      const query = `${kind} { ${name}${argText ? `(${argText})` : ''}${selection} }`;
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${asAdmin ? app.adminToken : env.app.team.owner.token}` },
        body: JSON.stringify({ query }),
      });
      const text = await response.text();
      ctx.log(`${query} → ${response.status} ${text.slice(0, 400)}`);
      return response.status < 500 && !/INTERNAL_ERROR|INTERNAL_SERVER_ERROR/.test(text);
    }),
    { seed, numRuns: RUNS, endOnFailure: true },
  );
}

describe('fuzzing the documented API', () => {
  it(`REST: no 5xx, every answer as documented (seed ${FIXED_SEED})`, async () => {
    await restProperty(FIXED_SEED);
  }, 60_000);

  it(`REST with a random seed (BERTH_FUZZ_SEED=${RANDOM_SEED} reproduces it)`, async () => {
    console.log(`fuzz: random seed ${RANDOM_SEED} (set BERTH_FUZZ_SEED to replay)`);
    await restProperty(RANDOM_SEED);
  }, 60_000);

  it(`GraphQL: no INTERNAL_ERROR for any root field's arguments (seed ${FIXED_SEED})`, async () => {
    await graphqlProperty(FIXED_SEED);
  }, 60_000);

  it(`GraphQL with the random seed (${RANDOM_SEED})`, async () => {
    await graphqlProperty(RANDOM_SEED);
  }, 60_000);

  it('explicit null in every documented optional field: 422 naming it, or accepted where the document says nullable', async () => {
    const seen: string[] = [];
    for (const { method, path, op } of restOperations()) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (!schema || !['POST', 'PATCH', 'PUT'].includes(method)) continue;
      const resolved = resolve(schema);
      for (const [name, property] of Object.entries(resolved.properties ?? {})) {
        if (resolved.required?.includes(name)) continue;
        const url = path.replace(/\{(\w+)\}/g, (_m, p: string) => ({ app: env.app.name, env: env.name, team: env.app.team.name })[p] ?? 'nothing');
        const res = await app.admin.request(method, url, { body: JSON.stringify({ [name]: null }), headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        seen.push(`${method} ${path} ${name} → ${res.status}`);
        expect({ where: `${method} ${path} ${name}`, status: res.status < 500 }).toEqual({ where: `${method} ${path} ${name}`, status: true });
        const nullable = property.nullable === true || resolve(property).nullable === true || property.anyOf?.some((a) => a.nullable) === true;
        if (!nullable) {
          // Refused before anything else is looked at, naming the field.
          expect({ where: `${method} ${path} ${name}`, status: res.status }).toEqual({ where: `${method} ${path} ${name}`, status: 422 });
          const params = (res.body as { invalid_params?: Array<{ name: string }> }).invalid_params ?? [];
          expect(params.map((p) => p.name)).toContain(name);
        }
      }
    }
    expect(seen.length).toBeGreaterThan(10);
  }, 60_000);
});
