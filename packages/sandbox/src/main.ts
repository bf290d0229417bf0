import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandboxCluster } from './index.js';

const HELP = `Usage: npm run sandbox -- [--port N] [--name NAME] [--host ADDR] [--kubeconfig PATH] [--token T]
                          [--rollout-delay-ms N] [--time-factor F] [--data-dir DIR]
Environment: SANDBOX_PORT, SANDBOX_NAME, SANDBOX_HOST, SANDBOX_KUBECONFIG, SANDBOX_TOKEN,
             SANDBOX_ROLLOUT_DELAY_MS, SANDBOX_TIME_FACTOR, SANDBOX_DATA_DIR
--data-dir keeps objects and resourceVersions across restarts (and, without --port, the port).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      name: { type: 'string' },
      host: { type: 'string' },
      kubeconfig: { type: 'string' },
      token: { type: 'string' },
      'rollout-delay-ms': { type: 'string' },
      'time-factor': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const env = process.env;
  const name = values.name ?? env['SANDBOX_NAME'] ?? 'sandbox';
  const dataDirArg = values['data-dir'] ?? env['SANDBOX_DATA_DIR'];
  const dataDir = dataDirArg ? resolve(dataDirArg) : undefined;
  const explicitPort = values.port ?? env['SANDBOX_PORT'];
  // With a data directory that remembers a port, reuse it (kubeconfigs stay valid).
  const port = explicitPort !== undefined ? Number(explicitPort) : dataDir && existsSync(join(dataDir, 'cluster.json')) ? undefined : 6443;
  const kubeconfigPath = resolve(values.kubeconfig ?? env['SANDBOX_KUBECONFIG'] ?? `.berth/sandbox-${name}.kubeconfig`);
  const rollout = values['rollout-delay-ms'] ?? env['SANDBOX_ROLLOUT_DELAY_MS'];
  const factor = values['time-factor'] ?? env['SANDBOX_TIME_FACTOR'];
  const token = values.token ?? env['SANDBOX_TOKEN'];
  const cluster = await startSandboxCluster({
    name,
    ...(port !== undefined ? { port } : {}),
    ...(dataDir ? { dataDir } : {}),
    host: values.host ?? env['SANDBOX_HOST'] ?? '127.0.0.1',
    kubeconfigPath,
    ...(token ? { token } : {}),
    ...(rollout ? { rolloutDelayMs: Number(rollout) } : {}),
    ...(factor ? { timeFactor: Number(factor) } : {}),
  });
  console.log(`Berth sandbox cluster "${name}" listening on ${cluster.url}
Kubeconfig written to ${cluster.kubeconfigPath}

  export KUBECONFIG=${cluster.kubeconfigPath}
  kubectl get namespaces
  kubectl create deployment web --image=nginx:1.27 --replicas=2
  kubectl rollout status deployment/web && kubectl get pods -o wide

Fault injection: curl -X PUT ${cluster.url}/_sandbox/faults -d '{"latencyMs":200}'
Request counters: curl ${cluster.url}/_sandbox/stats   (DELETE to reset)
Press Ctrl-C to stop.`);
  const shutdown = (): void => {
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
