// EnvironmentsService.create's use of placement, with typed fakes of its collaborators and the real
// PlacementService over an in-memory cluster repository: no Prisma, no HTTP.
import { describe, expect, it } from '@jest/globals';
import type { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { EnvironmentEvents } from '../../src/common/events/environment-events.js';
import type { AppsService } from '../../src/modules/apps/apps.service.js';
import type { AppRecord } from '../../src/modules/apps/models/app.model.js';
import { PlacementService } from '../../src/modules/clusters/placement.service.js';
import type { EnvironmentsRepository } from '../../src/modules/environments/environments.repository.js';
import { EnvironmentsService } from '../../src/modules/environments/environments.service.js';
import type { EnvironmentRecord } from '../../src/modules/environments/models/environment.model.js';
import type { QuotasService } from '../../src/modules/quotas/quotas.service.js';
import { ALLOW_ROOT_LABEL } from '../../src/modules/workloads/render/security.js';
import { RecordingAuditNotes } from './fakes/audit-notes.js';
import { FakeClustersRepository } from './fakes/clusters.js';
import { aCluster, aMember, FakeTransactionHost } from './fakes/factories.js';

type NewEnvironment = Parameters<EnvironmentsRepository['create']>[0];

function setUp(clusters: ReturnType<typeof aCluster>[]) {
  const at = new Date('2026-01-01T00:00:00Z');
  const app: AppRecord = { id: 'app-1', teamId: 'team-1', name: 'shop', description: '', state: 'active', version: 1, createdAt: at, updatedAt: at, team: { id: 'team-1', name: 'core' } };
  const created: NewEnvironment[] = [];
  const changed: string[] = [];
  const quotaDeltas: unknown[] = [];
  const environments: Pick<EnvironmentsRepository, 'create'> = {
    async create(data) {
      created.push(data);
      return { id: `env-${created.length}`, teamId: data.teamId, appId: data.appId, name: data.name, production: data.production, autoRollback: data.autoRollback, state: 'active', configCiphertext: '', configKeys: [], releaseCounter: 0, version: 1, createdAt: at, updatedAt: at, app: { id: app.id, name: app.name, state: 'active', team: app.team }, cluster: null } satisfies EnvironmentRecord;
    },
  };
  const apps: Pick<AppsService, 'resolve'> = { resolve: async () => app };
  const quotas: Pick<QuotasService, 'apply'> = {
    async apply(_teamId, delta) {
      quotaDeltas.push(delta);
    },
  };
  const events = new (class extends EnvironmentEvents {
    async changed(_teamId: string, environmentId: string): Promise<void> {
      changed.push(environmentId);
    }
    async teamChanged(): Promise<void> {}
    async clusterChanged(): Promise<void> {}
  })();
  const placement = new PlacementService(new FakeClustersRepository(clusters).asRepository());
  const service = new EnvironmentsService(
    environments as EnvironmentsRepository,
    apps as AppsService,
    quotas as QuotasService,
    {} as EncryptionService,
    new FakeTransactionHost().asHost(),
    events,
    placement,
    new RecordingAuditNotes(),
  );
  return { service, created, changed, quotaDeltas };
}

describe('EnvironmentsService.create and placement', () => {
  it('places on an explicitly named cluster and says the environment changed', async () => {
    const eu = aCluster({ name: 'eu-1' });
    const { service, created, changed, quotaDeltas } = setUp([eu, aCluster()]);
    await service.create(aMember(), 'shop', { name: 'staging', cluster: 'eu-1' });
    expect(created[0]).toMatchObject({ clusterId: eu.id, clusterSelector: null });
    expect(quotaDeltas).toEqual([{ environments: 1 }]);
    expect(changed).toEqual(['env-1']);
  });

  it('leaves placement to the reconciler when no cluster is named, keeping the selector', async () => {
    const { service, created } = setUp([aCluster()]);
    await service.create(aMember(), 'shop', { name: 'staging', cluster_selector: { region: 'eu' } });
    expect(created[0]).toMatchObject({ clusterId: null, clusterSelector: { region: 'eu' } });
  });

  it.each([
    ['an unknown cluster', [] as Array<Partial<ReturnType<typeof aCluster>>>, /no cluster "eu-1" is registered/],
    ['a cordoned cluster', [{ name: 'eu-1', cordoned: true }], /cluster "eu-1" is cordoned/],
  ])('refuses %s, naming the field, and creates nothing', async (_case, given, detail) => {
    const { service, created, changed } = setUp(given.map((over) => aCluster(over)));
    await expect(service.create(aMember(), 'shop', { name: 'staging', cluster: 'eu-1' })).rejects.toMatchObject({ code: 'validation-failed', options: { field: 'cluster' }, detail: expect.stringMatching(detail) });
    expect(created).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('refuses a root profile on a named cluster that does not allow it, and accepts it where allowed', async () => {
    const { service, created } = setUp([aCluster({ name: 'strict' }), aCluster({ name: 'lenient', labels: { [ALLOW_ROOT_LABEL]: 'true' } })]);
    await expect(service.create(aMember(), 'shop', { name: 'a', cluster: 'strict', security_profile: 'root' })).rejects.toMatchObject({ options: { field: 'security_profile' } });
    await service.create(aMember(), 'shop', { name: 'b', cluster: 'lenient', security_profile: 'root' });
    expect(created.map((e) => e.name)).toEqual(['b']);
  });
});
