import { parentPort, workerData } from 'node:worker_threads';
import { startSandboxCluster } from '../src/index.js';

/** Runs a sandbox cluster on its own thread (own event loop, other core) for the benchmark. */
const dataDir = (workerData as { dataDir?: string } | undefined)?.dataDir;
const cluster = await startSandboxCluster({ name: 'bench', rolloutDelayMs: 50, ...(dataDir ? { dataDir } : {}) });
parentPort?.postMessage({ url: cluster.url });
parentPort?.on('message', (msg: unknown) => {
  if (msg === 'stats') parentPort?.postMessage({ stats: cluster.stats() });
  if (msg === 'stop') void cluster.stop().then(() => process.exit(0));
});
