// The committed OpenAPI document (http-basics.spec.ts checks it equals what the code serves) passes
// Spectral's `spectral:oas` ruleset with no errors and no warnings: what CI users lint it with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';

const { Document, Spectral } = spectralCore;
const { oas } = spectralRulesets;
const { Json } = spectralParsers;

describe('OpenAPI document under spectral:oas', () => {
  it('has no errors and no warnings', async () => {
    const text = readFileSync('docs/openapi.json', 'utf8');
    const spectral = new Spectral();
    // As `extends: ["spectral:oas"]` in a ruleset file: the recommended rules.
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(text, Json, 'docs/openapi.json'));
    const findings = results.filter((r) => r.severity <= 1).map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(findings).toEqual([]);
  });
});
