// KubeHttp keeps connections to an API server alive and reuses them, and sends a request again on a
// new connection when the server closed the reused one under it. Faked at the HTTP boundary: a
// plain HTTP server that counts connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeGateway } from '../../src/modules/clusters/kube/kube-gateway.js';
import { toKubeConfig } from '../../src/modules/clusters/kube/kube-credentials.js';

interface FakeServer {
  server: Server;
  url: string;
  connections: number;
  requests: number;
}

async function fakeApiServer(handle: (req: IncomingMessage, res: ServerResponse, socketRequests: number, server: FakeServer) => void): Promise<FakeServer> {
  const perSocket = new WeakMap<Socket, number>();
  const fake: FakeServer = { server: undefined!, url: '', connections: 0, requests: 0 };
  fake.server = createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    fake.requests += 1;
    req.resume();
    req.on('end', () => handle(req, res, n, fake));
  });
  fake.server.on('connection', () => (fake.connections += 1));
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  const address = fake.server.address();
  fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return fake;
}

function gatewayFor(url: string): KubeGateway {
  return new KubeGateway('fake', toKubeConfig('fake', { kind: 'token', server: url, token: 't0ken', insecureSkipTlsVerify: true }), { maxConcurrency: 4, maxAttempts: 1, maxRetryAfterMs: 0 });
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function answer(res: ServerResponse, name: string): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: '1' } }));
}

describe('KubeHttp connections', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('reuses one kept-alive connection for sequential requests, with the credentials on each', async () => {
    const auth: Array<string | undefined> = [];
    const fake = await fakeApiServer((req, res) => {
      auth.push(req.headers.authorization);
      answer(res, 'a');
    });
    servers.push(fake.server);
    const gateway = gatewayFor(fake.url);
    for (let i = 0; i < 5; i += 1) expect((await gateway.get(namespace('a')))?.metadata.name).toBe('a');
    await gateway.apply(namespace('a'));
    expect(fake.requests).toBe(6);
    expect(fake.connections).toBe(1);
    expect(auth).toEqual(Array(6).fill('Bearer t0ken'));
  });

  it('drains an apply’s answer without reading it, on the same connection, and still reads an error’s Status', async () => {
    let applies = 0;
    const fake = await fakeApiServer((req, res) => {
      applies += 1;
      res.setHeader('content-type', 'application/json');
      if (applies === 3) {
        res.statusCode = 409;
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, message: 'Operation cannot be fulfilled: the object has been modified' }));
        return;
      }
      // A large answer, in several chunks: the next request can only reuse the connection once it is read to its end.
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'd', annotations: { big: 'x'.repeat(256 * 1024) } } }));
    });
    servers.push(fake.server);
    const gateway = gatewayFor(fake.url);
    await expect(gateway.apply(namespace('d'))).resolves.toBeUndefined();
    await expect(gateway.apply(namespace('d'))).resolves.toBeUndefined();
    await expect(gateway.apply(namespace('d'))).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('the object has been modified') });
    expect(fake.connections).toBe(1);
  });

  it('sends a request again on a new connection when the server closed the reused one', async () => {
    // The second request on any connection finds it closed without an answer: what a request sees
    // when the server's idle timeout closes a connection the client just reused.
    const fake = await fakeApiServer((req, res, socketRequests) => {
      if (socketRequests === 2) req.socket.destroy();
      else answer(res, 'b');
    });
    servers.push(fake.server);
    const gateway = gatewayFor(fake.url);
    expect((await gateway.get(namespace('b')))?.metadata.name).toBe('b');
    expect((await gateway.get(namespace('b')))?.metadata.name).toBe('b');
    expect(fake.requests).toBe(3);
    expect(fake.connections).toBe(2);
  });

  it('does not send again when a new connection fails: the cluster is unreachable', async () => {
    const fake = await fakeApiServer((req) => req.socket.destroy());
    servers.push(fake.server);
    await expect(gatewayFor(fake.url).get(namespace('c'))).rejects.toMatchObject({ kind: 'unreachable' });
    expect(fake.requests).toBe(1);
  });
  it('sends API paths under the path of a server behind a proxy (https://host/k8s/clusters/c-1), as kubectl does', async () => {
    const paths: Array<string | undefined> = [];
    const fake = await fakeApiServer((req, res) => {
      paths.push(req.url);
      answer(res, 'p');
    });
    servers.push(fake.server);
    const gateway = gatewayFor(`${fake.url}/k8s/clusters/c-1/`);
    await gateway.get(namespace('p'));
    await gateway.apply(namespace('p'));
    expect(paths).toEqual(['/k8s/clusters/c-1/api/v1/namespaces/p', '/k8s/clusters/c-1/api/v1/namespaces/p?fieldManager=berth&force=true']);
  });

  it('asks an exec credential plugin on every request: a rotated token is used at once', async () => {
    // Static credentials are worked out once per cluster; a plugin's are not (it may rotate them).
    const dir = mkdtempSync(join(tmpdir(), 'berth-exec-'));
    try {
      // The plugin prints an ExecCredential with whatever token the file holds now.
      const tokenFile = join(dir, 'token');
      const plugin = join(dir, 'credential.sh');
      writeFileSync(tokenFile, 'first');
      writeFileSync(plugin, `#!/bin/sh\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat '${tokenFile}')"\n`);
      chmodSync(plugin, 0o755);
      const auth: Array<string | undefined> = [];
      const fake = await fakeApiServer((req, res) => {
        auth.push(req.headers.authorization);
        answer(res, 'e');
      });
      servers.push(fake.server);
      const kubeconfig = stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: fake.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', command: plugin } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      });
      const gateway = new KubeGateway('fake', toKubeConfig('fake', { kind: 'kubeconfig', kubeconfig }), { maxConcurrency: 4, maxAttempts: 1, maxRetryAfterMs: 0 });
      await gateway.get(namespace('e'));
      writeFileSync(tokenFile, 'second');
      await gateway.get(namespace('e'));
      expect(auth).toEqual(['Bearer first', 'Bearer second']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
