import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { scaled, type SimulationSettings } from '../settings.js';
import { asArray, asMap, nowIso, type JsonMap, type KubeObject } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { imageProfile, type ImageProfile } from './images.js';
import { podFitsNode } from './scheduler.js';

export const NODE_NAME = 'sandbox-node';
const COMPONENT = 'kubelet';

type CState = 'pull' | 'config-error' | 'running' | 'backoff' | 'done';

/** One container's simulated life: runs, exits, restarts with back-off. */
interface ContainerSim {
  state: CState;
  restarts: number;
  runStart: number;
  backoffUntil: number;
  /** The terminated state of the current run (state done) or of the last run (lastState). */
  term: JsonMap | undefined;
  last: JsonMap | undefined;
  message: string;
}

interface PodSim {
  started: number;
  /** Pull attempts (image pull failures alternate ErrImagePull / ImagePullBackOff). */
  attempts: number;
  ip: string;
  containers: Map<string, ContainerSim>;
}

let ipCounter = 0;
function nextIp(): string {
  ipCounter++;
  return `10.244.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 2}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function condition(type: string, ok: boolean, reason?: string, message?: string): JsonMap {
  const c: JsonMap = { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: nowIso() };
  if (reason) c['reason'] = reason;
  if (message) c['message'] = message;
  return c;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = asMap(pod.status)['phase'];
  return phase === 'Succeeded' || phase === 'Failed';
}

/** runAsNonRoot / runAsUser in effect for a container (container level wins over pod level). */
function securityOf(pod: KubeObject, c: JsonMap): { nonRoot: boolean; user: number | undefined } {
  const podSc = asMap(asMap(pod.spec)['securityContext']);
  const sc = asMap(c['securityContext']);
  const nonRoot = (sc['runAsNonRoot'] ?? podSc['runAsNonRoot']) === true;
  const user = sc['runAsUser'] ?? podSc['runAsUser'];
  return { nonRoot, user: typeof user === 'number' ? user : undefined };
}

/**
 * The simulated node: the scheduler's fit check, then "pulls" and "starts" containers after the
 * rollout delay and plays out what the image names ask for (see images.ts): pull errors, crash
 * loops, OOM kills, exit codes and run times, root images refused under runAsNonRoot. Pods with
 * restartPolicy Never or OnFailure run to completion (Succeeded / Failed), as Jobs need.
 */
export class Kubelet extends Controller {
  private readonly sims = new Map<string, PodSim>();
  /** Pods the scheduler could not place; retried when capacity frees up. */
  private readonly unschedulable = new Set<string>();

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly settings: SimulationSettings,
  ) {
    super();
  }

  forget(uid: string | undefined): void {
    if (uid && this.sims.delete(uid)) this.retryUnschedulable();
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.enqueue(key);
  }

  private write(pod: KubeObject, status: JsonMap, nodeName?: string): KubeObject {
    const spec = nodeName ? { ...asMap(pod.spec), nodeName } : pod.spec;
    const next: KubeObject = { ...pod, spec: spec ?? {}, status };
    return this.reg.store.write(R.pods, next);
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.reg.find(R.pods, ns, name);
    if (!pod || pod.metadata.deletionTimestamp) {
      this.unschedulable.delete(key);
      return;
    }
    if (isTerminal(pod)) return;
    const uid = pod.metadata.uid ?? '';
    let sim = this.sims.get(uid);
    const containers = asArray(asMap(pod.spec)['containers']).map(asMap);
    if (!sim) {
      const fit = podFitsNode(this.reg.store, pod);
      if (fit) {
        this.unschedulable.add(key);
        const prev = asArray(asMap(pod.status)['conditions']).map(asMap).find((c) => c['type'] === 'PodScheduled');
        if (prev?.['message'] !== fit) {
          this.write(pod, { phase: 'Pending', conditions: [condition('PodScheduled', false, 'Unschedulable', fit)], qosClass: qosClass(containers) });
        }
        this.events.record(pod, 'Warning', 'FailedScheduling', fit, 'default-scheduler');
        // kube-scheduler parks an unschedulable pod until a pod leaves the node (retryUnschedulable)
        // or it has waited podMaxInUnschedulablePodsDuration (5 min); a shorter timer only churns.
        this.enqueueAfter(key, Math.max(this.settings.rolloutDelayMs, scaled(300, this.settings)));
        return;
      }
      this.unschedulable.delete(key);
      sim = { started: Date.now(), attempts: 0, ip: nextIp(), containers: new Map() };
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
    const startAt = sim.started + this.settings.rolloutDelayMs;
    if (Date.now() < startAt) {
      this.enqueueAfter(key, startAt - Date.now());
      return;
    }
    this.runContainers(key, pod, sim, containers);
  }

  private backoffMs(restarts: number): number {
    return Math.max(this.settings.rolloutDelayMs, scaled(Math.min(300, 10 * 2 ** Math.min(restarts, 5)), this.settings));
  }

  /** The wait before restarting a container that already restarted `restarts` (≥ 1) times. */
  private crashBackoffMs(restarts: number): number {
    return Math.max(this.settings.rolloutDelayMs, scaled(crashBackoffSeconds(restarts), this.settings));
  }

  /** Short run of images that exit by themselves without a sleep-<s> in their name. */
  private shortRunMs(): number {
    return Math.max(this.settings.rolloutDelayMs, scaled(1, this.settings));
  }

  private runContainers(key: string, pod: KubeObject, sim: PodSim, containers: JsonMap[]): void {
    const now = Date.now();
    const restartPolicy = String(asMap(pod.spec)['restartPolicy'] ?? 'Always');
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    let wake = Number.POSITIVE_INFINITY;
    const statuses: JsonMap[] = [];
    const notReady: string[] = [];
    let waitingToStart = false;
    let allDone = containers.length > 0;
    let allSucceeded = true;
    const pulling = containers.some((c) => imageProfile(String(c['image'])).behaviour === 'pull-error');
    for (const c of containers) {
      const name = String(c['name']);
      const image = String(c['image']);
      const profile = imageProfile(image);
      let cs = sim.containers.get(name);
      if (!cs) {
        cs = { state: 'pull', restarts: 0, runStart: 0, backoffUntil: 0, term: undefined, last: undefined, message: '' };
        sim.containers.set(name, cs);
      }
      if (cs.state === 'pull' || cs.state === 'config-error') this.tryStart(pod, c, profile, cs, sim, podRef, now);
      if (cs.state === 'running' || cs.state === 'backoff') wake = Math.min(wake, this.advance(pod, c, profile, cs, restartPolicy, podRef, now));
      if (cs.state === 'pull' || cs.state === 'config-error') {
        waitingToStart = true;
        wake = Math.min(wake, now + this.backoffMs(sim.attempts));
      }
      statuses.push(this.containerStatus(pod, c, profile, cs, sim, podRef));
      const ready = cs.state === 'running' && readyWhileRunning(profile);
      if (!ready) notReady.push(name);
      if (cs.state !== 'done') allDone = false;
      else if (Number(asMap(cs.term)['exitCode']) !== 0) allSucceeded = false;
    }
    // Pull failures and refused container configs are retried with a growing back-off.
    if (pulling || waitingToStart) sim.attempts++;
    const old = asMap(pod.status);
    let phase = waitingToStart && !statuses.some((s) => asMap(s['state'])['running']) ? 'Pending' : 'Running';
    if (allDone && restartPolicy !== 'Always') phase = allSucceeded ? 'Succeeded' : 'Failed';
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    const readyCond = terminal
      ? [condition('Ready', false, 'PodCompleted'), condition('ContainersReady', false, 'PodCompleted')]
      : notReady.length === 0
        ? [condition('Ready', true), condition('ContainersReady', true)]
        : [
            condition('Ready', false, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`),
            condition('ContainersReady', false, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`),
          ];
    const status: JsonMap = {
      phase,
      conditions: [condition('PodReadyToStartContainers', !terminal), condition('Initialized', true), ...readyCond, condition('PodScheduled', true)],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: sim.ip,
      podIPs: [{ ip: sim.ip }],
      startTime: old['startTime'] ?? nowIso(),
      qosClass: old['qosClass'] ?? qosClass(containers),
      containerStatuses: statuses,
    };
    this.write(pod, status);
    if (terminal) {
      this.retryUnschedulable();
      return;
    }
    if (Number.isFinite(wake)) this.enqueueAfter(key, Math.max(1, wake - Date.now()));
  }

  /** Pull the image and create the container, unless the pull or the security check fails. */
  private tryStart(pod: KubeObject, c: JsonMap, profile: ImageProfile, cs: ContainerSim, sim: PodSim, podRef: string, now: number): void {
    const name = String(c['name']);
    const image = String(c['image']);
    if (profile.behaviour === 'pull-error') {
      const backoff = sim.attempts % 2 === 1;
      if (!backoff) {
        this.events.record(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', COMPONENT);
      } else {
        this.events.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, COMPONENT);
        this.events.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', COMPONENT);
      }
      cs.state = 'pull';
      return;
    }
    if (cs.state === 'pull') this.events.record(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, COMPONENT);
    const sec = securityOf(pod, c);
    if (sec.nonRoot && (sec.user === 0 || (sec.user === undefined && profile.runsAsRoot))) {
      // The kubelet's verifyRunAsNonRoot, with its exact messages.
      cs.message =
        sec.user === 0
          ? `container's runAsUser breaks non-root policy (pod: "${podRef}", container: ${name})`
          : `container has runAsNonRoot and image will run as root (pod: "${podRef}", container: ${name})`;
      cs.state = 'config-error';
      this.events.record(pod, 'Warning', 'Failed', `Error: ${cs.message}`, COMPONENT);
      return;
    }
    this.startRun(pod, name, cs, now);
  }

  private startRun(pod: KubeObject, name: string, cs: ContainerSim, at: number): void {
    cs.state = 'running';
    cs.runStart = at;
    this.events.record(pod, 'Normal', 'Created', `Created container ${name}`, COMPONENT);
    this.events.record(pod, 'Normal', 'Started', `Started container ${name}`, COMPONENT);
  }

  /** Move a started container through exits and restarts up to now; returns the next wake time. */
  private advance(pod: KubeObject, c: JsonMap, profile: ImageProfile, cs: ContainerSim, restartPolicy: string, podRef: string, now: number): number {
    const name = String(c['name']);
    const containerID = this.containerId(pod, name);
    for (let guard = 0; guard < 100; guard++) {
      if (cs.state === 'running') {
        // crash-once fails its first run only: every later start behaves like a healthy image.
        const recovered = profile.behaviour === 'crash-once' && cs.restarts > 0;
        const forever = (profile.exitCode === undefined || recovered) && restartPolicy === 'Always';
        if (forever) return Number.POSITIVE_INFINITY;
        const exitCode = recovered ? 0 : (profile.exitCode ?? 0);
        const crashes = profile.behaviour === 'crash' || (profile.behaviour === 'crash-once' && !recovered);
        const runMs = profile.runSeconds !== undefined ? scaled(profile.runSeconds, this.settings) : crashes ? 0 : this.shortRunMs();
        const end = cs.runStart + runMs;
        if (now < end) return end;
        const reason = profile.behaviour === 'oom' ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
        cs.term = { exitCode, reason, startedAt: iso(cs.runStart), finishedAt: iso(end), containerID };
        const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0);
        if (!restart) {
          cs.state = 'done';
          return Number.POSITIVE_INFINITY;
        }
        cs.last = cs.term;
        if (cs.restarts === 0) {
          // The kubelet's back-off has no entry for a container that never exited before, so its
          // first exit is restarted at once (doBackOff → backOff.Next); CrashLoopBackOff only ever
          // shows with restartCount ≥ 1.
          cs.restarts++;
          this.startRun(pod, name, cs, end);
          continue;
        }
        cs.state = 'backoff';
        cs.backoffUntil = end + this.crashBackoffMs(cs.restarts);
        cs.message = `back-off ${crashBackoffSeconds(cs.restarts)}s restarting failed container=${name} pod=${podRef}`;
        continue;
      }
      if (cs.state === 'backoff') {
        if (now < cs.backoffUntil) {
          this.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podRef}`, COMPONENT);
          return cs.backoffUntil;
        }
        cs.restarts++;
        this.startRun(pod, name, cs, cs.backoffUntil);
        continue;
      }
      return Number.POSITIVE_INFINITY;
    }
    return now + this.backoffMs(cs.restarts);
  }

  private containerId(pod: KubeObject, name: string): string {
    return `containerd://${(pod.metadata.uid ?? '').replace(/-/g, '')}${name}`.slice(0, 77);
  }

  private containerStatus(pod: KubeObject, c: JsonMap, profile: ImageProfile, cs: ContainerSim, sim: PodSim, _podRef: string): JsonMap {
    const name = String(c['name']);
    const image = String(c['image']);
    const base = { name, image, imageID: '', containerID: '' };
    if (cs.state === 'pull') {
      const backoff = sim.attempts % 2 === 1;
      const waiting = backoff
        ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }
        : { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found` };
      return { ...base, ready: false, started: false, restartCount: 0, state: { waiting }, lastState: {} };
    }
    const imageID = `${image.split(':')[0]}@sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`;
    if (cs.state === 'config-error') {
      return { ...base, imageID, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'CreateContainerConfigError', message: cs.message } }, lastState: {} };
    }
    const containerID = this.containerId(pod, name);
    const lastState = cs.last ? { terminated: cs.last } : {};
    const common = { ...base, imageID, containerID, restartCount: cs.restarts, lastState };
    if (cs.state === 'backoff') return { ...common, ready: false, started: false, state: { waiting: { reason: 'CrashLoopBackOff', message: cs.message } } };
    if (cs.state === 'done') return { ...common, ready: false, started: false, state: { terminated: cs.term } };
    return { ...common, ready: readyWhileRunning(profile), started: true, state: { running: { startedAt: iso(cs.runStart) } } };
  }
}

/** 10 s after the second exit, doubling per restart up to 300 s (the kubelet's crash back-off). */
function crashBackoffSeconds(restarts: number): number {
  return Math.min(300, 10 * 2 ** Math.min(Math.max(restarts - 1, 0), 5));
}

/**
 * Whether a running container passes its readiness check. `never-ready` never does; `oom` is killed
 * for memory while it starts, before its first probe could pass (a container that is Ready even
 * for a moment completes a rollout with minReadySeconds 0, which an app dying at start-up never does).
 */
function readyWhileRunning(profile: ImageProfile): boolean {
  return profile.behaviour !== 'never-ready' && profile.behaviour !== 'oom';
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
