// Where the GraphQL code lives (#14): object types sit next to their features (src/modules/<feature>/
// models), src/graphql keeps composition and shared machinery only, and features import nothing
// from src/graphql but that machinery.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** The shared machinery features may use. */
const SHARED = ['args', 'refs', 'context', 'errors/', 'mutation-payload', 'nodes/node.type', 'nodes/global-id', 'pagination/', 'pubsub/', 'scalars/', 'selection'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('GraphQL code layout', () => {
  it('features import only shared machinery from src/graphql', () => {
    const offending = files(join(SRC, 'modules')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+graphql\/([^']+))'/g)]
        .filter((m) => !SHARED.some((s) => m[2]!.startsWith(s)))
        .map((m) => `${relative(SRC, file)} imports ${m[1]}`),
    );
    expect(offending).toEqual([]);
  });

  it('declares no feature object type under src/graphql', () => {
    const declaring = files(join(SRC, 'graphql'))
      .filter((file) => /@ObjectType\('(?!PageInfo)/.test(readFileSync(file, 'utf8')) && !file.includes('/pagination/'))
      .map((file) => relative(SRC, file));
    expect(declaring).toEqual([]);
  });

  it('reads records only through repositories in the loaders and the node locator', () => {
    const direct = [...files(join(SRC, 'graphql', 'loaders')), ...files(join(SRC, 'graphql', 'nodes'))]
      .filter((file) => /database\/|TransactionHost|\.db\./.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(direct).toEqual([]);
  });
});
