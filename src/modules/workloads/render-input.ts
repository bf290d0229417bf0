// Turns what the database holds into the renderers' plain input. The environment's share of the
// team quota is what the team may still use plus what this environment already uses.
import { findSize, SIZES } from '../sizes/sizes.catalogue.js';
import type { RenderInput } from './render/render.types.js';
import { profileOf } from './render/security.js';
import type { EnvironmentState, ReleaseState } from './workloads.repository.js';
import { formationUsage } from '../quotas/quota-dimensions.js';

export interface QuotaRow {
  maxCpuMillis: number;
  maxMemoryMib: number;
  usedCpuMillis: number;
  usedMemoryMib: number;
  maxReplicasPerProcess: number;
}

export interface RenderContext {
  state: EnvironmentState;
  release: (ReleaseState & { config: Record<string, string> }) | null;
  previous: ReleaseState | null;
  quota: QuotaRow | null;
  ingressClassName: string | null;
  imagePullSecret: RenderInput['imagePullSecret'];
}

export function buildRenderInput(ctx: RenderContext): RenderInput {
  const { state } = ctx;
  const own = formationUsage(state.processTypes);
  // A rolling update briefly runs up to 25% more pods per process type (at least one): the cluster
  // quota must leave room for them, or rollouts stall at a team's limit.
  const surge = formationUsage(state.processTypes.map((p) => ({ ...p, autoscaleMax: null, replicas: Math.max(1, Math.ceil((p.autoscaleMax ?? p.replicas) * 0.25)) })));
  const maxPods = state.processTypes.reduce((n, p) => n + (p.autoscaleMax ?? p.replicas), 0);
  const quota = ctx.quota
    ? {
        cpuMillis: Math.max(own.cpuMillis + surge.cpuMillis, ctx.quota.maxCpuMillis - (ctx.quota.usedCpuMillis - own.cpuMillis)),
        memoryMib: Math.max(own.memoryMib + surge.memoryMib, ctx.quota.maxMemoryMib - (ctx.quota.usedMemoryMib - own.memoryMib)),
        // Room for a rolling update's surge on top of the steady state.
        pods: Math.max(1, maxPods * 2 + 1),
      }
    : { cpuMillis: own.cpuMillis + surge.cpuMillis, memoryMib: own.memoryMib + surge.memoryMib, pods: Math.max(1, maxPods * 2 + 1) };
  const fallback = SIZES[0]!;
  return {
    team: { id: state.app.team.id, name: state.app.team.name },
    app: { id: state.app.id, name: state.app.name },
    environment: {
      id: state.id,
      name: state.name,
      namespace: `${state.app.name}-${state.name}`,
      production: state.production,
      securityProfile: profileOf(state.securityProfile),
      progressDeadlineSeconds: state.progressDeadlineSeconds,
    },
    release: ctx.release ? { number: ctx.release.number, image: ctx.release.image, config: ctx.release.config } : null,
    previousRelease: ctx.previous ? { number: ctx.previous.number } : null,
    processTypes: state.processTypes.map((p) => {
      const size = findSize(p.size) ?? fallback;
      return {
        type: p.type,
        command: p.command,
        replicas: p.replicas,
        size: { name: size.name, cpuRequest: size.cpuRequest, cpuLimit: size.cpuLimit, memoryRequest: size.memoryRequest, memoryLimit: size.memoryLimit },
        autoscaling: p.autoscaleMin !== null && p.autoscaleMax !== null ? { min: p.autoscaleMin, max: p.autoscaleMax, targetCpu: p.autoscaleTargetCpu ?? 70 } : null,
        port: p.port,
        healthCheckPath: p.healthCheckPath,
      };
    }),
    domains: state.domains.map((d) => d.hostname),
    quota,
    imagePullSecret: ctx.imagePullSecret,
    restartedAt: state.restartedAt ? state.restartedAt.toISOString() : null,
    cluster: { ingressClassName: ctx.ingressClassName },
  };
}
