import type { ServerResponse } from 'node:http';
import { badRequest } from './errors.js';
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

/** GET pods/<name>/log: simulated lines; follow streams more until the client goes away. */
export function serveLogs(reg: Registry, res: ServerResponse, ns: string, name: string, q: URLSearchParams, intervalMs: number): void {
  const pod = reg.get(R.pods, ns, name);
  const containers = asArray(asMap(pod.spec)['containers']).map(asMap);
  let container = q.get('container');
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
  const image = String(spec['image']);
  const behaviour = imageBehaviour(image);
  const started = asMap(asMap(status?.['state'])['running'])['startedAt'] ?? asMap(status?.['lastState'])['terminated'];
  if (!status || (waiting['reason'] && !started && behaviour !== 'crash')) {
    const reason = String(waiting['reason'] ?? 'ContainerCreating');
    const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
  }
  const crash = behaviour === 'crash';
  const startMs = Date.parse(pod.metadata.creationTimestamp ?? new Date().toISOString());
  const available = Math.min(5000, 3 + Math.floor((Date.now() - startMs) / Math.max(1, intervalMs)));
  const total = crash ? 2 : available;
  const tail = q.get('tailLines');
  const from = tail !== null ? Math.max(0, total - Number(tail)) : 0;
  const stamps = q.get('timestamps') === 'true';
  const fmt = (i: number): string => `${stamps ? `${new Date(startMs + i * intervalMs).toISOString()} ` : ''}${lineAt(pod, container!, image, i, crash)}\n`;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (let i = from; i < total; i++) res.write(fmt(i));
  if (q.get('follow') !== 'true' || crash) {
    res.end();
    return;
  }
  let next = total;
  const timer = setInterval(() => {
    if (!reg.find(R.pods, ns, name)) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(fmt(next++));
  }, Math.max(10, intervalMs));
  res.on('close', () => clearInterval(timer));
}
