// Pure pieces of input hardening: the depth scan that runs before JSON.parse, NUL detection, the
// JSON media types accepted, and explicit nulls decided from the OpenAPI metadata.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { findNul, JSON_MEDIA_TYPE, jsonDepth, MAX_JSON_DEPTH, parseJsonBody } from '../../src/common/http/body-parsing.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { disallowedNulls } from '../../src/common/validation/nulls.js';

describe('jsonDepth', () => {
  it('counts nesting outside strings only, without recursion', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonDepth('['.repeat(1_000_000) + ']'.repeat(1_000_000), 64)).toBe(65); // stops early
  });
});

describe('parseJsonBody', () => {
  it('treats an empty body as no body', () => {
    expect(parseJsonBody('')).toBeUndefined();
    expect(parseJsonBody('  \n')).toBeUndefined();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} with a 400 naming the body`, () => {
    expect(() => parseJsonBody('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toThrow(DomainError);
    expect(parseJsonBody('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeDefined();
  });

  it('names the first field holding a NUL character', () => {
    expect(findNul({ a: 'x', b: [{ c: 'y\u0000' }] })).toBe('b.0.c');
    expect(findNul({ 'k\u0000': 1 })).toBe('k\u0000');
    expect(findNul({ a: 'fine' })).toBeUndefined();
    try {
      parseJsonBody('{"display_name":"a\\u0000b"}');
      throw new Error('not refused');
    } catch (err) {
      expect(err).toMatchObject({ code: 'validation-failed', options: { field: 'display_name' } });
    }
  });
});

describe('JSON media types', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'application/vnd.berth.v1+json', 'APPLICATION/JSON'])('accepts %s', (type) => {
    expect(JSON_MEDIA_TYPE.test(type)).toBe(true);
  });
  it.each(['application/x-www-form-urlencoded', 'text/plain', 'text/json', 'application/jsonp', 'multipart/form-data', 'application/xml'])('refuses %s', (type) => {
    expect(JSON_MEDIA_TYPE.test(type)).toBe(false);
  });
});

class Inner {
  @ApiPropertyOptional({ nullable: true }) clearable?: string | null;
  @ApiPropertyOptional() kept?: string;
}

class Outer {
  @ApiProperty() name!: string;
  @ApiPropertyOptional() label?: string;
  @ApiPropertyOptional({ type: Inner, nullable: true }) inner?: Inner | null;
  @ApiPropertyOptional({ type: [Inner] }) items?: Inner[];
}

describe('explicit nulls', () => {
  it('allows null only where the document says nullable, naming every other field', () => {
    expect(disallowedNulls({ name: 'x', inner: null }, Outer)).toEqual([]);
    expect(disallowedNulls({ name: null, label: null }, Outer).map((p) => p.name)).toEqual(['name', 'label']);
    expect(disallowedNulls({ inner: { clearable: null, kept: null } }, Outer).map((p) => p.name)).toEqual(['inner.kept']);
    expect(disallowedNulls({ items: [{ kept: 'a' }, { kept: null }] }, Outer).map((p) => p.name)).toEqual(['items.1.kept']);
    expect(disallowedNulls({ unknown: null }, Outer)).toEqual([]); // the whitelist refuses unknown fields
  });
});
