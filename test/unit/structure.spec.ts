// Rules of the code's shape that review alone would let slip back (docs/architecture.md, "Structure
// and wiring"): which modules may be global, how services reach the audit event, how features
// reach each other, and where configuration is read.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

/** Every hand-written TypeScript file under src/, as a path relative to the repository root. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(SRC, 'generated') ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path).split(sep).join('/')] : [];
  });
}

const FILES = sourceFiles();
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** Files whose code (comments aside) matches the pattern. */
const matching = (pattern: RegExp, files = FILES) => files.filter((file) => pattern.test(withoutComments(text(file))));

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The relative module specifiers a file imports or re-exports (static and dynamic). */
function importsOf(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.[^']+)'/g)].map((m) => m[1]!);
  return [...new Set(specifiers)];
}

/** `src/modules/<feature>/…` → feature; anything else → undefined. */
function featureOf(file: string): string | undefined {
  return /^src\/modules\/([^/]+)\//.exec(file)?.[1];
}

describe('structure', () => {
  it('found the sources it checks', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain('src/app.module.ts');
  });

  it('keeps @Global for configuration, database, crypto, logging and metrics only', () => {
    const allowed = ['src/config/config.module.ts', 'src/database/database.module.ts', 'src/common/crypto/crypto.module.ts', 'src/common/metrics/metrics.module.ts', 'src/common/logging/logging.module.ts'];
    expect(matching(/@Global\s*\(/).filter((file) => !allowed.includes(file))).toEqual([]);
  });

  it('papers over no module cycle with forwardRef', () => {
    expect(matching(/\bforwardRef\s*\(/)).toEqual([]);
  });

  it('has services hand the audit event its scope and change through the AuditNotes port, not the request context', () => {
    expect(matching(/\bnote(Change|Scope)\b|requestContext\.note/)).toEqual([]);
    const context = withoutComments(text('src/common/context/request-context.ts'));
    expect(context).not.toMatch(/\b(change|scope)\??:/);
    // The services that note something say so in their constructor.
    const noting = matching(/this\.notes\.(change|scope)\(/);
    expect(noting.length).toBeGreaterThan(10);
    for (const file of noting) expect(`${file}: ${/private readonly notes: AuditNotes\b/.test(text(file))}`).toBe(`${file}: true`);
  });

  it('lets features reach other features through services or ports, not repositories', () => {
    const crossings: string[] = [];
    for (const file of FILES) {
      const feature = featureOf(file);
      if (!feature) continue;
      for (const specifier of importsOf(text(file))) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep).join('/');
        const other = featureOf(target);
        if (other && other !== feature && /\.repository\.js$/.test(target)) crossings.push(`${file} → ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('recognises a crossing when it sees one', () => {
    const specifiers = importsOf("import { ClustersRepository } from '../clusters/clusters.repository.js';\nimport type { X } from './x.repository.js';");
    expect(specifiers).toEqual(['../clusters/clusters.repository.js', './x.repository.js']);
    expect(featureOf(relative(ROOT, resolve(ROOT, 'src/modules/workloads', specifiers[0]!)))).toBe('clusters');
  });

  it('reads process.env only in src/config', () => {
    expect(matching(/\bprocess\.env\b/).filter((file) => !file.startsWith('src/config/'))).toEqual([]);
  });
});
