import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SimClock } from './clock.js';
import { ClusterCore } from './cluster.js';
import { reserveClusterIp } from './defaults.js';
import { Persistence } from './persistence.js';
import { R } from './resources.js';
import { DEFAULT_FAULTS, StatsCollector, type FaultSettings, type SandboxStats } from './faults.js';
import { buildKubeconfig } from './kubeconfig.js';
import { createHandler, type ServerContext } from './server.js';
import { DEFAULT_SETTINGS, type SimulationSettings } from './settings.js';
import { WatchHub } from './watch.js';

export type { FaultSettings, SandboxStats, VerbCounts, Verb } from './faults.js';
export type { SimulationSettings } from './settings.js';
export type { ClusterCore } from './cluster.js';
export { CPU_ANNOTATION } from './controllers/hpa.controller.js';
export { imageBehaviour } from './controllers/images.js';
export { SimClock } from './clock.js';

export interface SandboxClusterOptions extends Partial<SimulationSettings> {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Cluster/context name in the kubeconfig; default "sandbox". */
  name?: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Where to write the kubeconfig; default a file in the OS temp directory. */
  kubeconfigPath?: string;
  /** Events kept for watch resumption (default 25,000); older resourceVersions get 410 Gone. */
  historySize?: number;
  /** Initial fault settings. */
  faults?: Partial<FaultSettings>;
  /** The wall clock CronJobs are scheduled by (default: a SimClock following real time). */
  clock?: SimClock;
  /**
   * Keep objects and the resourceVersion counter in this directory across restarts (created if
   * missing). Without `port`, a restart listens on the port it had before when that is free, so
   * kubeconfigs stay valid. Watches from before a restart get 410 Gone.
   */
  dataDir?: string;
}

/** Runtime fault switches; settings are plain fields, changes apply to the next request. */
export class SandboxFaults implements FaultSettings {
  latencyMs = DEFAULT_FAULTS.latencyMs;
  errorRate = DEFAULT_FAULTS.errorRate;
  errorStatus: 500 | 503 = DEFAULT_FAULTS.errorStatus;
  throttle = DEFAULT_FAULTS.throttle;
  retryAfterSeconds = DEFAULT_FAULTS.retryAfterSeconds;

  constructor(
    private readonly hooks: { dropWatches: () => number; down: () => Promise<void>; up: () => Promise<void>; isDown: () => boolean },
  ) {}

  set(settings: Partial<FaultSettings>): this {
    Object.assign(this, settings);
    return this;
  }

  /** Back to no faults (and listening again if down). */
  async reset(): Promise<void> {
    this.set(DEFAULT_FAULTS);
    if (this.hooks.isDown()) await this.hooks.up();
  }

  /** Abruptly close all open watch connections; returns how many were dropped. */
  dropWatches(): number {
    return this.hooks.dropWatches();
  }

  /** Close the listening socket and all connections: clients get "connection refused". */
  down(): Promise<void> {
    return this.hooks.down();
  }

  /** Listen again on the same port. */
  up(): Promise<void> {
    return this.hooks.up();
  }

  get isDown(): boolean {
    return this.hooks.isDown();
  }

  toJSON(): FaultSettings & { down: boolean } {
    return { latencyMs: this.latencyMs, errorRate: this.errorRate, errorStatus: this.errorStatus, throttle: this.throttle, retryAfterSeconds: this.retryAfterSeconds, down: this.isDown };
  }
}

export interface SandboxCluster {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  name: string;
  port: number;
  /** Kubeconfig YAML for this cluster (context = name, namespace default). */
  kubeconfig: string;
  kubeconfigPath: string;
  faults: SandboxFaults;
  stats(): SandboxStats;
  resetStats(): void;
  /** In-process access to the simulated cluster (tests and benchmarks). */
  core: ClusterCore;
  /** The simulated wall clock of the CronJob controller: freeze(), advance(ms), resume(). */
  clock: SimClock;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Start a sandbox cluster: a Kubernetes API server with simulated controllers, over HTTP. */
export async function startSandboxCluster(options: SandboxClusterOptions = {}): Promise<SandboxCluster> {
  const settings: SimulationSettings = { ...DEFAULT_SETTINGS };
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof SimulationSettings)[]) {
    const v = options[k];
    if (typeof v === 'number') settings[k] = v;
  }
  const host = options.host ?? '127.0.0.1';
  const name = options.name ?? 'sandbox';
  const persistence = options.dataDir ? new Persistence(options.dataDir) : undefined;
  const core = new ClusterCore(settings, options.historySize ?? 25000, persistence, options.clock);
  for (const svc of core.store.list(R.services)) reserveClusterIp(svc.spec?.['clusterIP']);
  const stats = new StatsCollector();
  const watches = new WatchHub(core.store, { bookmarkIntervalMs: settings.bookmarkIntervalMs });
  let server: Server;
  const remembered = persistence?.readMeta()['port'];
  let port = options.port ?? 0;
  let down = false;
  const faults = new SandboxFaults({
    dropWatches: () => {
      const n = watches.count;
      watches.dropAll();
      return n;
    },
    down: async () => {
      if (down) return;
      down = true;
      watches.dropAll();
      await close(server);
    },
    up: async () => {
      if (!down) return;
      server = createServer({ keepAlive: true }, handler);
      await listen(server, port, host);
      down = false;
    },
    isDown: () => down,
  });
  if (options.faults) faults.set(options.faults);
  const ctx: ServerContext = {
    store: core.store,
    registry: core.registry,
    watches,
    stats,
    faults,
    token: options.token,
    logIntervalMs: settings.logIntervalMs,
    serverAddress: () => `${host}:${port}`,
    setDown: (d) => void (d ? faults.down() : faults.up()),
  };
  const handler = createHandler(ctx);
  server = createServer({ keepAlive: true }, handler);
  if (options.port === undefined && typeof remembered === 'number') {
    try {
      port = await listen(server, remembered, host);
    } catch {
      server = createServer({ keepAlive: true }, handler);
      port = await listen(server, 0, host);
    }
  } else port = await listen(server, port, host);
  persistence?.writeMeta({ port, name });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kubeconfig = buildKubeconfig(name, url, options.token);
  const kubeconfigPath = options.kubeconfigPath ?? join(tmpdir(), `berth-sandbox-${name}-${port}.kubeconfig`);
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  return {
    url,
    name,
    port,
    kubeconfig,
    kubeconfigPath,
    faults,
    core,
    clock: core.clock,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    stop: async () => {
      watches.closeAll();
      if (!down) await close(server);
      down = true;
      core.stop();
    },
  };
}
