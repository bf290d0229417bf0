// Plain JSON over HTTP to the API server. client-node's typed serializer renames fields that clash
// with JavaScript words (a LimitRange's `default` becomes `_default`, a NetworkPolicy rule's
// `from` becomes `_from`) and drops them from untyped objects: rendered manifests are plain JSON,
// so they are sent and read as plain JSON. Credentials and TLS still come from the KubeConfig.
//
// Connections are kept alive and reused. client-node's `applyToHTTPSOptions` hands every call a new
// Agent, i.e. a new TCP connection (and TLS handshake) per request: at a reconcile's ~9 requests
// that was most of the connection work on both sides (docs/performance.md, row 7 profiles).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { knownKind } from '../../../common/kubernetes/kinds.js';
import { KubeError, fromK8sError } from './kube-errors.js';

export function resourcePath(apiVersion: string, kind: string, namespace: string | undefined, name?: string): string {
  const info = knownKind(apiVersion, kind);
  if (!info) throw new Error(`Berth does not manage ${apiVersion} ${kind}`);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/**
 * A pooled connection idles at most this long: below any API server's idle timeout (kube-apiserver
 * keeps idle HTTP/1.1 connections 90 s; a Node server announces 5 s, and Node's agent honours that
 * hint less a second), so a request rarely meets a connection the server is closing.
 */
const IDLE_SOCKET_MS = 4000;

/** The TLS settings `applyToHTTPSOptions` derived from the kubeconfig: a pooled agent is valid while they stay the same. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

export class KubeHttp {
  private pooled: { protocol: string; tls: unknown[]; agent: HttpAgent } | undefined;
  /** The request target, kept while the credentials are static (see target()). */
  private prepared: Target | undefined;

  constructor(
    private readonly clusterName: string,
    private readonly kubeConfig: KubeConfig,
  ) {}

  async request(method: string, path: string, body?: unknown, contentType = 'application/json', timeoutMs = 30_000): Promise<RawResponse> {
    return this.sendOnce(method, path, body, contentType, timeoutMs, false);
  }

  /**
   * A write whose answer only matters by its status: a success's body (the whole object, its
   * managedFields included) is drained without being parsed. An error's Status is read as always.
   */
  async write(method: string, path: string, body: unknown, contentType: string, timeoutMs = 30_000): Promise<number> {
    return (await this.sendOnce(method, path, body, contentType, timeoutMs, true)).status;
  }

  private async sendOnce(method: string, path: string, body: unknown, contentType: string, timeoutMs: number, discard: boolean): Promise<RawResponse> {
    try {
      return await this.send(method, path, body, contentType, timeoutMs, true, discard);
    } catch (error) {
      // A pooled connection the server closed just as it was reused: sent again on a new one (what
      // Node's docs advise for request.reusedSocket). Only this case: anything else is the server's answer.
      if (error instanceof StaleConnection) return this.send(method, path, body, contentType, timeoutMs, false, discard);
      throw error;
    }
  }

  /** Keep-alive agent for this cluster's TLS settings (a new one only when they change, e.g. a rotated client certificate). */
  private agentFor(protocol: string, options: RequestOptions & Record<string, unknown>): HttpAgent | undefined {
    // Through a proxy, client-node's own agent stays (it speaks the proxy protocol).
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl) return undefined;
    const tls = TLS_FIELDS.map((field) => options[field]);
    const pooled = this.pooled;
    if (pooled && pooled.protocol === protocol && tls.every((value, i) => sameSetting(value, pooled.tls[i]))) return pooled.agent;
    // The previous agent is left to close its idle sockets itself (requests may still be on it).
    const settings: Record<string, unknown> = {};
    TLS_FIELDS.forEach((field, i) => {
      if (tls[i] !== undefined) settings[field] = tls[i];
    });
    const agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, ...settings }) : new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    this.pooled = { protocol, tls, agent };
    return agent;
  }

  /**
   * What every request to this cluster starts from: the server's address, the credentials' headers
   * and TLS settings, and the pooled agent. Worked out once when the kubeconfig's credentials are
   * inline and static (Berth's own token and client-certificate kinds, most kubeconfigs): client-node
   * would otherwise decode the CA, certificate and key from base64 and build an Agent for every
   * request (3–9 µs each, measured). Exec plugins, auth providers (token files) and credentials in files
   * are asked on every request, as before: they may rotate.
   */
  private async target(): Promise<Target> {
    if (this.prepared) return this.prepared;
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeError('unreachable', `cluster ${this.clusterName} has no server in its kubeconfig`, this.clusterName, undefined, undefined);
    const url = new URL(cluster.server);
    const server = urlToHttpOptions(url);
    const options: RequestOptions & Record<string, unknown> = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const target: Target = {
      https: server.protocol === 'https:',
      // A server behind a path (a Rancher or Teleport proxy: https://host/k8s/clusters/c-1) gets the
      // API paths under it, as kubectl sends them.
      prefix: url.pathname.replace(/\/+$/, ''),
      // The server's own address and credentials in the URL (user:password@host), as a URL would give them.
      options: { ...options, protocol: server.protocol, hostname: server.hostname, port: server.port, ...(server.auth ? { auth: server.auth } : {}) },
    };
    target.agent = this.agentFor(server.protocol ?? 'http:', options);
    if (hasStaticCredentials(this.kubeConfig)) this.prepared = target;
    return target;
  }

  private async send(method: string, path: string, body: unknown, contentType: string, timeoutMs: number, mayReuse: boolean, discard: boolean): Promise<RawResponse> {
    const target = await this.target();
    // Object.assign, not spreads: on Node 20 an object spread and then given members it lacked costs
    // ~1.5 µs per member (a new hidden class each time), a copy by assignment ~40 ns (docs/performance.md).
    const headers: Record<string, string> = Object.assign({}, target.options.headers as Record<string, string>, { accept: 'application/json' });
    const options: RequestOptions & Record<string, unknown> = Object.assign({}, target.options, { method, path: target.prefix + path, headers, timeout: timeoutMs });
    // A retry after a stale connection takes a connection of its own (the TLS settings are on the
    // options too): the pool may hold more sockets the server closed.
    if (target.agent) options.agent = mayReuse ? target.agent : false;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) Object.assign(headers, { 'content-type': contentType, 'content-length': String(payload.length) });
    const send = target.https ? httpsRequest : httpRequest;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = send(options, (res) => {
        const status = res.statusCode ?? 0;
        (discard && status < 400 ? drainBody(res) : readBody(res)).then((parsed) => {
          if (status >= 400) {
            reject(fromK8sError({ code: status, body: parsed, headers: res.headers as Record<string, string>, message: `HTTP ${status}` }, this.clusterName));
          } else resolve({ status, body: parsed });
        }, (err: unknown) => reject(fromK8sError(err, this.clusterName)));
      });
      req.on('timeout', () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) reject(new StaleConnection(err));
        else reject(fromK8sError(err, this.clusterName));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * A streaming GET (pod logs): resolves with the open response on 200; any other status is read
   * as the API server's Status and translated like every other error, so its message survives
   * (client-node's Log replaces it with "Error occurred in log request").
   */
  async stream(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    const target = await this.target();
    // Not on the pooled agent: a watch holds its connection for minutes (client-node's agent, one connection each).
    const headers: Record<string, string> = Object.assign({}, target.options.headers as Record<string, string>, { accept: 'application/json, */*' });
    const options: RequestOptions & Record<string, unknown> = Object.assign({}, target.options, { method: 'GET', path: target.prefix + path, headers, signal });
    const send = target.https ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(options, (res) => {
        const status = res.statusCode ?? 0;
        if (status === 200) {
          resolve(res);
          return;
        }
        readBody(res).then(
          (parsed) => reject(fromK8sError({ code: status, body: parsed, headers: res.headers as Record<string, string>, message: `HTTP ${status}` }, this.clusterName)),
          (err: unknown) => reject(fromK8sError(err, this.clusterName)),
        );
      });
      req.on('error', (err) => reject(fromK8sError(err, this.clusterName)));
      req.end();
    });
  }
}

/** A kept-alive connection was closed by the server as this request reused it (nothing was processed). */
class StaleConnection extends Error {
  constructor(override readonly cause: Error) {
    super(`kept-alive connection closed by the server: ${cause.message}`);
  }
}

interface Target {
  https: boolean;
  /** The server URL's path, without a trailing slash ('' for most servers). */
  prefix: string;
  /** Address, credentials' headers and TLS settings; copied per request, never changed. */
  options: RequestOptions & Record<string, unknown>;
  agent?: HttpAgent | undefined;
}

/**
 * Credentials that cannot change while this KubeConfig lives: inline data, no exec plugin, no auth
 * provider (client-node's token-file and OIDC kinds refresh), no files (rotated on disk), no proxy.
 */
function hasStaticCredentials(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || cluster.caFile || cluster.proxyUrl) return false;
  return !user || (!user.exec && !user.authProvider && !user.certFile && !user.keyFile);
}

function sameSetting(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameSetting(x, b[i]));
  return a === b;
}

/** Reads a response to its end, keeping nothing (the connection goes back to the pool then). */
function drainBody(res: IncomingMessage): Promise<undefined> {
  return new Promise((resolve, reject) => {
    res.on('error', reject);
    res.on('end', () => resolve(undefined));
    res.resume();
  });
}

/** A response's body: JSON when it parses (the API server's objects and Status), else its text. */
function readBody(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(text);
      }
    });
  });
}
