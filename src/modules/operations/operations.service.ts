// Day-2 operations on a running environment: rolling restart, log streaming, drift history.
// (Scaling is a formation change: PATCH …/formation, applied without a new release.)
import { PassThrough, type Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
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
  /** When the container wrote the line (only with `timestamps`). */
  time?: string;
}

interface PodLike {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: unknown;
  status?: unknown;
}

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

const STAMPED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/;

@Injectable()
export class OperationsService {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly operations: OperationsRepository,
    private readonly reconciler: ReconcilerService,
    private readonly events: EnvironmentEvents,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
  ) {}

  /** Rolls every process of the environment without a new release (new pod template annotation). */
  async restart(actor: Actor, appRef: string, envRef: string): Promise<EnvironmentModel> {
    const resolved = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const env = await this.tx.run(async () => {
      const locked = await this.environments.lockForWrite(resolved);
      const at = new Date();
      await this.operations.markRestarted(locked.teamId, locked.id, at);
      await this.events.changed(locked.teamId, locked.id);
      this.notes.change({ before: null, after: { restarted_at: at.toISOString() } });
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
    const aborters: AbortController[] = [];
    signal.addEventListener('abort', () => {
      aborters.forEach((a) => a.abort());
      merged.end();
    });
    // Open every pod's log first: a pod that cannot give one is a 409 naming its state, decided
    // before the event stream (and its 200) starts, unless other pods can stream.
    const refusals: string[] = [];
    // Counted as each pod's stream ends; the merged stream ends with the last one (a short log
    // can end while later pods are still being opened).
    const streams = { open: 0, opening: true };
    const ended = () => {
      streams.open -= 1;
      if (!streams.opening && streams.open === 0 && !merged.writableEnded) merged.end();
    };
    for (const pod of pods as PodLike[]) {
      const container = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? [])[0]?.name ?? 'web';
      const sink = new PassThrough();
      try {
        aborters.push(await gateway.logs(namespace, pod.metadata.name, container, sink, { follow: query.follow ?? false, tailLines: query.tail ?? 100, previous: query.previous, timestamps: query.timestamps, sinceSeconds: query.since_seconds }));
      } catch (error) {
        if (!(error instanceof KubeError) || error.kind === 'unreachable') {
          aborters.forEach((a) => a.abort());
          if (error instanceof KubeError) throw new DomainError('unavailable', `cannot read logs: ${error.message}`);
          throw error;
        }
        refusals.push(`pod ${pod.metadata.name}: ${whyNoLog(pod, container, query.previous ?? false, error)}`);
        continue;
      }
      streams.open += 1;
      sink.on('end', ended);
      this.collect(sink, pod, query.timestamps ?? false, merged);
    }
    if (pods.length > 0 && refusals.length === pods.length) throw new DomainError('invalid-state', refusals.join('; '));
    streams.opening = false;
    if (streams.open === 0) merged.end();
    return merged as Readable & AsyncIterable<LogLine>;
  }

  private collect(sink: PassThrough, pod: PodLike, timestamps: boolean, merged: PassThrough): void {
    const processType = pod.metadata.labels?.['berth.dev/process-type'] ?? null;
    let buffered = '';
    sink.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const text of lines) {
        if (merged.writableEnded) return;
        const stamped = timestamps ? STAMPED.exec(text) : null;
        merged.write(stamped ? { pod: pod.metadata.name, process_type: processType, line: stamped[2], time: stamped[1] } : { pod: pod.metadata.name, process_type: processType, line: text });
      }
    });
  }
}

/** What a person needs to hear when a pod has no log to give, from its status (else the cluster's words). */
function whyNoLog(pod: PodLike, container: string, previous: boolean, error: KubeError): string {
  const statuses = ((pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? []);
  const status = statuses.find((s) => s.name === container);
  if (previous && !status?.lastState?.terminated) return `container "${container}" has no previous terminated instance (it has not restarted)`;
  const waiting = status?.state?.waiting;
  if (waiting?.reason) return `container "${container}" is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  if (!status) return `container "${container}" has not been created yet`;
  return error.message;
}
