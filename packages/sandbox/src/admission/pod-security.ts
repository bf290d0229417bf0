import { forbidden, invalid, type StatusCause } from '../errors.js';
import type { AdmissionPlugin } from '../registry.js';
import { R, type ResourceDef } from '../resources.js';
import type { Store } from '../store.js';
import { asArray, asMap, deepEqual, getPath, isMap, type JsonMap, type KubeObject } from '../types.js';
import { warn } from '../warnings.js';

/**
 * The PodSecurity admission plug-in (Pod Security Standards, checks of Kubernetes 1.32): namespace
 * labels `pod-security.kubernetes.io/{enforce,warn,audit}` (+ `-version`). Enforce rejects Pods
 * with 403; for workload objects the real plug-in only warns, and the Pods they spawn are then
 * rejected when their controller creates them (FailedCreate). Audit has no audit log to write to
 * here, so it is accepted and validated but has no visible effect.
 */
export type Level = 'privileged' | 'baseline' | 'restricted';
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];
const PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'warn', 'audit'] as const;
type Mode = (typeof MODES)[number];

interface Policy {
  level: Level;
  version: string;
}

interface Violation {
  reason: string;
  detail: string;
}

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_OK_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const KNOWN_VOLUME_TYPES = new Set(['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos']);
const VERSION_RE = /^v1\.(0|[1-9][0-9]*)$/;

const quote = (xs: string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');
const plural = (one: string, many: string, n: number): string => (n === 1 ? one : many);
const containersPhrase = (names: string[]): string => `${plural('container', 'containers', names.length)} ${quote(names)}`;

function allContainers(spec: JsonMap): JsonMap[] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => asArray(spec[k]).filter(isMap));
}

function sc(c: JsonMap): JsonMap {
  return asMap(c['securityContext']);
}

/** Every check of the given level (baseline checks are part of restricted), in upstream ID order. */
export function evaluate(level: Level, meta: JsonMap, spec: JsonMap): Violation[] {
  if (level === 'privileged') return [];
  const out: Violation[] = [];
  const restricted = level === 'restricted';
  const containers = allContainers(spec);
  const podSc = asMap(spec['securityContext']);
  const names = (pred: (c: JsonMap) => boolean): string[] => containers.filter(pred).map((c) => String(c['name']));

  // allowPrivilegeEscalation (restricted)
  if (restricted) {
    const bad = names((c) => sc(c)['allowPrivilegeEscalation'] !== false);
    if (bad.length) out.push({ reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` });
  }
  // appArmorProfile (baseline): only RuntimeDefault or Localhost, in fields or the beta annotations
  {
    const okType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
    const setters: string[] = [];
    const badValues = new Set<string>();
    const podType = getPath(podSc, 'appArmorProfile.type');
    if (podType !== undefined && !okType(podType)) {
      setters.push('pod');
      badValues.add(String(podType));
    }
    const badC = names((c) => {
      const t = getPath(sc(c), 'appArmorProfile.type');
      if (t === undefined || okType(t)) return false;
      badValues.add(String(t));
      return true;
    });
    if (badC.length) setters.push(containersPhrase(badC));
    const annotations = Object.entries(asMap(meta['annotations']))
      .filter(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== '' && v !== 'runtime/default' && !String(v).startsWith('localhost/'))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .sort();
    const values = [...[...badValues].sort(), ...annotations];
    if (annotations.length) setters.push(plural('annotation', 'annotations', annotations.length));
    if (setters.length) {
      out.push({ reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${quote(values)}` });
    }
  }
  // capabilities_baseline
  {
    const bad: string[] = [];
    const caps = new Set<string>();
    for (const c of containers) {
      const added = asArray(getPath(sc(c), 'capabilities.add')).map(String).filter((x) => !BASELINE_CAPS.has(x));
      if (added.length) {
        bad.push(String(c['name']));
        for (const x of added) caps.add(x);
      }
    }
    if (bad.length) out.push({ reason: 'non-default capabilities', detail: `${containersPhrase(bad)} must not include ${quote([...caps].sort())} in securityContext.capabilities.add` });
  }
  // capabilities_restricted
  if (restricted) {
    const missingDrop = names((c) => !asArray(getPath(sc(c), 'capabilities.drop')).includes('ALL'));
    const caps = new Set<string>();
    const adding = names((c) => {
      const extra = asArray(getPath(sc(c), 'capabilities.add')).map(String).filter((x) => x !== 'NET_BIND_SERVICE');
      for (const x of extra) caps.add(x);
      return extra.length > 0;
    });
    const details: string[] = [];
    if (missingDrop.length) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
    if (adding.length) details.push(`${containersPhrase(adding)} must not include ${quote([...caps].sort())} in securityContext.capabilities.add`);
    if (details.length) out.push({ reason: 'unrestricted capabilities', detail: details.join('; ') });
  }
  // hostNamespaces
  {
    const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => spec[k] === true);
    if (set.length) out.push({ reason: 'host namespaces', detail: set.map((k) => `${k}=true`).join(', ') });
  }
  // hostPathVolumes (baseline; under restricted the restrictedVolumes check overrides it)
  if (!restricted) {
    const vols = asArray(spec['volumes']).filter(isMap).filter((v) => isMap(v['hostPath'])).map((v) => String(v['name']));
    if (vols.length) out.push({ reason: 'hostPath volumes', detail: `${plural('volume', 'volumes', vols.length)} ${quote(vols)}` });
  }
  // hostPorts
  {
    const ports = new Set<number>();
    const bad = names((c) => {
      const hp = asArray(c['ports']).filter(isMap).map((p) => Number(p['hostPort'] ?? 0)).filter((n) => n !== 0);
      for (const p of hp) ports.add(p);
      return hp.length > 0;
    });
    if (bad.length) {
      const list = [...ports].map(String).sort();
      out.push({ reason: 'hostPort', detail: `${containersPhrase(bad)} ${plural('uses', 'use', bad.length)} ${plural('hostPort', 'hostPorts', ports.size)} ${list.join(', ')}` });
    }
  }
  // privileged
  {
    const bad = names((c) => sc(c)['privileged'] === true);
    if (bad.length) out.push({ reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` });
  }
  // procMount
  {
    const types = new Set<string>();
    const bad = names((c) => {
      const pm = sc(c)['procMount'];
      if (pm === undefined || pm === null || pm === 'Default') return false;
      types.add(String(pm));
      return true;
    });
    if (bad.length) out.push({ reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${quote([...types].sort())}` });
  }
  // restrictedVolumes
  if (restricted) {
    const types = new Set<string>();
    const vols = asArray(spec['volumes'])
      .filter(isMap)
      .filter((v) => {
        const t = Object.keys(v).find((k) => k !== 'name');
        if (t && RESTRICTED_OK_VOLUMES.includes(t)) return false;
        types.add(t && KNOWN_VOLUME_TYPES.has(t) ? t : 'unknown');
        return true;
      })
      .map((v) => String(v['name']));
    if (vols.length) {
      out.push({
        reason: 'restricted volume types',
        detail: `${plural('volume', 'volumes', vols.length)} ${quote(vols)} ${plural('uses', 'use', vols.length)} ${plural('restricted volume type', 'restricted volume types', types.size)} ${quote([...types].sort())}`,
      });
    }
  }
  // runAsNonRoot (restricted)
  if (restricted) {
    const setters: string[] = [];
    const podTrue = podSc['runAsNonRoot'] === true;
    if (podSc['runAsNonRoot'] === false) setters.push('pod');
    const explicit = names((c) => sc(c)['runAsNonRoot'] === false);
    const implicit = names((c) => sc(c)['runAsNonRoot'] === undefined && !podTrue);
    if (explicit.length) setters.push(containersPhrase(explicit));
    if (setters.length) out.push({ reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` });
    else if (implicit.length) out.push({ reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` });
  }
  // runAsUser (restricted)
  if (restricted) {
    const setters: string[] = [];
    if (podSc['runAsUser'] === 0) setters.push('pod');
    const bad = names((c) => sc(c)['runAsUser'] === 0);
    if (bad.length) setters.push(containersPhrase(bad));
    if (setters.length) out.push({ reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` });
  }
  // seLinuxOptions (baseline); user/role are only named alongside a bad type, as upstream does
  {
    const setters: string[] = [];
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (o: unknown): boolean => {
      if (!isMap(o)) return true;
      let ok = true;
      const t = String(o['type'] ?? '');
      if (!SELINUX_TYPES.has(t)) {
        ok = false;
        badTypes.add(t);
      }
      if (o['user']) (ok = false), (setUser = true);
      if (o['role']) (ok = false), (setRole = true);
      return ok;
    };
    if (!valid(podSc['seLinuxOptions'])) setters.push('pod');
    const badC = names((c) => !valid(sc(c)['seLinuxOptions']));
    if (badC.length) setters.push(containersPhrase(badC));
    if (setters.length) {
      const data: string[] = [];
      if (badTypes.size) {
        data.push(`${plural('type', 'types', badTypes.size)} ${quote([...badTypes].sort())}`);
        if (setUser) data.push('user may not be set');
        if (setRole) data.push('role may not be set');
      }
      out.push({ reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` });
    }
  }
  // seccompProfile: baseline forbids Unconfined; restricted (overriding it) requires RuntimeDefault or Localhost
  {
    const bad = restricted ? (t: unknown): boolean => t !== 'RuntimeDefault' && t !== 'Localhost' : (t: unknown): boolean => t === 'Unconfined';
    const setters: string[] = [];
    const values = new Set<string>();
    const podType = getPath(podSc, 'seccompProfile.type');
    let podValid = false;
    if (isMap(podSc['seccompProfile'])) {
      if (bad(podType)) {
        setters.push('pod');
        values.add(String(podType));
      } else podValid = true;
    }
    const implicit: string[] = [];
    const explicit = names((c) => {
      if (!isMap(sc(c)['seccompProfile'])) {
        if (!podValid) implicit.push(String(c['name']));
        return false;
      }
      const t = getPath(sc(c), 'seccompProfile.type');
      if (!bad(t)) return false;
      values.add(String(t));
      return true;
    });
    if (explicit.length) setters.push(containersPhrase(explicit));
    if (setters.length) out.push({ reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${quote([...values].sort())}` });
    else if (restricted && implicit.length) out.push({ reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` });
  }
  // sysctls
  {
    const bad = asArray(podSc['sysctls']).filter(isMap).map((s) => String(s['name'])).filter((n) => !SAFE_SYSCTLS.has(n));
    if (bad.length) out.push({ reason: 'forbidden sysctls', detail: bad.join(', ') });
  }
  return out;
}

export function describe(violations: Violation[]): string {
  return violations.map((v) => `${v.reason} (${v.detail})`).join(', ');
}

/** Policies per stored (immutable) namespace labels object: every pod and workload write asks. */
const storedPolicyCache = new WeakMap<object, Record<Mode, Policy>>();

function storedPolicies(labels: Record<string, string> | undefined): Record<Mode, Policy> {
  if (!labels) return policies(labels).policies;
  let p = storedPolicyCache.get(labels);
  if (!p) storedPolicyCache.set(labels, (p = policies(labels).policies));
  return p;
}

/** The policy a namespace's labels ask for in each mode (privileged:latest when unlabelled). */
export function policies(labels: Record<string, string> | undefined): { policies: Record<Mode, Policy>; causes: StatusCause[] } {
  const causes: StatusCause[] = [];
  const out = {} as Record<Mode, Policy>;
  for (const mode of MODES) {
    const levelRaw = labels?.[`${PREFIX}${mode}`];
    const versionRaw = labels?.[`${PREFIX}${mode}-version`];
    let level: Level = 'privileged';
    let version = 'latest';
    if (levelRaw !== undefined) {
      if ((LEVELS as string[]).includes(levelRaw)) level = levelRaw as Level;
      else {
        // Fail closed, as upstream does for an unparsable enforce level.
        level = 'restricted';
        causes.push({ reason: 'FieldValueInvalid', field: `metadata.labels[${PREFIX}${mode}]`, message: `Invalid value: ${JSON.stringify(levelRaw)}: must be one of privileged, baseline, restricted` });
      }
    }
    if (versionRaw !== undefined) {
      if (versionRaw === 'latest' || VERSION_RE.test(versionRaw)) version = versionRaw;
      else causes.push({ reason: 'FieldValueInvalid', field: `metadata.labels[${PREFIX}${mode}-version]`, message: `Invalid value: ${JSON.stringify(versionRaw)}: must be "latest" or "v1.x"` });
    }
    out[mode] = { level, version };
  }
  return { policies: out, causes };
}

/** Where a workload object keeps its pod template. */
function templateOf(res: ResourceDef, obj: KubeObject): { meta: JsonMap; spec: JsonMap } | undefined {
  const spec = asMap(obj.spec);
  let t: unknown;
  if (res.plural === 'cronjobs') t = getPath(spec, 'jobTemplate.spec.template');
  else if (['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'replicationcontrollers'].includes(res.plural) && res.group !== 'events.k8s.io') t = spec['template'];
  else if (res.plural === 'podtemplates') t = obj['template'];
  if (!isMap(t)) return undefined;
  return { meta: asMap(t['metadata']), spec: asMap(t['spec']) };
}

const tag = (p: Policy): string => `${p.level}:${p.version}`;

export class PodSecurityAdmission implements AdmissionPlugin {
  constructor(private readonly store: Store) {}

  admit(res: ResourceDef, obj: KubeObject, op: 'CREATE' | 'UPDATE', old: KubeObject | undefined): void {
    if (res === R.namespaces) return this.admitNamespace(obj, op, old);
    const ns = obj.metadata.namespace;
    if (!ns || !res.namespaced) return;
    const nsObj = this.store.get(R.namespaces, '', ns);
    const p = storedPolicies(nsObj?.metadata.labels);
    if (p.enforce.level === 'privileged' && p.warn.level === 'privileged') return;
    if (res === R.pods) {
      // Updates that leave the pod spec alone (labels, status…) are not evaluated.
      if (op === 'UPDATE' && old && deepEqual(old.spec, obj.spec)) return;
      const meta = obj.metadata as unknown as JsonMap;
      const spec = asMap(obj.spec);
      const enforced = evaluate(p.enforce.level, meta, spec);
      if (enforced.length) throw forbidden(res, obj.metadata.name || String(obj.metadata.generateName ?? ''), `violates PodSecurity ${JSON.stringify(tag(p.enforce))}: ${describe(enforced)}`);
      const warned = evaluate(p.warn.level, meta, spec);
      if (warned.length) warn(`would violate PodSecurity ${JSON.stringify(tag(p.warn))}: ${describe(warned)}`);
      return;
    }
    const t = templateOf(res, obj);
    if (!t) return;
    if (op === 'UPDATE' && old) {
      const before = templateOf(res, old);
      if (before && deepEqual(before.spec, t.spec) && deepEqual(before.meta, t.meta)) return;
    }
    const enforced = evaluate(p.enforce.level, t.meta, t.spec);
    if (enforced.length) warn(`would violate PodSecurity ${JSON.stringify(tag(p.enforce))}: ${describe(enforced)}`);
    if (tag(p.warn) !== tag(p.enforce)) {
      const warned = evaluate(p.warn.level, t.meta, t.spec);
      if (warned.length) warn(`would violate PodSecurity ${JSON.stringify(tag(p.warn))}: ${describe(warned)}`);
    }
  }

  private admitNamespace(obj: KubeObject, op: 'CREATE' | 'UPDATE', old: KubeObject | undefined): void {
    const next = policies(obj.metadata.labels);
    if (next.causes.length) throw invalid(R.namespaces, obj.metadata.name ?? '', next.causes);
    if (op !== 'UPDATE' || !old) return;
    const prev = policies(old.metadata.labels).policies.enforce;
    const enforce = next.policies.enforce;
    if (tag(prev) === tag(enforce) || enforce.level === 'privileged') return;
    // A tightened enforce level is dry-run against the existing pods: warnings, never a rejection.
    const name = obj.metadata.name ?? '';
    const offenders: string[] = [];
    for (const pod of this.store.list(R.pods, name)) {
      const v = evaluate(enforce.level, pod.metadata as unknown as JsonMap, asMap(pod.spec));
      if (v.length) offenders.push(`${pod.metadata.name ?? ''}: ${v.map((x) => x.reason).join(', ')}`);
    }
    if (!offenders.length) return;
    warn(`existing pods in namespace ${JSON.stringify(name)} violate the new PodSecurity enforce level ${JSON.stringify(tag(enforce))}`);
    for (const o of offenders.slice(0, 10)) warn(o);
  }
}
