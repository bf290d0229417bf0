import type { ResourceDef } from './resources.js';
import { asMap, isMap, type JsonMap, type KubeObject } from './types.js';

function setDefault(m: JsonMap, key: string, value: unknown): void {
  if (m[key] === undefined) m[key] = value;
}

type PodSpecDefaulter = (spec: unknown, isPod: boolean) => void;
/** defaults.ts's pod-spec defaulting, passed in to keep the modules free of an import cycle. */
let defaultPodSpec: PodSpecDefaulter = () => undefined;

function defaultTemplate(t: unknown): void {
  if (!isMap(t)) return;
  setDefault(t, 'metadata', {});
  defaultPodSpec(t['spec'], false);
}

/** SetDefaults_Job, with the generated selector and template labels of the Job strategy. */
function defaultJob(obj: KubeObject, isCreate: boolean): void {
  const spec = (obj.spec ??= {});
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec['backoffLimitPerIndex'] !== undefined ? 2147483647 : 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec['podFailurePolicy'] !== undefined ? 'Failed' : 'TerminatingOrFailed');
  defaultTemplate(spec['template']);
  const uid = obj.metadata.uid;
  if (isCreate && spec['manualSelector'] !== true && uid && isMap(spec['template'])) {
    const tmeta = asMap(spec['template']['metadata']);
    const name = obj.metadata.name ?? '';
    const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
    spec['template']['metadata'] = { ...tmeta, labels: { ...asMap(tmeta['labels']), ...generated } };
    if (spec['selector'] === undefined) spec['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  }
}

function defaultRules(rules: unknown, up: boolean): JsonMap {
  const r: JsonMap = isMap(rules) ? { ...rules } : {};
  setDefault(r, 'stabilizationWindowSeconds', up ? 0 : 300);
  setDefault(r, 'selectPolicy', 'Max');
  setDefault(
    r,
    'policies',
    up
      ? [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  );
  return r;
}

/**
 * Defaults for the kinds defaults.ts does not cover (batch, StatefulSet, DaemonSet,
 * ReplicationController) and the autoscaling/v2 defaults for metrics and behavior.
 */
export function applyWorkloadDefaults(res: ResourceDef, obj: KubeObject, isCreate: boolean, podSpec: PodSpecDefaulter): void {
  defaultPodSpec = podSpec;
  if (res.group === 'events.k8s.io') return;
  switch (res.plural) {
    case 'jobs':
      defaultJob(obj, isCreate);
      break;
    case 'cronjobs': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      const jt = asMap(spec['jobTemplate']);
      defaultTemplate(asMap(jt['spec'])['template']);
      break;
    }
    case 'statefulsets': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      defaultTemplate(spec['template']);
      break;
    }
    case 'daemonsets': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec['template']);
      break;
    }
    case 'replicationcontrollers': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'replicas', 1);
      const labels = asMap(asMap(asMap(spec['template'])['metadata'])['labels']);
      if (spec['selector'] === undefined && Object.keys(labels).length) spec['selector'] = { ...labels };
      if (obj.metadata.labels === undefined && Object.keys(labels).length) obj.metadata.labels = { ...labels } as Record<string, string>;
      defaultTemplate(spec['template']);
      break;
    }
    case 'horizontalpodautoscalers': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'minReplicas', 1);
      if (!Array.isArray(spec['metrics']) || spec['metrics'].length === 0) {
        spec['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      }
      // Only a behavior the user set is completed (SetDefaults_HorizontalPodAutoscalerBehavior).
      if (isMap(spec['behavior'])) {
        spec['behavior'] = { scaleUp: defaultRules(spec['behavior']['scaleUp'], true), scaleDown: defaultRules(spec['behavior']['scaleDown'], false) };
      }
      break;
    }
  }
}

/** Kinds besides those in defaults.ts whose metadata.generation tracks spec changes. */
export const WORKLOAD_GENERATION: readonly string[] = ['jobs', 'cronjobs', 'statefulsets', 'daemonsets', 'replicationcontrollers'];
