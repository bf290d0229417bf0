// GET pods/<name>/log as kube-apiserver 1.32 and the kubelet answer it: PodLogOptions validated
// (422 Invalid), booleans parsed like Go's strconv.ParseBool (400 otherwise), a container that is
// not running yet refused with the kubelet's 400 message, `previous` served only when a terminated
// instance exists, and follow, tailLines, limitBytes, sinceSeconds, sinceTime and timestamps
// applied to simulated lines.
import type { ServerResponse } from 'node:http';
import { ApiError, badRequest, type StatusCause } from './errors.js';
import { imageBehaviour } from './controllers/images.js';
import type { Registry } from './registry.js';
import { R } from './resources.js';
import { asArray, asMap, type KubeObject } from './types.js';

function lineAt(pod: KubeObject, container: string, image: string, i: number, crash: boolean): string {
  if (i === 0) return `Starting ${container} (image ${image}) in pod ${pod.metadata.name ?? ''}`;
  if (i === 1) return crash ? 'panic: simulated crash (the image name contains "crash")' : 'Listening on 0.0.0.0:8080';
  const ms = (i * 37) % 97;
  return `GET /healthz 200 ${ms}ms request_id=${container}-${i}`;
}

interface LogOptions {
  container: string | null;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number | undefined;
  limitBytes: number | undefined;
  sinceSeconds: number | undefined;
  sinceTime: number | undefined;
}

/** Go's strconv.ParseBool, which the API server's query decoding uses. */
function parseBool(q: URLSearchParams, name: string): boolean {
  const raw = q.get(name);
  if (raw === null || raw === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

function parseInt64(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[+-]?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
}

function parseOptions(q: URLSearchParams, name: string): LogOptions {
  const sinceTimeRaw = q.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeRaw) {
    sinceTime = Date.parse(sinceTimeRaw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(sinceTimeRaw) || Number.isNaN(sinceTime)) {
      throw badRequest(`parsing time ${JSON.stringify(sinceTimeRaw)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTimeRaw)} as RFC 3339`);
    }
  }
  const options: LogOptions = {
    container: q.get('container'),
    follow: parseBool(q, 'follow'),
    previous: parseBool(q, 'previous'),
    timestamps: parseBool(q, 'timestamps'),
    tailLines: parseInt64(q, 'tailLines'),
    limitBytes: parseInt64(q, 'limitBytes'),
    sinceSeconds: parseInt64(q, 'sinceSeconds'),
    sinceTime,
  };
  // ValidatePodLogOptions (pkg/apis/core/validation).
  const causes: StatusCause[] = [];
  const invalidValue = (field: string, value: unknown, detail: string) =>
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field });
  if (options.tailLines !== undefined && options.tailLines < 0) invalidValue('tailLines', options.tailLines, 'must be greater than or equal to 0');
  if (options.limitBytes !== undefined && options.limitBytes < 1) invalidValue('limitBytes', options.limitBytes, 'must be greater than 0');
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified', field: '' });
  } else if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) {
    invalidValue('sinceSeconds', options.sinceSeconds, 'must be greater than 0');
  }
  if (causes.length) {
    const text = causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`);
    throw new ApiError(422, 'Invalid', `PodLogOptions "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`, { name, kind: 'PodLogOptions', causes });
  }
  return options;
}

/** GET pods/<name>/log: simulated lines; follow streams more until the client goes away. */
export function serveLogs(reg: Registry, res: ServerResponse, ns: string, name: string, q: URLSearchParams, intervalMs: number): void {
  const pod = reg.get(R.pods, ns, name);
  const options = parseOptions(q, name);
  const containers = asArray(asMap(pod.spec)['containers']).map(asMap);
  let container = options.container;
  if (!container) {
    if (containers.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => String(c['name'])).join(' ')}]`);
    }
    container = String(containers[0]!['name']);
  }
  const spec = containers.find((c) => c['name'] === container);
  if (!spec) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const status = asArray(asMap(pod.status)['containerStatuses']).map(asMap).find((c) => c['name'] === container);
  const waiting = asMap(asMap(status?.['state'])['waiting']);
  const previous = asMap(asMap(status?.['lastState'])['terminated']);
  const image = String(spec['image']);
  const behaviour = imageBehaviour(image);
  // crash-once: its first instance (the previous one, once restarted) crashed; the current one runs.
  const crash = behaviour === 'crash' || (behaviour === 'crash-once' && (options.previous || !asMap(asMap(status?.['state'])['running'])['startedAt']));
  if (options.previous) {
    // The kubelet keeps the log of the instance before the current one, if there was one.
    if (!previous['finishedAt']) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  } else {
    const started = asMap(asMap(status?.['state'])['running'])['startedAt'] ?? previous['finishedAt'];
    if (!status || (waiting['reason'] && !started)) {
      const reason = String(waiting['reason'] ?? 'ContainerCreating');
      const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
    }
  }
  const startMs = options.previous
    ? Date.parse(String(previous['startedAt'] ?? pod.metadata.creationTimestamp ?? new Date().toISOString()))
    : Date.parse(pod.metadata.creationTimestamp ?? new Date().toISOString());
  const step = Math.max(1, intervalMs);
  const stampOf = (i: number): number => startMs + i * step;
  // A terminated instance (previous, or a crashed current one) wrote its two lines and stopped.
  const finished = options.previous || crash;
  const total = finished ? 2 : Math.min(5000, 3 + Math.floor((Date.now() - startMs) / step));
  const sinceMs = options.sinceTime ?? (options.sinceSeconds !== undefined ? Date.now() - options.sinceSeconds * 1000 : undefined);
  let from = 0;
  if (sinceMs !== undefined) while (from < total && stampOf(from) < sinceMs) from++;
  if (options.tailLines !== undefined) from = Math.max(from, total - options.tailLines);
  let budget = options.limitBytes ?? Infinity;
  const fmt = (i: number): string => `${options.timestamps ? `${new Date(stampOf(i)).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : ''}${lineAt(pod, container!, image, i, crash)}\n`;
  /** Writes within limitBytes; false once the limit is reached (the API server then ends the stream). */
  const write = (text: string): boolean => {
    const bytes = Buffer.from(text);
    if (bytes.length >= budget) {
      res.write(bytes.subarray(0, budget));
      budget = 0;
      return false;
    }
    budget -= bytes.length;
    res.write(bytes);
    return true;
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (let i = from; i < total; i++) {
    if (!write(fmt(i))) {
      res.end();
      return;
    }
  }
  if (!options.follow || finished) {
    res.end();
    return;
  }
  let next = total;
  const timer = setInterval(() => {
    if (!reg.find(R.pods, ns, name) || !write(fmt(next++))) {
      clearInterval(timer);
      res.end();
    }
  }, Math.max(10, intervalMs));
  res.on('close', () => clearInterval(timer));
}
