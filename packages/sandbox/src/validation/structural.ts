import { ApiError, badRequest } from '../errors.js';
import { canonicalQuantity, QuantityError } from '../quantity.js';
import type { ResourceDef } from '../resources.js';
import { schemaOf, type Node } from '../schema/index.js';
import type { KubeObject } from '../types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The fieldValidation query parameter; a real server defaults to Warn when it is absent. */
export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '' || v === 'Warn') return 'Warn';
  if (v === 'Strict' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(v)}`);
}

/** How the body reached the decoder: its messages differ (typed JSON decoding vs. server-side apply). */
export type DecodeKind = 'body' | 'patch' | 'apply';

interface Walk {
  unknown: string[];
  typeErrors: string[];
  typeName: string;
}

function jsType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

const GO_TYPE: Record<string, string> = { string: 'string', integer: 'int32', number: 'float64', boolean: 'bool', object: 'struct', map: 'map', array: 'slice' };

function mismatch(w: Walk, path: string, value: unknown, expected: string): void {
  w.typeErrors.push(`json: cannot unmarshal ${jsType(value)} into Go struct field ${w.typeName}.${path} of type ${GO_TYPE[expected] ?? expected}`);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Walk a value against its schema: record unknown fields (and drop them: a real server never
 * stores a field its types lack), record type mismatches, canonicalise quantities in place,
 * and drop null-valued fields (the typed decoder leaves them unset).
 */
function walk(w: Walk, node: Node, value: unknown, path: string): void {
  switch (node.t) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        mismatch(w, path, value, 'object');
        return;
      }
      const m = value as Record<string, unknown>;
      for (const key of Object.keys(m)) {
        const child = node.props.get(key);
        const v = m[key];
        if (!child) {
          if (!node.open) {
            w.unknown.push(join(path, key));
            delete m[key];
          }
          continue;
        }
        if (v === null) {
          delete m[key];
          continue;
        }
        walkValue(w, child, m, key, join(path, key));
      }
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        mismatch(w, path, value, 'map');
        return;
      }
      const m = value as Record<string, unknown>;
      for (const key of Object.keys(m)) if (m[key] !== null) walkValue(w, node.values, m, key, `${path}[${key}]`);
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        mismatch(w, path, value, 'array');
        return;
      }
      for (let i = 0; i < value.length; i++) walkValue(w, node.items, value, i, `${path}[${i}]`);
      return;
    }
    default:
      return;
  }
}

/** Leaves need their container to be rewritten (quantities); objects recurse. */
function walkValue(w: Walk, node: Node, container: Record<string, unknown> | unknown[], key: string | number, path: string): void {
  const v = (container as Record<string | number, unknown>)[key];
  switch (node.t) {
    case 'object':
    case 'map':
    case 'array':
      walk(w, node, v, path);
      return;
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number') {
        mismatch(w, path, v, 'string');
        return;
      }
      try {
        (container as Record<string | number, unknown>)[key] = canonicalQuantity(v);
      } catch (e) {
        if (e instanceof QuantityError) w.typeErrors.push(e.message);
        else throw e;
      }
      return;
    case 'int-or-string':
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) mismatch(w, path, v, 'IntOrString');
      return;
    case 'string':
      if (typeof v !== 'string') mismatch(w, path, v, 'string');
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) mismatch(w, path, v, 'integer');
      return;
    case 'number':
      if (typeof v !== 'number') mismatch(w, path, v, 'number');
      return;
    case 'boolean':
      if (typeof v !== 'boolean') mismatch(w, path, v, 'boolean');
      return;
    default:
      return;
  }
}

/**
 * Secret data is []byte: standard padded base64, where Go's decoder skips CR and LF (kustomize
 * wraps long values); it is stored re-encoded, without the line breaks, as a real server does.
 */
function secretData(obj: KubeObject, w: Walk): void {
  const data = obj['data'];
  if (typeof data !== 'object' || data === null) return;
  const m = data as Record<string, unknown>;
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') continue;
    const clean = v.includes('\n') || v.includes('\r') ? v.replace(/[\r\n]/g, '') : v;
    const bad = base64Error(clean);
    if (bad !== undefined) {
      w.typeErrors.push(`illegal base64 data at input byte ${bad}`);
      return;
    }
    if (clean !== v) m[k] = clean;
  }
}

function base64Error(s: string): number | undefined {
  const m = /[^A-Za-z0-9+/=]/.exec(s);
  if (m) return m.index;
  const pad = s.indexOf('=');
  if (pad >= 0 && !/^={1,2}$/.test(s.slice(pad))) return pad;
  if (s.length % 4 !== 0) return s.length - (s.length % 4);
  return undefined;
}

export interface DecodeOptions {
  fieldValidation?: FieldValidation;
  warnings?: string[];
  /** Fields the request body's JSON holds twice (see duplicates.ts). */
  duplicates?: string[];
}

/**
 * What a real server's decoder does to a body before defaulting and validation: type errors
 * and unparsable quantities are 400 BadRequest; unknown fields are a 400 with Strict, a
 * Warning header with Warn (the default), nothing with Ignore, and in every mode they are
 * dropped. Mutates `obj` (callers pass a private copy).
 */
export function decodeStructure(res: ResourceDef, obj: KubeObject, kind: DecodeKind, opts: DecodeOptions): void {
  const node = schemaOf(res.apiVersion, res.kind);
  if (!node) return;
  const w: Walk = { unknown: [], typeErrors: [], typeName: res.kind };
  walk(w, node, obj, '');
  const prefix = `${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: `;
  if (res.plural === 'secrets') secretData(obj, w);
  if (w.typeErrors.length) throw new ApiError(400, 'BadRequest', `${kind === 'body' ? prefix : ''}${w.typeErrors[0]}`);
  const problems = [...w.unknown.map((f) => `unknown field ${JSON.stringify(f)}`), ...(opts.duplicates ?? []).map((f) => `duplicate field ${JSON.stringify(f)}`)];
  if (!problems.length) return;
  const mode = opts.fieldValidation ?? 'Warn';
  if (mode === 'Strict') {
    if (kind === 'apply') throw new ApiError(400, 'BadRequest', w.unknown.map((f) => `.${f}: field not declared in schema`).join(', '));
    throw new ApiError(400, 'BadRequest', `${kind === 'body' ? prefix : ''}strict decoding error: ${problems.join(', ')}`);
  }
  if (mode === 'Warn' && opts.warnings) opts.warnings.push(...problems);
}
