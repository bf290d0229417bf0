// The GraphQL schema as a contract: built from the code (as `npm run graphql:schema` does, no
// database needed), it must not break docs/schema.graphql — the committed schema clients generate
// from — without that file being regenerated in the same change (graphql-inspector's diff), and it
// must pass graphql-eslint's recommended schema rules.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import { ESLint, type Linter } from 'eslint';
import { buildSchema, getNamedType, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { loadConfig } from '../../src/config/config.js';
import { schemaSdl } from '../../src/graphql/schema-sdl.js';
import { createServer } from '../../src/server.js';
import { GraphQLSchemaHost } from '@nestjs/graphql';

/** Object types that are values inside an entity, not entities: they need no id. */
const VALUE_TYPES = [
  'AuditActor', 'AuditSignedHead', 'AuditTarget', 'AuditVerifyResult', 'Autoscaling', 'ClusterHealth', 'ConfigVars', 'ConfigVarsUpdate',
  'CurrentUser', 'DrainResult', 'DriftEvent', 'Formation', 'LogLine', 'MembershipSummary', 'PageInfo', 'ProcessType', 'ProcessTypeSnapshot',
  'Quota', 'QuotaLimits', 'QuotaUsage', 'ReleaseStatus', 'Size', 'SyncStatus',
  'EnvironmentLiveStatus', 'ProcessStatus', 'PodSummary',
];

/**
 * Findings not fixed yet, each with its reason (#14). The test fails on any finding not listed here
 * and on any entry that no longer occurs, so the list can only shrink.
 */
const KNOWN_FINDINGS: Record<string, string> = {
  'naming-convention ProcessType': '"process type" is the domain\'s word (Heroku\'s), not a "Type" suffix',
};

/** require-description: every type, field, argument, input and mutation has one. */

let code: GraphQLSchema;
let sdl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', BERTH_WORKERS_ENABLED: 'false' });
  const server = await createServer({ config, databaseUrl: 'postgresql://unused@127.0.0.1:1/unused', encryptionKeys: [Buffer.alloc(32).toString('base64')] });
  code = server.app.get(GraphQLSchemaHost).schema;
  sdl = schemaSdl(server.app);
  close = () => server.app.close();
});
afterAll(async () => {
  await close();
});

describe('GraphQL schema', () => {
  it('breaks nothing in the committed docs/schema.graphql (regenerate it with npm run graphql:schema)', async () => {
    const committed = buildSchema(await readFile('docs/schema.graphql', 'utf8'));
    const breaking = (await diff(committed, code)).filter((change) => change.criticality.level === CriticalityLevel.Breaking).map((change) => change.message);
    expect(breaking).toEqual([]);
  });

  it('finds a breaking change when there is one (the check can fail)', async () => {
    const renamed = buildSchema(sdl.replace(/\bcreatedAt:/, 'creationTime:'));
    const breaking = (await diff(code, renamed)).filter((change) => change.criticality.level === CriticalityLevel.Breaking);
    expect(breaking.length).toBeGreaterThan(0);
  });

  it('describes every mutation, its argument, every input field and every payload field', () => {
    const undescribed: string[] = [];
    for (const mutation of Object.values(code.getMutationType()!.getFields())) {
      if (!mutation.description) undescribed.push(`Mutation.${mutation.name}`);
      for (const arg of mutation.args) if (!arg.description) undescribed.push(`Mutation.${mutation.name}(${arg.name})`);
      const payload = getNamedType(mutation.type);
      if (!isObjectType(payload) || !payload.name.endsWith('Payload')) undescribed.push(`Mutation.${mutation.name} answers ${payload.name}, not a payload`);
      else for (const field of Object.values(payload.getFields())) if (!field.description) undescribed.push(`${payload.name}.${field.name}`);
    }
    for (const type of Object.values(code.getTypeMap())) {
      if (!isInputObjectType(type) || type.name.startsWith('__')) continue;
      if (!type.description) undescribed.push(type.name);
      for (const field of Object.values(type.getFields())) if (!field.description) undescribed.push(`${type.name}.${field.name}`);
    }
    expect(undescribed).toEqual([]);
  });

  it('passes graphql-eslint\'s recommended schema rules, but for the listed findings', async () => {
    const recommended = (graphqlPlugin.configs['flat/schema-recommended'] as { rules: Linter.RulesRecord }).rules;
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [{
        files: ['**/*.graphql'],
        languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: sdl } } },
        plugins: { '@graphql-eslint': graphqlPlugin as unknown as ESLint.Plugin },
        rules: {
          ...recommended,
          '@graphql-eslint/strict-id-in-types': ['error', { acceptedIdNames: ['id'], acceptedIdTypes: ['ID'], exceptions: { types: VALUE_TYPES, suffixes: ['Connection', 'Edge', 'Payload'] } }],
          // One mutation style (Relay's): one argument named `input` of type `<Mutation>Input`, answering an object payload.
          '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false, checkQueries: false, checkMutations: true }],
          '@graphql-eslint/no-scalar-result-type-on-mutation': 'error',
        },
      }],
    });
    const [result] = await eslint.lintText(sdl, { filePath: 'schema.graphql' });
    const messages = result!.messages;
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    const undescribed = messages.filter((m) => m.ruleId === '@graphql-eslint/require-description').map((m) => m.message);
    expect(undescribed).toEqual([]);
    const findings = messages
      .filter((m) => m.ruleId !== '@graphql-eslint/require-description')
      .map((m) => `${m.ruleId!.replace('@graphql-eslint/', '')} ${/(?:type|Type) "(\w+)"/.exec(m.message)?.[1] ?? m.message}`);
    expect(findings.filter((f) => !KNOWN_FINDINGS[f])).toEqual([]);
    expect(Object.keys(KNOWN_FINDINGS).filter((k) => !findings.includes(k))).toEqual([]);
  });
});
