// Plain JSON over HTTP to the API server. client-node's typed serializer renames fields that clash
// with JavaScript words (a LimitRange's `default` becomes `_default`, a NetworkPolicy rule's
// `from` becomes `_from`) and drops them from untyped objects: rendered manifests are plain JSON,
// so they are sent and read as plain JSON. Credentials and TLS still come from the KubeConfig.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

export class KubeHttp {
  constructor(
    private readonly clusterName: string,
    private readonly kubeConfig: KubeConfig,
  ) {}

  async request(method: string, path: string, body?: unknown, contentType = 'application/json', timeoutMs = 30_000): Promise<RawResponse> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeError('unreachable', `cluster ${this.clusterName} has no server in its kubeconfig`, this.clusterName, undefined, undefined);
    const url = new URL(path, cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
    const options: RequestOptions & Record<string, unknown> = { method, headers: { accept: 'application/json' }, timeout: timeoutMs };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) Object.assign(options.headers as Record<string, string>, { 'content-type': contentType, 'content-length': String(payload.length) });
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = send(url, options, (res) => {
        readBody(res).then((parsed) => {
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            reject(fromK8sError({ code: status, body: parsed, headers: res.headers as Record<string, string>, message: `HTTP ${status}` }, this.clusterName));
          } else resolve({ status, body: parsed });
        }, (err: unknown) => reject(fromK8sError(err, this.clusterName)));
      });
      req.on('timeout', () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
      req.on('error', (err) => reject(fromK8sError(err, this.clusterName)));
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
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeError('unreachable', `cluster ${this.clusterName} has no server in its kubeconfig`, this.clusterName, undefined, undefined);
    const url = new URL(path, cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
    const options: RequestOptions & Record<string, unknown> = { method: 'GET', headers: { accept: 'application/json, */*' }, signal };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, options, (res) => {
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
