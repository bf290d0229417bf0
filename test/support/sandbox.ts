// Sandbox clusters for integration tests: fast rollouts, registered with a Berth test app.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import { expectStatus, type HttpResponse } from './http.js';
import type { TestApp } from './test-app.js';

const run = promisify(execFile);

export async function newSandbox(name: string): Promise<SandboxCluster> {
  return startSandboxCluster({ name, rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50 });
}

export async function registerCluster(app: TestApp, sandbox: SandboxCluster, labels: Record<string, string> = {}): Promise<{ id: string; name: string }> {
  return expectStatus(await app.admin.post<{ id: string; name: string }>('/v1/clusters', { name: sandbox.name, kubeconfig: sandbox.kubeconfig, labels }), 201).body;
}

export async function kubectl(sandbox: SandboxCluster, args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', sandbox.kubeconfigPath, ...args], { timeout: 20_000 });
  return stdout;
}

/** Polls until `check` returns a value (not undefined), failing with the last answer after `tries`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, tries = 200, delayMs = 50): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i += 1) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function releasePhase(app: TestApp, path: string, number: number): Promise<HttpResponse<{ phase: string; reason: string | null }>> {
  return app.admin.get<{ phase: string; reason: string | null }>(`${path}/releases/${number}`);
}
