import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { findByKind, R } from '../resources.js';
import { asArray, asMap, getPath, isMap, nowIso, type JsonMap, type KubeObject } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { findCondition, makeCondition } from './rollout.js';

/** Annotation (on the HPA or its target) holding the simulated CPU utilisation in percent. */
export const CPU_ANNOTATION = 'sandbox.berth.dev/cpu-utilization';
const DEFAULT_UTILIZATION = 50;
const TOLERANCE = 0.1;

/** HorizontalPodAutoscaler: reads a simulated CPU utilisation and scales the target's /scale. */
export class HpaController extends Controller {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    syncMs: number,
  ) {
    super();
    this.timer = setInterval(() => {
      for (const h of this.reg.store.list(R.hpas)) this.enqueue(`${h.metadata.namespace}/${h.metadata.name}`);
    }, syncMs);
    this.timer.unref();
  }

  override stop(): void {
    clearInterval(this.timer);
    super.stop();
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const hpa = this.reg.find(R.hpas, ns, name);
    if (!hpa) return;
    const spec = asMap(hpa.spec);
    const ref = asMap(spec['scaleTargetRef']);
    const targetRes = findByKind(String(ref['apiVersion'] ?? 'apps/v1'), String(ref['kind'] ?? ''));
    const target = targetRes ? this.reg.find(targetRes, ns, String(ref['name'])) : undefined;
    const prev = asMap(hpa.status);
    if (!targetRes || !target) {
      const msg = `the HPA controller was unable to get the target's current scale: ${String(ref['kind']).toLowerCase()}s.apps "${String(ref['name'])}" not found`;
      this.events.record(hpa, 'Warning', 'FailedGetScale', msg, 'horizontal-pod-autoscaler');
      this.write(hpa, { ...prev, currentReplicas: 0, desiredReplicas: 0, conditions: [makeCondition(findCondition(prev, 'AbleToScale'), 'AbleToScale', 'False', 'FailedGetScale', msg, false)] });
      return;
    }
    const current = Number(asMap(target.spec)['replicas'] ?? 1);
    const min = Number(spec['minReplicas'] ?? 1);
    const max = Number(spec['maxReplicas'] ?? 1);
    const metric = asArray(spec['metrics']).filter(isMap)[0];
    const targetUtil = Number(getPath(metric, 'resource.target.averageUtilization') ?? 80);
    const util = Number(hpa.metadata.annotations?.[CPU_ANNOTATION] ?? target.metadata.annotations?.[CPU_ANNOTATION] ?? DEFAULT_UTILIZATION);
    let desired = current;
    const ratio = util / targetUtil;
    if (current > 0 && Math.abs(ratio - 1) > TOLERANCE) desired = Math.ceil(current * ratio);
    let limited: JsonMap;
    if (desired > max) {
      desired = max;
      limited = makeCondition(findCondition(prev, 'ScalingLimited'), 'ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count', false);
    } else if (desired < min) {
      desired = min;
      limited = makeCondition(findCondition(prev, 'ScalingLimited'), 'ScalingLimited', 'True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count', false);
    } else {
      limited = makeCondition(findCondition(prev, 'ScalingLimited'), 'ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range', false);
    }
    const status: JsonMap = {
      currentReplicas: current,
      desiredReplicas: desired,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: util, averageValue: `${util * 10}m` } } }],
      conditions: [
        makeCondition(findCondition(prev, 'AbleToScale'), 'AbleToScale', 'True', desired !== current ? 'SucceededRescale' : 'ReadyForNewScale', desired !== current ? `the HPA controller was able to update the target scale to ${desired}` : 'recommended size matches current size', false),
        makeCondition(findCondition(prev, 'ScalingActive'), 'ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', false),
        limited,
      ],
      observedGeneration: hpa.metadata.generation ?? 1,
    };
    if (prev['lastScaleTime']) status['lastScaleTime'] = prev['lastScaleTime'];
    if (desired !== current) {
      this.reg.commitUpdate(targetRes, target, { ...target, spec: { ...asMap(target.spec), replicas: desired } }, { fieldManager: 'kube-controller-manager', subresource: 'scale' });
      const why = desired > current ? 'cpu resource utilization (percentage of request) above target' : 'All metrics below target';
      this.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${why}`, 'horizontal-pod-autoscaler');
      status['lastScaleTime'] = nowIso();
    }
    this.write(hpa, status);
  }

  private write(hpa: KubeObject, input: JsonMap): void {
    // HorizontalPodAutoscalerCondition has no lastUpdateTime (unlike the Deployment conditions).
    const status: JsonMap = { ...input, conditions: asArray(input['conditions']).map((c) => {
      const { lastUpdateTime: _u, ...rest } = asMap(c);
      return rest;
    }) };
    const strip = (s: JsonMap): string => JSON.stringify({ ...s, conditions: asArray(s['conditions']).map((c) => ({ ...asMap(c), lastTransitionTime: 0, lastUpdateTime: 0 })) });
    if (strip(status) === strip(asMap(hpa.status))) return;
    this.reg.updateStatus(R.hpas, hpa, status, 'kube-controller-manager');
  }
}
