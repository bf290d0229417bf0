import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { Injectable } from '@nestjs/common';
import { assertPlatformAdmin, type Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { ClusterProbe } from './cluster-probe.js';
import { EnvironmentMover } from './environment-mover.port.js';
import { ClustersRepository, type ClusterRecord } from './clusters.repository.js';
import type { RegisterClusterInput, UpdateClusterInput } from './dto/register-cluster.input.js';
import { KubeClients } from './kube/kube-clients.service.js';
import { serverOf, toKubeConfig, type ClusterCredentials } from './kube/kube-credentials.js';
import { toClusterModel, type ClusterModel, type DrainResultModel } from './models/cluster.model.js';
import { labelsOf, PlacementService } from './placement.service.js';

@Injectable()
export class ClustersService {
  constructor(
    private readonly clusters: ClustersRepository,
    private readonly kube: KubeClients,
    private readonly probe: ClusterProbe,
    private readonly tx: TransactionHost,
    private readonly mover: EnvironmentMover,
    private readonly placement: PlacementService,
    private readonly notes: AuditNotes,
    private readonly events: EnvironmentEvents,
  ) {}

  async register(actor: Actor, input: RegisterClusterInput): Promise<ClusterModel> {
    assertPlatformAdmin(actor);
    const credentials = credentialsFrom(input);
    let apiUrl: string;
    try {
      apiUrl = serverOf(toKubeConfig(input.name, credentials));
    } catch (error) {
      const field = credentials.kind === 'kubeconfig' ? 'kubeconfig' : 'server';
      throw DomainError.invalid(field, `cannot be used: ${firstLine(error)}`);
    }
    // Probe first, outside the transaction: an unreachable cluster still registers, marked so.
    const health = await this.probe.run(this.kube.probeGateway(input.name, credentials));
    const record = await this.tx.run(async () => {
      const created = await this.clusters.create({
        name: input.name,
        apiUrl,
        credentialsCiphertext: this.kube.sealCredentials(input.name, credentials),
        labels: input.labels ?? {},
        sandbox: false,
        ingressClassName: input.ingress_class_name ?? null,
      });
      await this.clusters.recordProbe(created.id, health);
      return (await this.clusters.findById(created.id))!;
    });
    return toClusterModel(record, 0);
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<ClusterModel>> {
    assertPlatformAdmin(actor);
    const page = pageRequest<string>(query);
    const rows = await this.clusters.list(page);
    const load = await this.clusters.environmentCounts();
    return withCount(toPage(rows, page, (c) => c.id, (c) => toClusterModel(c, load.get(c.id) ?? 0)), () => this.clusters.count());
  }

  async get(actor: Actor, ref: string): Promise<ClusterModel> {
    assertPlatformAdmin(actor);
    return this.model(await this.resolve(ref));
  }

  async update(actor: Actor, ref: string, input: UpdateClusterInput, expectedVersion?: number): Promise<ClusterModel> {
    assertPlatformAdmin(actor);
    const cluster = await this.resolve(ref);
    return this.change(cluster, { labels: input.labels, ingressClassName: input.ingress_class_name }, expectedVersion);
  }

  async cordon(actor: Actor, ref: string, cordoned: boolean): Promise<ClusterModel> {
    assertPlatformAdmin(actor);
    return this.change(await this.resolve(ref), { cordoned });
  }

  async probeNow(actor: Actor, ref: string): Promise<ClusterModel> {
    assertPlatformAdmin(actor);
    const cluster = await this.resolve(ref);
    await this.clusters.recordProbe(cluster.id, await this.probe.run(this.kube.forCluster(cluster)));
    return this.model((await this.clusters.findById(cluster.id))!);
  }

  /**
   * Cordons the cluster and moves each of its environments to the cluster placement would choose
   * now (its selector, other clusters only). Environments no other cluster can take stay, counted
   * as stranded; draining again after adding a cluster moves them.
   */
  async drain(actor: Actor, ref: string): Promise<DrainResultModel> {
    assertPlatformAdmin(actor);
    const cluster = await this.resolve(ref);
    const result = await this.tx.run(async () => {
      await this.clusters.update(cluster.id, { cordoned: true });
      let moved = 0;
      let stranded = 0;
      for (const env of await this.clusters.environmentsOn(cluster.id)) {
        // Placed afresh for each environment, in this transaction: the load counts include the ones already moved.
        const target = await this.placement.best({ selector: labelsOf(env.clusterSelector), excludeClusterIds: [cluster.id] });
        if (!target) {
          stranded += 1;
          continue;
        }
        await this.clusters.moveEnvironment(env.teamId, env.id, target);
        await this.mover.moved(env, cluster.id);
        moved += 1;
      }
      return { moved, stranded };
    });
    this.notes.change({ before: { cordoned: cluster.cordoned }, after: { cordoned: true, moved: result.moved, stranded: result.stranded } });
    return { ...result, cluster: await this.model((await this.clusters.findById(cluster.id))!) };
  }

  /** Answers the forgotten cluster's id (GraphQL's payload names it). */
  async delete(actor: Actor, ref: string): Promise<string> {
    assertPlatformAdmin(actor);
    const cluster = await this.resolve(ref);
    await this.tx.run(async () => {
      const count = (await this.clusters.environmentCounts()).get(cluster.id) ?? 0;
      if (count > 0) throw new DomainError('invalid-state', `cluster "${cluster.name}" still runs ${count} environment(s); drain it first`);
      await this.clusters.delete(cluster.id);
    });
    return cluster.id;
  }

  /**
   * Berth's own sandbox cluster (bootstrap/sandbox-cluster.ts), started for newcomers rather than
   * asked for: wanted when its record exists (Berth restarted) or when no cluster is registered.
   */
  async sandboxWanted(name: string): Promise<boolean> {
    if (await this.clusters.findByRef(name)) return true;
    return (await this.clusters.count()) === 0;
  }

  /**
   * Registers the started sandbox, or points its record at the restarted one (its port may have
   * changed); the start-up resync then compares every environment with what the sandbox holds.
   */
  async registerSandbox(name: string, apiUrl: string, kubeconfig: string): Promise<void> {
    const credentialsCiphertext = this.kube.sealCredentials(name, { kind: 'kubeconfig', kubeconfig });
    await this.tx.run(async () => {
      const existing = await this.clusters.findByRef(name);
      if (existing) await this.clusters.replaceConnection(existing.id, apiUrl, credentialsCiphertext);
      else await this.clusters.create({ name, apiUrl, credentialsCiphertext, labels: { 'berth.dev/sandbox': 'true' }, sandbox: true, ingressClassName: null });
    });
  }

  private async change(cluster: ClusterRecord, data: { labels?: Record<string, string>; ingressClassName?: string; cordoned?: boolean }, expectedVersion?: number): Promise<ClusterModel> {
    const updated = await this.tx.run(() => this.clusters.update(cluster.id, data, expectedVersion));
    if (!updated) throw new DomainError('precondition-failed', `cluster "${cluster.name}" changed since version ${expectedVersion}`, { field: 'If-Match' });
    this.notes.change({
      before: { labels: cluster.labels, ingress_class_name: cluster.ingressClassName, cordoned: cluster.cordoned },
      after: { labels: updated.labels, ingress_class_name: updated.ingressClassName, cordoned: updated.cordoned },
    });
    // Ingresses are rendered with the cluster's class: its environments must be applied again.
    if (updated.ingressClassName !== cluster.ingressClassName) await this.tx.run(() => this.events.clusterChanged(cluster.id));
    return this.model(updated);
  }

  private async resolve(ref: string): Promise<ClusterRecord> {
    const cluster = await this.clusters.findByRef(ref);
    if (!cluster) throw DomainError.notFound('cluster', ref);
    return cluster;
  }

  private async model(cluster: ClusterRecord): Promise<ClusterModel> {
    return toClusterModel(cluster, (await this.clusters.environmentCounts()).get(cluster.id) ?? 0);
  }
}

/**
 * The parser's reason without the excerpt it quotes: YAML errors print the lines around the
 * problem, and those can hold the token or key being registered.
 */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.trim().slice(0, 200);
}

/** Exactly one credential form, with problems naming the field that is missing or extra. */
export function credentialsFrom(input: RegisterClusterInput): ClusterCredentials {
  const direct = input.server !== undefined || input.token !== undefined || input.client_certificate_data !== undefined || input.client_key_data !== undefined;
  if (input.kubeconfig !== undefined) {
    if (direct) throw DomainError.invalid('kubeconfig', 'give either kubeconfig or server with token or client certificate, not both');
    return { kind: 'kubeconfig', kubeconfig: input.kubeconfig, ...(input.context ? { context: input.context } : {}) };
  }
  if (!input.server) throw DomainError.invalid('server', 'give a kubeconfig, or server with token or client certificate');
  const common = { server: input.server, ...(input.ca_data ? { caData: input.ca_data } : {}), insecureSkipTlsVerify: input.insecure_skip_tls_verify ?? false };
  if (input.token !== undefined) {
    if (input.client_certificate_data !== undefined || input.client_key_data !== undefined) throw DomainError.invalid('token', 'give either token or a client certificate, not both');
    return { kind: 'token', ...common, token: input.token };
  }
  if (!input.client_certificate_data || !input.client_key_data) {
    throw DomainError.invalid(input.client_certificate_data ? 'client_key_data' : 'token', 'give a token, or client_certificate_data with client_key_data');
  }
  return { kind: 'client-certificate', ...common, certData: input.client_certificate_data, keyData: input.client_key_data };
}
