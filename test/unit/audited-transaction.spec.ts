// The audit runner with typed fakes of its ports: what a service notes through AuditNotes (scope and
// change) lands in the operation's audit event, and only in that operation's.
import { describe, expect, it } from '@jest/globals';
import { AuditNotebook } from '../../src/common/audit/audit-notebook.js';
import { AuditNotes } from '../../src/common/audit/audit-notes.js';
import { AuditedTransaction, type AuditedOperation } from '../../src/common/audit/audited-transaction.js';
import { MemoryIdempotencyLedger, RecordingAuditTrail } from './fakes/audit.js';
import { aMember, FakeTransactionHost } from './fakes/factories.js';

/** A service the way real ones use the port: injected through the constructor, noted during the work. */
class RenamingService {
  constructor(private readonly notes: AuditNotes) {}

  async rename(teamId: string, environmentId: string, from: string, to: string, pause?: Promise<void>): Promise<{ id: string; name: string }> {
    this.notes.scope({ teamId, environmentId, environmentName: from });
    await pause;
    this.notes.change({ before: { name: from }, after: { name: to } });
    return { id: environmentId, name: to };
  }
}

function setUp() {
  const notebook = new AuditNotebook();
  const trail = new RecordingAuditTrail();
  const ledger = new MemoryIdempotencyLedger();
  const tx = new FakeTransactionHost();
  const runner = new AuditedTransaction(tx.asHost(), trail, ledger, notebook);
  // The service sees only the port; the notebook behind it is the one the runner opens pages in.
  const service = new RenamingService(notebook);
  return { runner, trail, ledger, tx, notebook, service };
}

function operation(over: Partial<AuditedOperation> = {}): AuditedOperation {
  return { route: { action: 'environment.update', target: 'environment' }, actor: aMember(), operation: 'PATCH /v1/apps/shop/environments/staging', input: {}, idempotencyKey: undefined, status: () => 200, effect: 'update', ...over };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('AuditedTransaction and AuditNotes', () => {
  it('records the change and scope the service noted in the operation’s event', async () => {
    const { runner, trail, tx, service } = setUp();

    const outcome = await runner.run(operation(), () => service.rename('team-1', 'env-1', 'staging', 'stage'));

    expect(outcome).toEqual({ result: { id: 'env-1', name: 'stage' }, replayed: false });
    expect(trail.entries).toEqual([
      {
        action: 'environment.update',
        target: { type: 'environment', id: 'env-1', name: 'stage' },
        teamId: 'team-1',
        environmentId: 'env-1',
        change: { before: { name: 'staging' }, after: { name: 'stage' } },
      },
    ]);
    expect(tx.transactions).toBe(1);
  });

  it('names the target from the noted scope when the result does not, and falls back to the default change', async () => {
    const { runner, trail, notebook } = setUp();

    await runner.run(operation({ effect: 'delete' }), async () => {
      notebook.scope({ teamId: 'team-1', environmentId: 'env-9' });
      notebook.scope({ environmentName: 'old' });
      return undefined;
    });
    await runner.run(operation({ effect: 'create' }), async () => ({ id: 'env-2', name: 'fresh' }));

    expect(trail.entries).toEqual([
      { action: 'environment.update', target: { type: 'environment', id: 'env-9', name: 'old' }, teamId: 'team-1', environmentId: 'env-9', change: null },
      { action: 'environment.update', target: { type: 'environment', id: 'env-2', name: 'fresh' }, teamId: undefined, environmentId: undefined, change: { before: null, after: { id: 'env-2', name: 'fresh' } } },
    ]);
  });

  it('keeps two concurrent operations’ notes apart', async () => {
    const { runner, trail, service, notebook } = setUp();
    const firstMayFinish = deferred();

    // The first operation notes its scope, then waits while the second runs from start to end
    // (noting its own scope and change); only then does the first note its change.
    const first = runner.run(operation(), () => service.rename('team-a', 'env-a', 'a1', 'a2', firstMayFinish.promise));
    const second = runner.run(operation(), async () => {
      const renamed = await service.rename('team-b', 'env-b', 'b1', 'b2');
      firstMayFinish.resolve();
      return renamed;
    });
    // A third, noting nothing, while the others' pages are open.
    const third = runner.run(operation({ effect: 'create' }), async () => ({ id: 'env-c', name: 'c' }));
    await Promise.all([first, second, third]);

    const byId = new Map(trail.entries.map((e) => [e.target.id, e]));
    expect(byId.get('env-a')).toMatchObject({ teamId: 'team-a', environmentId: 'env-a', change: { before: { name: 'a1' }, after: { name: 'a2' } } });
    expect(byId.get('env-b')).toMatchObject({ teamId: 'team-b', environmentId: 'env-b', change: { before: { name: 'b1' }, after: { name: 'b2' } } });
    expect(byId.get('env-c')).toEqual({ action: 'environment.update', target: { type: 'environment', id: 'env-c', name: 'c' }, teamId: undefined, environmentId: undefined, change: { before: null, after: { id: 'env-c', name: 'c' } } });

    // Outside an operation a note goes nowhere, and the next operation starts with a clean page.
    notebook.change({ before: { stray: true }, after: null });
    await runner.run(operation({ effect: 'create' }), async () => ({ id: 'env-d', name: 'd' }));
    expect(trail.entries.at(-1)).toMatchObject({ teamId: undefined, change: { before: null, after: { id: 'env-d', name: 'd' } } });
  });

  it('answers a replay from the ledger without a second event', async () => {
    const { runner, trail, service } = setUp();
    const op = operation({ idempotencyKey: 'key-1', status: () => 201 });

    await runner.run(op, () => service.rename('team-1', 'env-1', 'x', 'y'));
    const replay = await runner.run(op, () => service.rename('team-1', 'env-1', 'x', 'z'));

    expect(replay).toEqual({ result: { id: 'env-1', name: 'y' }, replayed: true, status: 201 });
    expect(trail.entries).toHaveLength(1);
  });
});

describe('AuditedTransaction ordering', () => {
  it('stores the idempotency answer before it records the audit event, which comes last (#15: the append locks the chain head until COMMIT)', async () => {
    const calls: string[] = [];
    const trail = new (class extends RecordingAuditTrail {
      override async record(entry: Parameters<RecordingAuditTrail['record']>[0]): Promise<void> {
        calls.push('audit');
        return super.record(entry);
      }
    })();
    const ledger = new (class extends MemoryIdempotencyLedger {
      override async complete(...args: Parameters<MemoryIdempotencyLedger['complete']>): Promise<void> {
        calls.push('ledger');
        return super.complete(...args);
      }
    })();
    const runner = new AuditedTransaction(new FakeTransactionHost().asHost(), trail, ledger, new AuditNotebook());

    const outcome = await runner.run(operation({ idempotencyKey: 'k-1', answer: (result) => ({ wrapped: result }) }), async () => {
      calls.push('work');
      return { id: 'env-1', name: 'stage' };
    });

    expect(calls).toEqual(['work', 'ledger', 'audit']);
    expect(outcome).toEqual({ result: { wrapped: { id: 'env-1', name: 'stage' } }, replayed: false });
    expect([...ledger.answers.values()][0]?.body).toEqual({ wrapped: { id: 'env-1', name: 'stage' } });
  });
});
