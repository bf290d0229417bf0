// Berth's Prometheus instruments. One registry per application instance (never prom-client's global
// one), so several Berths in one process (the tests) keep separate counts. Other modules inject
// MetricsService and record through the typed instruments below; names and labels are fixed here so
// dashboards and alerts have one place to look.
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueStats {
  /** Jobs waiting to run. */
  depth: number;
  /** Age in seconds of the oldest waiting job; 0 when the queue is empty. */
  oldestAgeSeconds: number;
}

export type QueueStatsSource = () => QueueStats | Promise<QueueStats>;

export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const KUBE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const RELEASE_DURATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

@Injectable()
export class MetricsService {
  readonly registry: Registry;

  /** HTTP requests by method, route template (`/v1/apps/:app`, or `unmatched`) and status. Recorded by HttpMetrics. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Requests being served right now. Recorded by HttpMetrics. */
  readonly httpRequestsInFlight: Gauge;
  /**
   * GraphQL operations (all of which are one HTTP route) by operation type, name and outcome
   * (`ok`, `error`). Names are bounded: see graphql/metrics/operation-metrics.ts.
   */
  readonly graphqlOperationDuration: Histogram<'type' | 'operation' | 'outcome'>;
  /** GraphQL queries over HTTP by how they ran: `compiled` (a document seen before) or `interpreted`. */
  readonly graphqlQueryExecutions: Counter<'executor'>;

  /** Calls to a Kubernetes API server; `code` is the HTTP status as a string, or `error` when no answer came. */
  readonly kubeRequests: Counter<'cluster' | 'verb' | 'code'>;
  readonly kubeRequestDuration: Histogram<'cluster' | 'verb'>;
  /** Work-queue depth and age of the oldest waiting job, read at scrape time from registerQueueStats(). */
  readonly queueDepth: Gauge;
  readonly queueOldestAge: Gauge;
  /** Reconciliation passes by outcome (e.g. `converged`, `changed`, `failed`). */
  readonly reconcile: Counter<'outcome'>;
  /** How often a worker asked the queue for a job, and whether it got one. */
  readonly queueFetches: Counter<'outcome'>;
  /** Time from release creation to its final phase, by outcome (e.g. `succeeded`, `failed`). */
  readonly releaseDuration: Histogram<'outcome'>;
  /** Drift found on a cluster and repaired, by kind of object. */
  readonly driftRepairs: Counter<'kind'>;
  /** Requests refused with 429, by bucket (`api`, `deploy`). */
  readonly rateLimited: Counter<'bucket'>;
  /** Audit events written (`recorded`) or lost (`failed`). */
  readonly auditEvents: Counter<'outcome'>;

  private queueStats: QueueStatsSource | undefined;

  constructor() {
    this.registry = new Registry();
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new Histogram({
      name: 'berth_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_DURATION_BUCKETS,
      registers,
    });
    this.httpRequestsInFlight = new Gauge({ name: 'berth_http_requests_in_flight', help: 'HTTP requests being served', registers });
    this.graphqlOperationDuration = new Histogram({
      name: 'berth_graphql_operation_duration_seconds',
      help: 'GraphQL operation duration by operation type, operation name and outcome',
      labelNames: ['type', 'operation', 'outcome'] as const,
      buckets: HTTP_DURATION_BUCKETS,
      registers,
    });
    this.graphqlQueryExecutions = new Counter({
      name: 'berth_graphql_query_executions_total',
      help: 'GraphQL queries over HTTP by executor (compiled, interpreted)',
      labelNames: ['executor'] as const,
      registers,
    });
    this.kubeRequests = new Counter({
      name: 'berth_kube_requests_total',
      help: 'Requests to Kubernetes API servers by cluster, verb and status code',
      labelNames: ['cluster', 'verb', 'code'] as const,
      registers,
    });
    this.kubeRequestDuration = new Histogram({
      name: 'berth_kube_request_duration_seconds',
      help: 'Duration of requests to Kubernetes API servers by cluster and verb',
      labelNames: ['cluster', 'verb'] as const,
      buckets: KUBE_DURATION_BUCKETS,
      registers,
    });
    const service = this;
    this.queueDepth = new Gauge({
      name: 'berth_queue_depth',
      help: 'Jobs waiting in the work queue',
      registers,
      async collect() {
        const stats = await service.readQueueStats();
        if (stats) this.set(stats.depth);
      },
    });
    this.queueOldestAge = new Gauge({
      name: 'berth_queue_oldest_age_seconds',
      help: 'Age of the oldest waiting job in the work queue',
      registers,
      async collect() {
        const stats = await service.readQueueStats();
        if (stats) this.set(stats.oldestAgeSeconds);
      },
    });
    this.reconcile = new Counter({ name: 'berth_reconcile_total', help: 'Reconciliation passes by outcome', labelNames: ['outcome'] as const, registers });
    this.queueFetches = new Counter({ name: 'berth_work_queue_fetches_total', help: 'Work queue fetches by outcome (job, empty)', labelNames: ['outcome'] as const, registers });
    this.releaseDuration = new Histogram({
      name: 'berth_release_duration_seconds',
      help: 'Time from release creation to its final phase, by outcome',
      labelNames: ['outcome'] as const,
      buckets: RELEASE_DURATION_BUCKETS,
      registers,
    });
    this.driftRepairs = new Counter({ name: 'berth_drift_repairs_total', help: 'Drift repaired on clusters, by kind of object', labelNames: ['kind'] as const, registers });
    this.rateLimited = new Counter({ name: 'berth_rate_limited_total', help: 'Requests refused by a rate limit, by bucket', labelNames: ['bucket'] as const, registers });
    this.auditEvents = new Counter({ name: 'berth_audit_events_total', help: 'Audit events by outcome', labelNames: ['outcome'] as const, registers });
  }

  /**
   * The work queue calls this once at start; both queue gauges read it on every scrape (one call
   * per scrape, shared by the two gauges). Returns a function that unregisters the source.
   */
  registerQueueStats(source: QueueStatsSource): () => void {
    this.queueStats = source;
    return () => {
      if (this.queueStats === source) this.queueStats = undefined;
    };
  }

  /** Records one Kubernetes API call: its count by code and its duration. */
  observeKubeRequest(labels: { cluster: string; verb: string; code: number | 'error' }, durationSeconds: number): void {
    this.kubeRequests.inc({ cluster: labels.cluster, verb: labels.verb, code: String(labels.code) });
    this.kubeRequestDuration.observe({ cluster: labels.cluster, verb: labels.verb }, durationSeconds);
  }

  /** The exposition: Prometheus text format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private pendingStats: Promise<QueueStats | undefined> | undefined;

  // Both gauges collect in the same scrape; the source is asked once.
  private readQueueStats(): Promise<QueueStats | undefined> {
    const source = this.queueStats;
    if (!source) return Promise.resolve(undefined);
    // A failing source leaves the gauges at their last value rather than failing the scrape.
    this.pendingStats ??= Promise.resolve()
      .then(source)
      .catch(() => undefined)
      .finally(() => {
        this.pendingStats = undefined;
      });
    return this.pendingStats;
  }
}
