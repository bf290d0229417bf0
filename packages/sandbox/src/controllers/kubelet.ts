import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { scaled, type SimulationSettings } from '../settings.js';
import { asArray, asMap, nowIso, type JsonMap, type KubeObject } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { imageBehaviour, type ImageBehaviour } from './images.js';

export const NODE_NAME = 'sandbox-node';
const COMPONENT = 'kubelet';

interface PodSim {
  started: number;
  /** Number of container starts after the first (crash loops) or pull attempts. */
  attempts: number;
  ip: string;
}

let ipCounter = 0;
function nextIp(): string {
  ipCounter++;
  return `10.244.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 2}`;
}

function condition(type: string, ok: boolean, reason?: string, message?: string): JsonMap {
  const c: JsonMap = { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: nowIso() };
  if (reason) c['reason'] = reason;
  if (message) c['message'] = message;
  return c;
}

/**
 * The simulated node: schedules pods onto itself, "pulls" and "starts" containers after the
 * rollout delay, and plays out the failure modes named by magic image names (see images.ts).
 */
export class Kubelet extends Controller {
  private readonly sims = new Map<string, PodSim>();

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly settings: SimulationSettings,
  ) {
    super();
  }

  forget(uid: string | undefined): void {
    if (uid) this.sims.delete(uid);
  }

  private write(pod: KubeObject, status: JsonMap, nodeName?: string): KubeObject {
    const spec = nodeName ? { ...asMap(pod.spec), nodeName } : pod.spec;
    const next: KubeObject = { ...pod, spec: spec ?? {}, status };
    return this.reg.store.write(R.pods, next);
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.reg.find(R.pods, ns, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const uid = pod.metadata.uid ?? '';
    let sim = this.sims.get(uid);
    const containers = asArray(asMap(pod.spec)['containers']).map(asMap);
    if (!sim) {
      sim = { started: Date.now(), attempts: 0, ip: nextIp() };
      this.sims.set(uid, sim);
      this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${NODE_NAME}`, 'default-scheduler');
      this.write(
        pod,
        {
          phase: 'Pending',
          conditions: [condition('PodScheduled', true)],
          hostIP: '172.18.0.2',
          startTime: nowIso(),
          qosClass: qosClass(containers),
          containerStatuses: containers.map((c) => ({
            name: c['name'],
            image: c['image'],
            imageID: '',
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
            lastState: {},
          })),
        },
        NODE_NAME,
      );
      this.enqueueAfter(key, this.settings.rolloutDelayMs);
      return;
    }
    if (Date.now() - sim.started < this.settings.rolloutDelayMs) {
      this.enqueueAfter(key, this.settings.rolloutDelayMs - (Date.now() - sim.started));
      return;
    }
    this.runContainers(key, pod, sim, containers);
  }

  private runContainers(key: string, pod: KubeObject, sim: PodSim, containers: JsonMap[]): void {
    const now = nowIso();
    const first = sim.attempts === 0;
    const behaviours = containers.map((c) => imageBehaviour(String(c['image'])));
    const statuses = containers.map((c, i) => this.containerStatus(pod, c, behaviours[i]!, sim, first, now));
    const notReady = containers.filter((_, i) => behaviours[i] !== 'ok').map((c) => String(c['name']));
    const ready = notReady.length === 0;
    const pulling = behaviours.includes('pull-error');
    const old = asMap(pod.status);
    const status: JsonMap = {
      phase: pulling ? 'Pending' : 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        ready ? condition('Ready', true) : condition('Ready', false, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`),
        ready ? condition('ContainersReady', true) : condition('ContainersReady', false, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`),
        condition('PodScheduled', true),
      ],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: sim.ip,
      podIPs: [{ ip: sim.ip }],
      startTime: old['startTime'] ?? now,
      qosClass: old['qosClass'] ?? qosClass(containers),
      containerStatuses: statuses,
    };
    this.write(pod, status);
    sim.attempts++;
    if (behaviours.includes('crash') || pulling) {
      const backoff = Math.min(300, 10 * 2 ** Math.min(sim.attempts - 1, 5));
      this.enqueueAfter(key, Math.max(this.settings.rolloutDelayMs, scaled(backoff, this.settings)));
    }
  }

  private containerStatus(pod: KubeObject, c: JsonMap, behaviour: ImageBehaviour, sim: PodSim, first: boolean, now: string): JsonMap {
    const name = String(c['name']);
    const image = String(c['image']);
    const base = { name, image, imageID: '', containerID: '' };
    const startedAt = new Date(sim.started + this.settings.rolloutDelayMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (behaviour === 'pull-error') {
      const backoff = sim.attempts % 2 === 1;
      if (!backoff) {
        this.events.record(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', COMPONENT);
      } else {
        this.events.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', COMPONENT);
      }
      const waiting = backoff
        ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }
        : { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found` };
      return { ...base, ready: false, started: false, restartCount: 0, state: { waiting }, lastState: {} };
    }
    const containerID = `containerd://${(pod.metadata.uid ?? '').replace(/-/g, '')}${name}`.slice(0, 77);
    const imageID = `${image.split(':')[0]}@sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`;
    if (first) {
      this.events.record(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, COMPONENT);
      this.events.record(pod, 'Normal', 'Created', `Created container ${name}`, COMPONENT);
      this.events.record(pod, 'Normal', 'Started', `Started container ${name}`, COMPONENT);
    }
    if (behaviour === 'crash') {
      this.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, COMPONENT);
      return {
        ...base,
        imageID,
        containerID,
        ready: false,
        started: false,
        restartCount: sim.attempts + 1,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${10 * 2 ** Math.min(sim.attempts, 5)}s restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt: now, containerID } },
      };
    }
    return {
      ...base,
      imageID,
      containerID,
      ready: behaviour === 'ok',
      started: true,
      restartCount: 0,
      state: { running: { startedAt } },
      lastState: {},
    };
  }
}

function qosClass(containers: JsonMap[]): string {
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = asMap(c['resources']);
    const limits = asMap(r['limits']);
    const requests = asMap(r['requests']);
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    if (!limits['cpu'] || !limits['memory'] || (requests['cpu'] && requests['cpu'] !== limits['cpu']) || (requests['memory'] && requests['memory'] !== limits['memory'])) {
      guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}
