// The one door to a cluster's API server: server-side apply, reads, deletes, watches and logs,
// with a per-cluster concurrency cap, bounded retries (honouring 429 Retry-After) and errors
// translated at this edge. Services never touch client-node.
import { Writable } from 'node:stream';
import { VersionApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { fromK8sError, KubeError } from './kube-errors.js';
import { KubeHttp, resourcePath } from './kube-http.js';
import { Semaphore } from './semaphore.js';

export const FIELD_MANAGER = 'berth';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string; uid?: string; [k: string]: unknown };
  [field: string]: unknown;
}

export interface KubeCallObserver {
  (event: { cluster: string; verb: string; status: number | 'error'; seconds: number }): void;
}

export interface GatewayOptions {
  maxConcurrency: number;
  /** Attempts for one call before the error goes up to the work queue's own backoff. */
  maxAttempts: number;
  maxRetryAfterMs: number;
  observe?: KubeCallObserver;
}

export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  /** The last terminated instance of the container instead of the current one. */
  previous?: boolean;
  /** Each line starts with the kubelet's RFC 3339 timestamp and a space. */
  timestamps?: boolean;
  sinceSeconds?: number;
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = { maxConcurrency: 8, maxAttempts: 3, maxRetryAfterMs: 10_000 };

export class KubeGateway {
  private readonly http: KubeHttp;
  private readonly limiter: Semaphore;

  constructor(
    readonly clusterName: string,
    readonly kubeConfig: KubeConfig,
    private readonly options: GatewayOptions = DEFAULT_GATEWAY_OPTIONS,
  ) {
    this.http = new KubeHttp(clusterName, kubeConfig);
    this.limiter = new Semaphore(options.maxConcurrency);
  }

  async version(): Promise<string> {
    const info = await this.call('version', () => this.kubeConfig.makeApiClient(VersionApi).getCode());
    return info.gitVersion;
  }

  /**
   * Server-side apply as Berth's field manager, forcing: Berth owns what it renders. The object the
   * API server answers is not read: what Berth owns is what it sent, and the informers see the rest.
   */
  async apply(object: KubeObject): Promise<void> {
    const path = `${resourcePath(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name)}?fieldManager=${FIELD_MANAGER}&force=true`;
    await this.call('apply', () => this.http.write('PATCH', path, object, 'application/apply-patch+yaml'));
  }

  async get(ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<KubeObject | null> {
    try {
      const path = resourcePath(ref.apiVersion, ref.kind, ref.metadata.namespace, ref.metadata.name);
      return await this.call('get', async () => (await this.http.request('GET', path)).body as KubeObject);
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string): Promise<KubeObject[]> {
    const items: KubeObject[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ labelSelector, limit: '500', ...(token ? { continue: token } : {}) });
      const page = await this.call('list', async () => (await this.http.request('GET', `${resourcePath(apiVersion, kind, namespace)}?${query}`)).body as { items: KubeObject[]; metadata?: { continue?: string } });
      items.push(...page.items.map((o) => ({ ...o, apiVersion, kind })));
      token = page.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  /**
   * One page of a cluster-wide list (limit/continue), as the API server sends it: an informer reads
   * page by page so a large list never sits in memory whole. `resourceVersion` is the list's.
   */
  async listPage(apiVersion: string, kind: string, labelSelector: string, limit: number, token: string | undefined): Promise<{ items: KubeObject[]; resourceVersion: string; continue: string | undefined }> {
    const query = new URLSearchParams({ labelSelector, limit: String(limit), ...(token ? { continue: token } : {}) });
    const page = await this.call('list', async () => (await this.http.request('GET', `${resourcePath(apiVersion, kind, undefined)}?${query}`)).body as { items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } });
    return { items: page.items ?? [], resourceVersion: page.metadata?.resourceVersion ?? '', continue: page.metadata?.continue || undefined };
  }

  /**
   * A cluster-wide watch from `resourceVersion`, with bookmarks: each event (ADDED, MODIFIED,
   * DELETED, BOOKMARK, ERROR) goes to `onEvent` as parsed; `done` gets why the stream ended
   * (undefined when the server closed it normally). Not bounded by the request cap: it is one
   * long-lived connection per kind.
   */
  async watchFrom(apiVersion: string, kind: string, labelSelector: string, resourceVersion: string, onEvent: (type: string, object: KubeObject) => void, done: (error: unknown) => void): Promise<AbortController> {
    const query = new URLSearchParams({ watch: 'true', labelSelector, resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(300 + Math.floor(Math.random() * 300)) });
    const aborter = new AbortController();
    let response;
    try {
      response = await this.http.stream(`${resourcePath(apiVersion, kind, undefined)}?${query}`, aborter.signal);
    } catch (raw) {
      const error = fromK8sError(raw, this.clusterName);
      this.options.observe?.({ cluster: this.clusterName, verb: 'watch', status: error.status ?? 'error', seconds: 0 });
      throw error;
    }
    this.options.observe?.({ cluster: this.clusterName, verb: 'watch', status: 200, seconds: 0 });
    let buffered = '';
    let ended = false;
    const end = (error: unknown) => {
      if (ended) return;
      ended = true;
      done(error);
    };
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!line) continue;
        let event: { type?: string; object?: KubeObject };
        try {
          event = JSON.parse(line) as { type?: string; object?: KubeObject };
        } catch (error) {
          aborter.abort();
          end(error);
          return;
        }
        if (event.type && event.object) onEvent(event.type, event.object);
      }
    });
    response.on('end', () => end(undefined));
    response.on('error', (error) => end(aborter.signal.aborted ? undefined : fromK8sError(error, this.clusterName)));
    response.on('close', () => end(aborter.signal.aborted ? undefined : new KubeError('unreachable', `watch of ${kind} on cluster ${this.clusterName} was cut`, this.clusterName, undefined, undefined)));
    return aborter;
  }

  /** Deletes in the background (dependents are garbage-collected); absent objects are fine. */
  async delete(ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    try {
      const path = resourcePath(ref.apiVersion, ref.kind, ref.metadata.namespace, ref.metadata.name);
      await this.call('delete', () => this.http.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }));
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found') return;
      throw error;
    }
  }

  /** Streams watch events of `path` until aborted; `done` gets the reason it ended. */
  async watch(path: string, params: Record<string, string | number | boolean | undefined>, onEvent: (type: string, object: KubeObject) => void, done: (error: unknown) => void): Promise<AbortController> {
    this.options.observe?.({ cluster: this.clusterName, verb: 'watch', status: 200, seconds: 0 });
    return new Watch(this.kubeConfig).watch(path, params, (type, object) => onEvent(type, object as KubeObject), done);
  }

  /** Streams a container's log into `sink`; a refusal (e.g. 400 "waiting to start") is a KubeError with the server's message. */
  async logs(namespace: string, pod: string, container: string, sink: Writable, options: LogOptions): Promise<AbortController> {
    const query = new URLSearchParams({ container, follow: String(options.follow) });
    if (options.tailLines !== undefined) query.set('tailLines', String(options.tailLines));
    if (options.previous) query.set('previous', 'true');
    if (options.timestamps) query.set('timestamps', 'true');
    if (options.sinceSeconds !== undefined) query.set('sinceSeconds', String(options.sinceSeconds));
    const aborter = new AbortController();
    const started = performance.now();
    try {
      const response = await this.http.stream(`${resourcePath('v1', 'Pod', namespace, pod)}/log?${query}`, aborter.signal);
      this.options.observe?.({ cluster: this.clusterName, verb: 'logs', status: 200, seconds: (performance.now() - started) / 1000 });
      response.on('error', () => sink.end());
      response.pipe(sink);
    } catch (raw) {
      const error = fromK8sError(raw, this.clusterName);
      this.options.observe?.({ cluster: this.clusterName, verb: 'logs', status: error.status ?? 'error', seconds: (performance.now() - started) / 1000 });
      throw error;
    }
    return aborter;
  }

  private async call<T>(verb: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const result = await this.limiter.run(fn);
        this.options.observe?.({ cluster: this.clusterName, verb, status: 200, seconds: (performance.now() - started) / 1000 });
        return result;
      } catch (raw) {
        const error = fromK8sError(raw, this.clusterName);
        this.options.observe?.({ cluster: this.clusterName, verb, status: error.status ?? 'error', seconds: (performance.now() - started) / 1000 });
        // Unreachable clusters fail fast: the work queue backs off, so other clusters never wait.
        if (!error.retryable || error.kind === 'unreachable' || attempt >= this.options.maxAttempts) throw error;
        await sleep(retryDelay(error, attempt, this.options.maxRetryAfterMs));
      }
    }
  }
}

/** Retry-After when given (bounded), else exponential backoff with full jitter. */
export function retryDelay(error: KubeError, attempt: number, maxRetryAfterMs: number): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, maxRetryAfterMs);
  return Math.random() * Math.min(2000, 100 * 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
