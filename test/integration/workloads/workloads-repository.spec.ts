// The environment a reconcile or status look starts from is read with one prepared statement outside
// a transaction and with Prisma inside one: both must say exactly the same thing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEnvironment } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { TransactionHost } from '../../../src/database/prisma.service.js';
import { WorkloadsRepository } from '../../../src/modules/workloads/workloads.repository.js';

describe('WorkloadsRepository.loadEnvironment', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('reads the same environment, process types (in type order) and domains (in name order) with and without a transaction', async () => {
    const env = await newEnvironment(app, { production: true });
    const path = `/v1/apps/${env.app.name}/environments/${env.name}`;
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${path}/formation`, { process_types: [{ type: 'worker', replicas: 2, command: 'run --jobs' }, { type: 'web', replicas: 1, port: 8080, health_check_path: '/up', autoscaling: { min: 1, max: 3, target_cpu: 70 } }] }), 200);
    for (const hostname of [`zz-${env.name}.example.com`, `aa-${env.name}.example.com`]) expectStatus(await client.post(`${path}/domains`, { hostname }), 201);
    const repository = app.server.app.get(WorkloadsRepository);
    const prepared = await repository.loadEnvironment(env.id);
    const viaPrisma = await app.server.app.get(TransactionHost).run(() => repository.loadEnvironment(env.id));
    expect(prepared).toEqual(viaPrisma);
    expect(prepared?.processTypes.map((p) => p.type)).toEqual(['web', 'worker']);
    expect(prepared?.domains.map((d) => d.hostname)).toEqual([`aa-${env.name}.example.com`, `zz-${env.name}.example.com`]);
    expect(prepared?.app.team.id).toBe(prepared?.teamId);
    expect(await repository.loadEnvironment('00000000-0000-7000-8000-000000000000')).toBeNull();
  });

  it('reads the newest releases, newest first, the same with and without a transaction', async () => {
    const env = await newEnvironment(app);
    for (const tag of ['1', '2', '3']) expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: `example.com/app:${tag}` }), 201);
    const repository = app.server.app.get(WorkloadsRepository);
    const teamId = (await repository.loadEnvironment(env.id))!.teamId;
    const prepared = await repository.latestReleases(teamId, env.id, 2);
    expect(prepared.map((r) => [r.number, r.image])).toEqual([[3, 'example.com/app:3'], [2, 'example.com/app:2']]);
    expect(prepared).toEqual(await app.server.app.get(TransactionHost).run(() => repository.latestReleases(teamId, env.id, 2)));
    // Another team's id finds nothing: the tenant is part of the statement.
    expect(await repository.latestReleases('00000000-0000-7000-8000-000000000000', env.id, 2)).toEqual([]);
    expect(await repository.teamQuota(teamId)).toMatchObject({ maxCpuMillis: expect.any(Number), usedCpuMillis: expect.any(Number), maxReplicasPerProcess: expect.any(Number) });
  });
});
