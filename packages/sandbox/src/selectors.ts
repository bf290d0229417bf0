import { badRequest } from './errors.js';
import { asArray, isMap, type JsonMap } from './types.js';

export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

interface Requirement {
  key: string;
  op: 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(raw: string): Requirement {
  let m = /^!\s*([A-Za-z0-9_./-]+)$/.exec(raw);
  if (m) return { key: m[1]!, op: '!', values: [] };
  m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(raw);
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim());
    return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
  }
  m = /^([A-Za-z0-9_./-]+)\s*(==|!=|=|>|<)\s*([A-Za-z0-9_.-]*)$/.exec(raw);
  if (m) {
    const op = m[2] === '==' || m[2] === '=' ? '=' : m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : 'lt';
    return { key: m[1]!, op, values: [m[3]!] };
  }
  m = /^([A-Za-z0-9_./-]+)$/.exec(raw);
  if (m) return { key: m[1]!, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: ${JSON.stringify(raw)}`);
}

function matchRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key]! : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'gt':
      return has && Number(v) > Number(r.values[0]);
    case 'lt':
      return has && Number(v) < Number(r.values[0]);
  }
}

function compile(reqs: Requirement[]): LabelMatcher {
  if (reqs.length === 0) return () => true;
  return (labels) => reqs.every((r) => matchRequirement(r, labels));
}

/** Parse a `labelSelector` query string (equality, !=, in, notin, exists, !key). */
export function parseLabelSelector(s: string | null | undefined): LabelMatcher {
  if (!s) return () => true;
  return compile(splitTopLevel(s).map(parseRequirement));
}

/** Matcher for a metav1.LabelSelector object (matchLabels + matchExpressions). */
export function labelSelectorMatcher(sel: JsonMap | undefined): LabelMatcher {
  if (!sel) return () => false;
  const reqs: Requirement[] = [];
  if (isMap(sel['matchLabels'])) {
    for (const [k, v] of Object.entries(sel['matchLabels'])) reqs.push({ key: k, op: '=', values: [String(v)] });
  }
  for (const e of asArray(sel['matchExpressions'])) {
    if (!isMap(e)) continue;
    const key = String(e['key']);
    const values = asArray(e['values']).map(String);
    switch (e['operator']) {
      case 'In':
        reqs.push({ key, op: 'in', values });
        break;
      case 'NotIn':
        reqs.push({ key, op: 'notin', values });
        break;
      case 'Exists':
        reqs.push({ key, op: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        reqs.push({ key, op: '!', values: [] });
        break;
      default:
        throw new Error(`${String(e['operator'])} is not a valid label selector operator`);
    }
  }
  return compile(reqs);
}

/** Render a LabelSelector object as the string form kubectl shows. */
export function selectorString(sel: unknown): string {
  if (!isMap(sel)) return '';
  const parts: string[] = [];
  if (isMap(sel['matchLabels'])) for (const [k, v] of Object.entries(sel['matchLabels'])) parts.push(`${k}=${String(v)}`);
  for (const e of asArray(sel['matchExpressions'])) {
    if (!isMap(e)) continue;
    const vals = asArray(e['values']).map(String).join(',');
    if (e['operator'] === 'In') parts.push(`${String(e['key'])} in (${vals})`);
    else if (e['operator'] === 'NotIn') parts.push(`${String(e['key'])} notin (${vals})`);
    else if (e['operator'] === 'Exists') parts.push(String(e['key']));
    else parts.push(`!${String(e['key'])}`);
  }
  return parts.join(',');
}

export type FieldMatcher = (obj: JsonMap) => boolean;

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const FIELDS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  secrets: ['type'],
  namespaces: ['status.phase'],
  replicasets: ['status.replicas'],
  nodes: ['spec.unschedulable'],
};

function fieldValue(obj: JsonMap, path: string): string {
  if (path === 'source') return String((obj['source'] as JsonMap | undefined)?.['component'] ?? '');
  let cur: unknown = obj;
  for (const p of path.split('.')) cur = isMap(cur) ? cur[p] : undefined;
  return cur === undefined || cur === null ? '' : String(cur);
}

/** Parse a `fieldSelector` for a resource; unsupported fields are a 400 as on a real server. */
export function parseFieldSelector(s: string | null | undefined, plural: string): FieldMatcher {
  if (!s) return () => true;
  const allowed = new Set([...COMMON_FIELDS, ...(FIELDS[plural] ?? [])]);
  const reqs = splitTopLevel(s).map((raw) => {
    const m = /^([A-Za-z.]+)\s*(==|!=|=)\s*(.*)$/.exec(raw);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${raw}'`);
    if (!allowed.has(m[1]!)) throw badRequest(`field label not supported: ${m[1]}`);
    return { path: m[1]!, neg: m[2] === '!=', value: m[3]! };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neg);
}
