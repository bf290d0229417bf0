// Row 5: requests a deploy makes to the cluster, counted at the sandbox: one write per rendered
// object (N) is ideal; a resync with nothing changed must make no request at all (it compares
// owned-fields hashes with the informer cache).
import { ReconcilerService } from '../../src/modules/workloads/reconciler.service.js';
import { ClusterInformers } from '../../src/modules/workloads/cluster-informers.service.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { seedApp, startBerth } from '../lib/berth.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { query } from '../lib/postgres.js';
import { newSandbox, registerCluster, waitApplied } from '../lib/sandbox.js';
import { times, verdict, type ResultRow } from '../lib/report.js';

export async function kubeRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('kube');
  const cluster = await newSandbox('bench-k');
  const berth = await startBerth(db.url, { BERTH_RATE_LIMIT_ENABLED: 'false' });
  try {
    const clusterId = await registerCluster(berth, cluster);
    // Steady state: the cluster's informers have listed it (their list and watch requests are not
    // a deploy's), so the reconciler reads the namespace from their cache.
    const informers = berth.server.app.get(ClusterInformers);
    for (let i = 0; i < 400 && !informers.synced(clusterId); i += 1) await new Promise((r) => setTimeout(r, 25));
    const seeded = await seedApp(berth.api, 'kube');
    const owner = berth.api.as(seeded.token);
    // Workers paused while the environment is set up, so one reconcile applies everything at once.
    const queue = berth.server.app.get(WorkQueueService);
    await queue.stop();
    const env = await owner.call<{ id: string }>('POST', `/v1/apps/${seeded.app}/environments`, { name: 'prod', cluster: cluster.name });
    const path = `/v1/apps/${seeded.app}/environments/prod`;
    // Two process types and a config var, so the rendering has most kinds of objects.
    await owner.call('PATCH', `${path}/formation`, { process_types: [{ type: 'web', replicas: 2 }, { type: 'worker', command: 'run-worker', replicas: 1 }] });
    await owner.call('PATCH', `${path}/config-vars`, { set: { GREETING: 'hello' } });
    await owner.call('POST', `${path}/releases`, { image: 'registry.example.com/bench/web:1.0.0' });
    cluster.resetStats();
    await queue.start();
    await waitApplied(db.url, [env.id], undefined, 2);
    const first = cluster.stats();
    await new Promise((r) => setTimeout(r, 1000));
    cluster.resetStats();
    await owner.call('POST', `${path}/releases`, { image: 'registry.example.com/bench/web:1.0.1' });
    await waitApplied(db.url, [env.id], undefined, 2);
    const second = cluster.stats();
    const [row] = await query<{ objects: string[] }>(db.url, 'SELECT applied_objects AS objects FROM environments WHERE id = $1', [env.id]);
    const n = row!.objects.length;
    const reconciler = berth.server.app.get(ReconcilerService);
    await new Promise((r) => setTimeout(r, 1000));
    cluster.resetStats();
    const outcome = await reconciler.reconcile(env.id, { resync: true });
    const resync = cluster.stats();
    const firstMutating = first.mutating;
    const totalRatio = first.total / n;
    const verbs = (s: typeof first) => Object.entries(s.byVerb).map(([k, v]) => `${k} ${v}`).join(', ');
    return [
      { row: '5 Kubernetes', metric: `Mutating requests, first deploy of an environment rendering N = ${n} objects`, measured: `${firstMutating} (${verbs(first)})`, value: `${firstMutating} vs N + 1 = ${n + 1}`, goal: '≤ N + 1', verdict: verdict(firstMutating <= n + 1), data: { n, first, second, resync, outcome } },
      { row: '5 Kubernetes', metric: 'Mutating requests, next release (new image)', measured: `${second.mutating} (${verbs(second)})`, value: `${second.mutating} vs N + 1 = ${n + 1}`, goal: '≤ N + 1', verdict: verdict(second.mutating <= n + 1), note: 'Only objects whose rendering changed are applied.' },
      { row: '5 Kubernetes', metric: 'First deploy: total requests until the apply is recorded vs ideal (N)', measured: `${first.total} vs ${n}`, value: times(totalRatio), goal: '≤ 1.1× ideal', verdict: verdict(totalRatio <= 1.1) },
      { row: '5 Kubernetes', metric: 'Resync with nothing changed: writes / lists / gets', measured: `${resync.mutating} writes, ${resync.byVerb.list ?? 0} lists, ${resync.byVerb.get ?? 0} gets, ${resync.total} requests in all`, value: `${resync.mutating} / ${resync.byVerb.list ?? 0} / ${resync.byVerb.get ?? 0}`, goal: '0 / 0 / 0', verdict: verdict(resync.total === 0), note: `The resync compares owned-fields hashes with the informer cache; outcome ${outcome.result}. Before #15 it read each of the N objects (N GETs).` },
    ];
  } finally {
    await berth.close();
    await cluster.stop();
    await db.drop();
  }
}
