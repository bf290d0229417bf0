import { ApiError } from './errors.js';
import type { JsonMap } from './types.js';

/**
 * Decoder for the Kubernetes protobuf wire format ("k8s\0" + runtime.Unknown), for the few
 * request bodies kubectl sends as protobuf: `kubectl create namespace|configmap|secret|
 * serviceaccount|quota|deployment|service|job|cronjob|token`, `kubectl autoscale` (autoscaling/v1) and
 * `kubectl auth whoami|can-i`. Fields outside this schema are skipped.
 */
type Kind = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'quantity' | 'intstr' | 'mapstr' | 'mapbytes' | 'mapqty' | `msg:${string}`;
/** [json name, kind, repeated, keep zero values (pointer fields)] */
type Field = [string, Kind, boolean?, boolean?];
type Schema = Record<number, Field>;

const S: Record<string, Schema> = {
  Unknown: { 1: ['typeMeta', 'msg:TypeMeta'], 2: ['raw', 'bytes'] },
  TypeMeta: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] },
  ObjectMeta: {
    1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'],
    6: ['resourceVersion', 'string'], 8: ['creationTimestamp', 'time'], 11: ['labels', 'mapstr'], 12: ['annotations', 'mapstr'],
    14: ['finalizers', 'string', true],
  },
  LabelSelector: { 1: ['matchLabels', 'mapstr'], 2: ['matchExpressions', 'msg:LabelSelectorRequirement', true] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] },
  Namespace: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:NamespaceSpec'], 3: ['status', 'msg:Empty'] },
  NamespaceSpec: { 1: ['finalizers', 'string', true] },
  ConfigMap: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['data', 'mapstr'], 3: ['binaryData', 'mapbytes'], 4: ['immutable', 'bool', false, true] },
  Secret: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['data', 'mapbytes'], 3: ['type', 'string'], 4: ['stringData', 'mapstr'], 5: ['immutable', 'bool', false, true] },
  ServiceAccount: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['secrets', 'msg:NameRef', true], 3: ['imagePullSecrets', 'msg:NameRef', true], 4: ['automountServiceAccountToken', 'bool', false, true] },
  NameRef: { 1: ['name', 'string'] },
  ResourceQuota: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:ResourceQuotaSpec'], 3: ['status', 'msg:Empty'] },
  ResourceQuotaSpec: { 1: ['hard', 'mapqty'], 2: ['scopes', 'string', true] },
  Deployment: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:DeploymentSpec'], 3: ['status', 'msg:Empty'] },
  DeploymentSpec: {
    1: ['replicas', 'int', false, true], 2: ['selector', 'msg:LabelSelector'], 3: ['template', 'msg:PodTemplateSpec'], 4: ['strategy', 'msg:DeploymentStrategy'],
    5: ['minReadySeconds', 'int'], 6: ['revisionHistoryLimit', 'int', false, true], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int', false, true],
  },
  DeploymentStrategy: { 1: ['type', 'string'] },
  PodTemplateSpec: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:PodSpec'] },
  PodSpec: {
    2: ['containers', 'msg:Container', true], 3: ['restartPolicy', 'string'], 4: ['terminationGracePeriodSeconds', 'int', false, true],
    6: ['dnsPolicy', 'string'], 7: ['nodeSelector', 'mapstr'], 8: ['serviceAccountName', 'string'], 20: ['initContainers', 'msg:Container', true],
  },
  Container: {
    1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', 'string', true], 4: ['args', 'string', true], 5: ['workingDir', 'string'],
    6: ['ports', 'msg:ContainerPort', true], 7: ['env', 'msg:EnvVar', true], 8: ['resources', 'msg:Resources'], 14: ['imagePullPolicy', 'string'],
    13: ['terminationMessagePath', 'string'], 20: ['terminationMessagePolicy', 'string'],
  },
  ContainerPort: { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'] },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  Resources: { 1: ['limits', 'mapqty'], 2: ['requests', 'mapqty'] },
  Service: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:ServiceSpec'], 3: ['status', 'msg:Empty'] },
  ServiceSpec: { 1: ['ports', 'msg:ServicePort', true], 2: ['selector', 'mapstr'], 3: ['clusterIP', 'string'], 4: ['type', 'string'], 10: ['externalName', 'string'] },
  ServicePort: { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'] },
  HorizontalPodAutoscaler: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:HpaV1Spec'], 3: ['status', 'msg:Empty'] },
  HpaV1Spec: { 1: ['scaleTargetRef', 'msg:CrossVersionObjectReference'], 2: ['minReplicas', 'int', false, true], 3: ['maxReplicas', 'int'], 4: ['targetCPUUtilizationPercentage', 'int', false, true] },
  CrossVersionObjectReference: { 1: ['kind', 'string'], 2: ['name', 'string'], 3: ['apiVersion', 'string'] },
  IntOrString: { 1: ['type', 'int', false, true], 2: ['intVal', 'int', false, true], 3: ['strVal', 'string', false, true] },
  Quantity: { 1: ['string', 'string'] },
  Time: { 1: ['seconds', 'int'], 2: ['nanos', 'int'] },
  Job: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:JobSpec'], 3: ['status', 'msg:Empty'] },
  JobSpec: {
    1: ['parallelism', 'int', false, true], 2: ['completions', 'int', false, true], 3: ['activeDeadlineSeconds', 'int', false, true], 4: ['selector', 'msg:LabelSelector'],
    5: ['manualSelector', 'bool', false, true], 6: ['template', 'msg:PodTemplateSpec'], 7: ['backoffLimit', 'int', false, true], 8: ['ttlSecondsAfterFinished', 'int', false, true],
    9: ['completionMode', 'string'], 10: ['suspend', 'bool', false, true], 14: ['podReplacementPolicy', 'string'],
  },
  CronJob: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:CronJobSpec'], 3: ['status', 'msg:Empty'] },
  CronJobSpec: {
    1: ['schedule', 'string'], 2: ['startingDeadlineSeconds', 'int', false, true], 3: ['concurrencyPolicy', 'string'], 4: ['suspend', 'bool', false, true],
    5: ['jobTemplate', 'msg:JobTemplateSpec'], 6: ['successfulJobsHistoryLimit', 'int', false, true], 7: ['failedJobsHistoryLimit', 'int', false, true], 8: ['timeZone', 'string'],
  },
  JobTemplateSpec: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:JobSpec'] },
  TokenRequest: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:TokenRequestSpec'], 3: ['status', 'msg:Empty'] },
  TokenRequestSpec: { 1: ['audiences', 'string', true], 3: ['boundObjectRef', 'msg:BoundObjectReference'], 4: ['expirationSeconds', 'int', false, true] },
  BoundObjectReference: { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] },
  SelfSubjectReview: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['status', 'msg:Empty'] },
  SelfSubjectAccessReview: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:SelfSubjectAccessReviewSpec'], 3: ['status', 'msg:Empty'] },
  SelfSubjectAccessReviewSpec: { 1: ['resourceAttributes', 'msg:ResourceAttributes'], 2: ['nonResourceAttributes', 'msg:NonResourceAttributes'] },
  ResourceAttributes: { 1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'] },
  NonResourceAttributes: { 1: ['path', 'string'], 2: ['verb', 'string'] },
  SelfSubjectRulesReview: { 1: ['metadata', 'msg:ObjectMeta'], 2: ['spec', 'msg:SelfSubjectRulesReviewSpec'], 3: ['status', 'msg:Empty'] },
  SelfSubjectRulesReviewSpec: { 1: ['namespace', 'string'] },
  Empty: {},
};

const TOP_LEVEL = new Set([
  'Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'ResourceQuota', 'Deployment', 'Service', 'HorizontalPodAutoscaler',
  'Job', 'CronJob', 'TokenRequest', 'SelfSubjectReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.pos++]!;
      if (b === undefined) throw new Error('truncated varint');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const n = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function toInt(n: number): number {
  return n >= 2 ** 63 ? n - 2 ** 64 : n > 2 ** 31 - 1 && n < 2 ** 32 ? n - 2 ** 32 : n;
}

function decodeMapEntry(buf: Buffer, valueKind: 'string' | 'bytes' | 'qty'): [string, string] {
  const r = new Reader(buf);
  let key = '';
  let value = '';
  while (r.pos < buf.length) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    if (field === 1) key = r.bytes().toString('utf8');
    else if (field === 2) {
      const raw = r.bytes();
      value = valueKind === 'string' ? raw.toString('utf8') : valueKind === 'bytes' ? raw.toString('base64') : String(decode(raw, 'Quantity')['string'] ?? '0');
    } else r.skip(tag & 7);
  }
  return [key, value];
}

function decode(buf: Buffer, schemaName: string): JsonMap {
  const schema = S[schemaName] ?? {};
  const out: JsonMap = {};
  const r = new Reader(buf);
  while (r.pos < buf.length) {
    const tag = r.varint();
    const spec = schema[Math.floor(tag / 8)];
    if (!spec) {
      r.skip(tag & 7);
      continue;
    }
    const [name, kind, repeated, keepZero] = spec;
    let value: unknown;
    if (kind === 'int') value = toInt(r.varint());
    else if (kind === 'bool') value = r.varint() !== 0;
    else {
      const raw = r.bytes();
      if (kind === 'string') value = raw.toString('utf8');
      else if (kind === 'bytes') value = raw;
      else if (kind === 'time') {
        const t = decode(raw, 'Time');
        value = t['seconds'] ? new Date(Number(t['seconds']) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
      } else if (kind === 'quantity') value = decode(raw, 'Quantity')['string'];
      else if (kind === 'intstr') {
        const v = decode(raw, 'IntOrString');
        value = v['type'] === 1 ? v['strVal'] : (v['intVal'] ?? 0);
      } else if (kind === 'mapstr' || kind === 'mapbytes' || kind === 'mapqty') {
        const [k, v] = decodeMapEntry(raw, kind === 'mapstr' ? 'string' : kind === 'mapbytes' ? 'bytes' : 'qty');
        const m = (out[name] as Record<string, string> | undefined) ?? {};
        m[k] = v;
        out[name] = m;
        continue;
      } else value = decode(raw, kind.slice(4));
    }
    if (repeated) {
      const list = (out[name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else if (keepZero || (value !== '' && value !== 0 && value !== false)) out[name] = value;
  }
  return out;
}

/** Decode a `application/vnd.kubernetes.protobuf` request body into a JSON object. */
export function decodeProtobuf(body: Buffer): JsonMap {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') {
    throw new ApiError(415, 'UnsupportedMediaType', 'the protobuf body is missing the "k8s\\0" envelope');
  }
  const unknown = decode(body.subarray(4), 'Unknown');
  const typeMeta = (unknown['typeMeta'] as JsonMap | undefined) ?? {};
  const kind = String(typeMeta['kind'] ?? '');
  if (!TOP_LEVEL.has(kind) || !(unknown['raw'] instanceof Buffer)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the sandbox cannot decode protobuf for kind ${kind || '(none)'}; send application/json`);
  }
  return { apiVersion: typeMeta['apiVersion'], kind, ...decode(unknown['raw'], kind) };
}
