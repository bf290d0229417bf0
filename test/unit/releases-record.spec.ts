// ReleasesService.record with typed fakes of its collaborators: the order of the steps that must
// commit together (number, release row, retention, supersession, "desired state changed").
import { describe, expect, it } from '@jest/globals';
import type { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { EnvironmentEvents } from '../../src/common/events/environment-events.js';
import type { TransactionHost } from '../../src/database/prisma.service.js';
import type { EnvironmentsService } from '../../src/modules/environments/environments.service.js';
import type { EnvironmentRecord } from '../../src/modules/environments/models/environment.model.js';
import type { FormationService } from '../../src/modules/formation/formation.service.js';
import type { ProcessTypeSnapshot } from '../../src/modules/formation/models/process-type.model.js';
import type { QuotasService } from '../../src/modules/quotas/quotas.service.js';
import type { ReleaseRecord } from '../../src/modules/releases/models/release.model.js';
import type { NewRelease, ReleasesRepository } from '../../src/modules/releases/releases.repository.js';
import { ReleasesService, type ReleaseSpec } from '../../src/modules/releases/releases.service.js';
import { AccessRevocation } from '../../src/modules/auth/access-revocation.js';
import { aMember, FakeTransactionHost } from './fakes/factories.js';

/** Recording a release opens no stream, so access never ends here. */
class NoRevocation extends AccessRevocation {
  register(): () => void {
    return () => undefined;
  }
}

function anEnvironment(over: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: 'env-1',
    teamId: 'team-1',
    appId: 'app-1',
    name: 'prod',
    production: true,
    autoRollback: false,
    state: 'active',
    configCiphertext: 'sealed',
    configKeys: [],
    releaseCounter: 4,
    version: 1,
    createdAt: at,
    updatedAt: at,
    app: { id: 'app-1', name: 'shop', state: 'active', team: { id: 'team-1', name: 'core' } },
    ...over,
  };
}

const spec = (over: Partial<ReleaseSpec> = {}): ReleaseSpec => ({ kind: 'deploy', image: 'registry.example.com/shop/web:1.2.3', imageDigest: null, config: { B: '2', A: '1' }, description: 'Deploy 1.2.3', ...over });

class RecordingEvents extends EnvironmentEvents {
  readonly changes: string[] = [];
  constructor(private readonly log: string[]) {
    super();
  }
  async changed(teamId: string, environmentId: string): Promise<void> {
    this.log.push(`changed ${teamId}/${environmentId}`);
    this.changes.push(environmentId);
  }
  async teamChanged(teamId: string): Promise<void> {
    this.log.push(`team changed ${teamId}`);
  }
  async clusterChanged(clusterId: string): Promise<void> {
    this.log.push(`cluster changed ${clusterId}`);
  }
}

function setUp(options: { retained?: number } = {}) {
  const log: string[] = [];
  const created: NewRelease[] = [];
  const releases: Pick<ReleasesRepository, 'create' | 'deleteUpTo' | 'supersedeBefore'> = {
    async create(data) {
      log.push(`create v${data.number}`);
      created.push(data);
      return { ...data, createdAt: new Date() } satisfies ReleaseRecord;
    },
    async deleteUpTo(_teamId, _environmentId, number) {
      log.push(`deleteUpTo ${number}`);
    },
    async supersedeBefore(_teamId, _environmentId, number) {
      log.push(`supersedeBefore ${number}`);
      return 0;
    },
  };
  const environments: Pick<EnvironmentsService, 'nextReleaseNumber'> = {
    async nextReleaseNumber(env) {
      log.push('number');
      return env.releaseCounter + 1;
    },
  };
  const formation: Pick<FormationService, 'ensureDefault' | 'snapshot'> = {
    async ensureDefault() {
      log.push('ensureDefault');
    },
    async snapshot() {
      return [{ type: 'web', replicas: 2 } as unknown as ProcessTypeSnapshot];
    },
  };
  const encryption: Pick<EncryptionService, 'encryptJson'> = { encryptJson: (value, associatedData) => `sealed(${associatedData}):${JSON.stringify(value)}` };
  const quotas: Pick<QuotasService, 'releasesRetained'> = { releasesRetained: async () => options.retained ?? 100 };
  const events = new RecordingEvents(log);
  const service = new ReleasesService(
    releases as ReleasesRepository,
    environments as EnvironmentsService,
    formation as FormationService,
    encryption as EncryptionService,
    events,
    quotas as QuotasService,
    new FakeTransactionHost() as unknown as TransactionHost,
    new NoRevocation(),
  );
  return { service, log, created, events };
}

describe('ReleasesService.record', () => {
  it('numbers the release, snapshots formation and sealed config, then retires older ones and says the environment changed', async () => {
    const { service, log, created, events } = setUp();
    const release = await service.record(aMember(), anEnvironment(), spec());

    expect(release).toMatchObject({ number: 5, teamId: 'team-1', environmentId: 'env-1', image: 'registry.example.com/shop/web:1.2.3', createdById: 'member-1', rollbackOf: null });
    expect(created[0]!.configKeys).toEqual(['A', 'B']);
    // The config is sealed bound to the release's own id.
    expect(created[0]!.configCiphertext).toBe(`sealed(${release.id}):{"B":"2","A":"1"}`);
    expect(created[0]!.formation).toEqual([{ type: 'web', replicas: 2 }]);
    expect(log).toEqual(['number', 'ensureDefault', 'create v5', 'deleteUpTo -95', 'supersedeBefore 5', 'changed team-1/env-1']);
    expect(events.changes).toEqual(['env-1']);
  });

  it('keeps only releases_retained releases: everything up to number − retained goes', async () => {
    const { service, log } = setUp({ retained: 3 });
    await service.record(aMember(), anEnvironment({ releaseCounter: 9 }), spec());
    expect(log).toContain('deleteUpTo 7');
  });

  it('records a system actor\'s release without a creator and keeps what it rolls back to', async () => {
    const { service, created } = setUp();
    await service.record({ ...aMember(), type: 'system', userId: 'system' }, anEnvironment(), spec({ kind: 'rollback', rollbackOf: 2 }));
    expect(created[0]).toMatchObject({ createdById: null, rollbackOf: 2 });
  });
});
