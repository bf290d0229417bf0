import { execFile } from 'node:child_process';
import { startSandboxCluster, type SandboxCluster, type SandboxClusterOptions } from '../src/index.js';
import { fieldsOf, type FieldSet } from '../src/patch/fieldset.js';
import { pathId, pathText } from '../src/patch/paths.js';
import { deepEqual, type JsonMap } from '../src/types.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** Read a dotted path ("metadata.name", "items.0.metadata.name") from a JSON value. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

export function items(list: unknown): Record<string, unknown>[] {
  const v = at(list, 'items');
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
}

export function names(list: unknown): string[] {
  return items(list).map((i) => String(at(i, 'metadata.name')));
}

/** Fast simulation settings for tests (durations are polled for, never asserted). */
export function fastCluster(opts: SandboxClusterOptions = {}): Promise<SandboxCluster> {
  return startSandboxCluster({
    rolloutDelayMs: 20,
    timeFactor: 0.002,
    namespaceTerminationMs: 100,
    hpaSyncMs: 50,
    logIntervalMs: 20,
    bookmarkIntervalMs: 100,
    ...opts,
  });
}

export async function http(
  cluster: SandboxCluster,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = contentType;
  }
  const res = await fetch(`${cluster.url}${path}`, init);
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Poll until `fn` returns a truthy value (bounded); throws the last error/value on timeout. */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real kubectl against a sandbox. */
export function kubectl(cluster: SandboxCluster, args: string[], input?: string, timeoutMs = 30000): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) {
      child.stdin?.write(input);
      child.stdin?.end();
    }
  });
}

export function deployment(name: string, image = 'nginx:1.27', replicas = 2, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...extra,
    },
  };
}

/** A field set's paths as text (segments joined by "\n"), the form the reference implementations use. */
export function texts(set: FieldSet): Set<string> {
  return new Set([...set].map(pathText));
}

/** Paths as text to a field set. */
export function ids(paths: Iterable<string>): FieldSet {
  return new Set([...paths].map(pathId));
}

/**
 * The plainest changedPaths, the reference the fast-path property tests compare with: every path
 * either object holds, compared on its own from the root, its value found by `valueAt` (the current
 * lookup, or a spec's copy of a former one).
 */
export function referenceChangedPaths(
  oldObj: JsonMap | undefined,
  newObj: JsonMap,
  status: boolean,
  valueAt: (obj: JsonMap | undefined, path: string) => { value: unknown },
): { changed: Set<string>; removed: Set<string> } {
  const oldSet = oldObj ? texts(fieldsOf(oldObj, status)) : new Set<string>();
  const newSet = texts(fieldsOf(newObj, status));
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const p of newSet) {
    if (!oldSet.has(p)) changed.add(p);
    else if (!deepEqual(valueAt(oldObj, p).value, valueAt(newObj, p).value)) changed.add(p);
  }
  for (const p of oldSet) if (!newSet.has(p)) removed.add(p);
  return { changed, removed };
}
