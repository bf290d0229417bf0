// One Deployment per process type. The pod template changes only when something the pods should
// restart for changes: the release (image, config) or an explicit restart.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { baseLabels, namespacedMeta, processLabels, selectorLabels } from './metadata.js';
import { PULL_SECRET_NAME, releaseSecretName, SERVICE_ACCOUNT_NAME, WEB } from './names.js';
import type { KubernetesObject, RenderInput, RenderProcessType, RenderRelease } from './render.types.js';
import { LABELS } from './render.types.js';
import { containerSecurityContext, podSecurityContext, profileOf } from './security.js';

export const RELEASE_ANNOTATION = 'berth.dev/release';
export const RESTARTED_AT_ANNOTATION = 'berth.dev/restarted-at';
const REVISION_HISTORY_LIMIT = 5;
/** A rollout that makes no progress for this long is marked failed (auto-rollback watches it); per environment. */
export const PROGRESS_DEADLINE_SECONDS = 300;
/** Heroku gives processes 30 s between SIGTERM and SIGKILL; apps written for it expect as much. */
const TERMINATION_GRACE_SECONDS = 30;

interface Probes {
  readinessProbe?: IProbe;
  livenessProbe?: IProbe;
  startupProbe?: IProbe;
}

/**
 * Readiness uses the health check path when there is one (take the pod out of the Service while
 * it says it is unhealthy). Liveness is only "the port accepts connections": a health endpoint
 * that checks a database would otherwise restart every pod during a database outage, turning a
 * degraded app into a down one. The startup probe holds liveness off while the app boots (up to
 * two minutes, well within the progress deadline). Processes without a port get no probes: there
 * is nothing to ask without running a command in the container.
 */
function probes(p: RenderProcessType): Probes {
  const port = p.port;
  if (port === null) return {};
  // A fresh object per probe: shared references would alias in the output (and in YAML).
  const tcp = () => ({ tcpSocket: { port } });
  const ready = p.healthCheckPath ? { httpGet: { path: p.healthCheckPath, port } } : tcp();
  return {
    readinessProbe: { ...ready, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    livenessProbe: { ...tcp(), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 6 },
    startupProbe: { ...tcp(), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 60 },
  };
}

function container(input: RenderInput, release: RenderRelease, p: RenderProcessType): IContainer {
  return {
    name: p.type,
    image: release.image,
    // Through a shell, as Heroku runs Procfile commands: `$PORT`, pipes and `&&` work.
    ...(p.command ? { command: ['/bin/sh', '-c', p.command] } : {}),
    // Config values reach the pod through the release's Secret only, never inline.
    envFrom: [{ secretRef: { name: releaseSecretName(release.number) } }],
    ...(p.port !== null
      ? { env: [{ name: 'PORT', value: String(p.port) }], ports: [{ name: 'http', containerPort: p.port, protocol: 'TCP' }] }
      : {}),
    resources: {
      requests: { cpu: p.size.cpuRequest, memory: p.size.memoryRequest },
      limits: { cpu: p.size.cpuLimit, memory: p.size.memoryLimit },
    },
    ...probes(p),
    // Per the environment's security profile. readOnlyRootFilesystem is deliberately not set:
    // twelve-factor apps still write to /tmp, caches and pid files, and Berth mounts no writable volumes.
    securityContext: containerSecurityContext(profileOf(input.environment.securityProfile)),
  };
}

/** Web never drops below its replica count while rolling (requests keep being served); others may. */
function strategy(p: RenderProcessType): IDeploymentStrategy {
  const rollingUpdate = p.type === WEB ? { maxUnavailable: 0, maxSurge: '25%' } : { maxUnavailable: '25%', maxSurge: '25%' };
  return { type: 'RollingUpdate', rollingUpdate };
}

export function renderDeployment(input: RenderInput, release: RenderRelease, p: RenderProcessType): KubernetesObject {
  const selector = selectorLabels(input, p.type);
  const releaseLabel = { [LABELS.release]: String(release.number) };
  const annotations: Record<string, string> = { [RELEASE_ANNOTATION]: String(release.number) };
  if (input.restartedAt) annotations[RESTARTED_AT_ANNOTATION] = input.restartedAt;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: namespacedMeta(input, p.type, { ...processLabels(p.type), ...releaseLabel }),
    spec: {
      // Under an HPA the replica count is the autoscaler's. Leaving the field out of the applied
      // configuration gives up Berth's ownership of it (server-side apply) instead of resetting
      // the count on every apply.
      ...(p.autoscaling ? {} : { replicas: p.replicas }),
      selector: { matchLabels: selector },
      strategy: strategy(p),
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      progressDeadlineSeconds: input.environment.progressDeadlineSeconds ?? PROGRESS_DEADLINE_SECONDS,
      template: {
        metadata: { labels: { ...baseLabels(input), ...processLabels(p.type), ...selector, ...releaseLabel }, annotations },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT_NAME,
          automountServiceAccountToken: false,
          // No `WEB_PORT=tcp://…`-style variables for every Service in the namespace: apps see
          // their config vars and PORT, as on Heroku.
          enableServiceLinks: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: podSecurityContext(profileOf(input.environment.securityProfile)),
          ...(input.imagePullSecret ? { imagePullSecrets: [{ name: PULL_SECRET_NAME }] } : {}),
          containers: [container(input, release, p)],
        },
      },
    },
  } satisfies IDeployment;
}
