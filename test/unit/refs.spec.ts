// The one way to build a reference filter (src/common/validation/refs.ts): a scope can never
// replace what the reference names, and no repository spreads a reference into its own object.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { whereId, whereRef } from '../../src/common/validation/refs.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

describe('whereRef', () => {
  it('keeps the reference as its own AND term whatever the scope holds', () => {
    const scope = fc.dictionary(fc.constantFrom('id', 'name', 'teamId', 'email', 'AND'), fc.oneof(fc.uuid(), fc.string(), fc.record({ in: fc.array(fc.uuid()) })));
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)), fc.array(fc.option(scope, { nil: undefined }), { maxLength: 3 }), (ref, scopes) => {
        const where = whereRef(ref, scopes);
        const isId = /^[0-9a-f]{8}-/.test(ref.toLowerCase()) && ref.length === 36;
        expect(where.AND[0]).toEqual(isId ? { id: ref.toLowerCase() } : { name: ref });
        expect(where.AND.slice(1)).toEqual(scopes.filter((s) => s !== undefined));
        expect(Object.keys(where)).toEqual(['AND']);
      }),
      { seed: 12 },
    );
    expect(whereRef('dev@example.com', [{ teamId: 't' }], 'email')).toEqual({ AND: [{ email: 'dev@example.com' }, { teamId: 't' }] });
    expect(whereId('i', [undefined, { userId: 'u' }])).toEqual({ AND: [{ id: 'i' }, { userId: 'u' }] });
  });

  it('is the only way references are built: no hand-made id-or-name filters in src', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles('src')) {
      if (file.endsWith(join('validation', 'refs.ts')) || file.includes(`${join('src', 'generated')}`)) continue;
      const text = await readFile(file, 'utf8');
      // A spread reference fragment, or a ternary choosing between an id and a name filter.
      if (/\.\.\.byIdOrName|isUuid\([^)]*\)\s*\?\s*\{\s*id:|\?\s*\{\s*id:[^}]*\}\s*:\s*\{\s*(name|email):/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
