// Day-2 operations on a running environment: rolling restart, log streaming, drift history.
// (Scaling is a formation change: PATCH …/formation, applied without a new release.)
import { PassThrough, type Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { KubeError } from '../clusters/kube/kube-errors.js';
import { EnvironmentsService } from '../environments/environments.service.js';
import { toEnvironmentModel, type EnvironmentModel } from '../environments/models/environment.model.js';
import { ReconcilerService } from '../workloads/reconciler.service.js';
import type { LogsQuery } from './dto/logs.query.js';
import { OperationsRepository } from './operations.repository.js';

export interface LogLine {
  pod: string;
  process_type: string | null;
  line: string;
}

@Injectable()
export class OperationsService {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly operations: OperationsRepository,
    private readonly reconciler: ReconcilerService,
    private readonly events: EnvironmentEvents,
    private readonly tx: TransactionHost,
  ) {}

  /** Rolls every process of the environment without a new release (new pod template annotation). */
  async restart(actor: Actor, appRef: string, envRef: string): Promise<EnvironmentModel> {
    const resolved = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const env = await this.tx.run(async () => {
      const locked = await this.environments.lockForWrite(resolved);
      const at = new Date();
      await this.operations.markRestarted(locked.teamId, locked.id, at);
      await this.events.changed(locked.teamId, locked.id);
      requestContext.noteChange({ before: null, after: { restarted_at: at.toISOString() } });
      return locked;
    });
    return toEnvironmentModel(env);
  }

  async drift(actor: Actor, appRef: string, envRef: string): Promise<Array<{ object: string; kind: string; detected_at: string }>> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    return (await this.operations.driftEvents(env.teamId, env.id, 100)).map((d) => ({ object: d.objectKey, kind: d.kind, detected_at: d.detectedAt.toISOString() }));
  }

  /**
   * Log lines of every pod of the environment (or one process type), merged, as they come.
   * The stream ends when the caller goes away (or, without follow, when every pod's log ended).
   */
  async logs(actor: Actor, appRef: string, envRef: string, query: LogsQuery, signal: AbortSignal): Promise<AsyncIterable<LogLine>> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const placement = await this.operations.placement(env.teamId, env.id);
    if (!placement?.clusterId) throw new DomainError('invalid-state', `environment "${env.name}" is not running on a cluster yet`);
    const gateway = await this.reconciler.gatewayFor(placement.clusterId);
    const namespace = `${env.app.name}-${env.name}`;
    const selector = `berth.dev/environment-id=${env.id}${query.process_type ? `,berth.dev/process-type=${query.process_type}` : ''}`;
    let pods;
    try {
      pods = await gateway.list('v1', 'Pod', namespace, selector);
    } catch (error) {
      if (error instanceof KubeError) throw new DomainError('unavailable', `cannot read logs: ${error.message}`);
      throw error;
    }
    const merged = new PassThrough({ objectMode: true });
    let open = pods.length;
    if (open === 0) merged.end();
    const aborters: AbortController[] = [];
    signal.addEventListener('abort', () => {
      aborters.forEach((a) => a.abort());
      merged.end();
    });
    for (const pod of pods) {
      const sink = new PassThrough();
      const container = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? [])[0]?.name ?? 'web';
      const processType = pod.metadata.labels?.['berth.dev/process-type'] ?? null;
      let buffered = '';
      sink.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (!merged.writableEnded) merged.write({ pod: pod.metadata.name, process_type: processType, line });
      });
      sink.on('end', () => {
        open -= 1;
        if (open === 0 && !merged.writableEnded) merged.end();
      });
      aborters.push(await gateway.logs(namespace, pod.metadata.name, container, sink, { follow: query.follow ?? false, tailLines: query.tail ?? 100 }));
    }
    return merged as Readable & AsyncIterable<LogLine>;
  }
}
