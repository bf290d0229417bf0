// docs/releases.md lists every reason code the API can answer, in the right table, and nothing else:
// the OpenAPI enum (release-phase.ts) and the documentation cannot drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { FINAL_REASONS, RELEASE_REASONS, WAITING_REASONS } from '../../../src/modules/releases/release-phase.js';

const DOC = readFileSync('docs/releases.md', 'utf8');

/** The codes in the first column of the Markdown table rows between two markers. */
function firstColumnCodes(from: string, to: string): string[] {
  const start = DOC.indexOf(from);
  const end = DOC.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`docs/releases.md lost "${from}" or "${to}"`);
  return DOC.slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));
}

describe('docs/releases.md reasons', () => {
  const waiting = firstColumnCodes('Non-terminal (`pending`, `applying`, `rolling_out`):', 'Terminal, with phase `failed`:');
  const failed = firstColumnCodes('Terminal, with phase `failed`:', 'With phase `superseded`');

  it('lists every waiting reason of the code once, and no other', () => {
    expect([...waiting].sort()).toEqual([...WAITING_REASONS].sort());
  });

  it('lists every failure reason of the code once, and no other', () => {
    expect([...failed].sort()).toEqual(FINAL_REASONS.filter((r) => r !== 'superseded').sort());
    expect(DOC).toMatch(/With phase `superseded` the reason is `superseded`/);
  });

  it('so the documented codes are exactly the OpenAPI enum', () => {
    expect(new Set([...waiting, ...failed, 'superseded'])).toEqual(new Set(RELEASE_REASONS));
  });
});
