import { ApiError } from '../errors.js';
import { deepClone, deepEqual, isMap } from '../types.js';

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function fail(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw fail(`invalid JSON pointer ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, parts: string[], path: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isMap(cur)) cur = cur[k];
    else cur = undefined;
    if (cur === undefined || cur === null || typeof cur !== 'object') throw fail(`doc is missing path: "${path}": missing value`);
  }
  return { parent: cur as Container, key: parts[parts.length - 1]! };
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const k of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isMap(cur)) cur = cur[k];
    else cur = undefined;
    if (cur === undefined) throw fail(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function index(arr: unknown[], key: string, path: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return arr.length;
  const i = Number(key);
  if (!Number.isInteger(i) || i < 0 || i > arr.length || (!allowEnd && i === arr.length)) {
    throw fail(`unable to access invalid index: ${key} at "${path}"`);
  }
  return i;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, path, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const parts = parsePointer(path);
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, path, false), 1);
  else {
    if (!(key in parent)) throw fail(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

/** Apply an RFC 6902 JSON patch to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new ApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = deepClone(doc);
  for (const raw of ops) {
    if (!isMap(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') throw fail('invalid operation');
    const op = raw as unknown as Op;
    switch (op.op) {
      case 'add':
        out = add(out, op.path, deepClone(op.value));
        break;
      case 'remove':
        out = remove(out, op.path);
        break;
      case 'replace':
        getAt(out, op.path);
        out = add(remove(out, op.path), op.path, deepClone(op.value));
        break;
      case 'move': {
        const v = getAt(out, op.from ?? '');
        out = add(remove(out, op.from ?? ''), op.path, v);
        break;
      }
      case 'copy':
        out = add(out, op.path, deepClone(getAt(out, op.from ?? '')));
        break;
      case 'test':
        if (!deepEqual(getAt(out, op.path), op.value)) throw fail(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw fail(`Unexpected kind: ${op.op}`);
    }
  }
  return out;
}
