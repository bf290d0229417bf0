import { validateLabels } from './meta.js';
import {
  duplicate,
  each,
  envNameErrors,
  forbidden,
  invalidValue,
  isMap,
  labelErrors,
  list,
  map,
  nonNegative,
  notFound,
  notSupported,
  portNameErrors,
  portNumber,
  portNumOrName,
  qualifiedNameErrors,
  quantityOf,
  required,
  subdomainErrors,
  configKeyErrors,
  type Causes,
} from './util.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateResources(f: string, resources: unknown, out: Causes): void {
  const r = map(resources);
  const limits = map(r['limits']);
  const requests = map(r['requests']);
  for (const [part, values] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, q] of Object.entries(values)) {
      const field = `${f}.${part}[${name}]`;
      if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-') && !name.includes('/')) {
        out.push(invalidValue(field, name, 'must be a standard resource for containers'));
        continue;
      }
      out.push(...each(field, name, qualifiedNameErrors(name)));
      const v = quantityOf(q);
      if (v !== undefined && v < 0) out.push(invalidValue(field, q, 'must be greater than or equal to 0'));
      if (name === 'cpu' && v !== undefined && v > 0 && v < 0.001) out.push(invalidValue(field, q, 'must be greater than or equal to 1m'));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const rv = quantityOf(q);
    const lv = quantityOf(limit);
    // The field is the requests map itself, not its key (as ValidateResourceRequirements reports it).
    if (rv !== undefined && lv !== undefined && rv > lv) {
      out.push(invalidValue(`${f}.requests`, q, `must be less than or equal to ${name} limit of ${String(limit)}`));
    } else if (rv !== undefined && lv !== undefined && rv !== lv && (name.startsWith('hugepages-') || (name.includes('/') && !name.startsWith('kubernetes.io/')))) {
      out.push(invalidValue(`${f}.requests`, q, `must be equal to ${name} limit of ${String(limit)}`));
    }
  }
}

function validateProbe(f: string, probe: unknown, out: Causes, kind: 'liveness' | 'readiness' | 'startup'): void {
  if (probe === undefined) return;
  const p = map(probe);
  const set = HANDLERS.filter((h) => p[h] !== undefined);
  if (set.length === 0) out.push(required(f, 'must specify a handler type'));
  for (const extra of set.slice(1)) out.push(forbidden(`${f}.${extra}`, 'may not specify more than 1 handler type'));
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']) out.push(...nonNegative(`${f}.${k}`, p[k]));
  if (kind !== 'readiness' && p['successThreshold'] !== undefined && p['successThreshold'] !== 1) out.push(invalidValue(`${f}.successThreshold`, p['successThreshold'], 'must be 1'));
  if (kind === 'readiness' && p['terminationGracePeriodSeconds'] !== undefined) out.push(invalidValue(`${f}.terminationGracePeriodSeconds`, p['terminationGracePeriodSeconds'], 'must not be set for readinessProbes'));
  validateHandlers(f, p, out);
}

function validateHandlers(f: string, p: Record<string, unknown>, out: Causes): void {
  if (isMap(p['httpGet'])) {
    const h = p['httpGet'];
    out.push(...portNumOrName(`${f}.httpGet.port`, h['port']));
    const scheme = h['scheme'];
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') out.push(notSupported(`${f}.httpGet.scheme`, scheme, ['HTTP', 'HTTPS']));
    list(h['httpHeaders']).forEach((hh, i) => {
      const name = String(map(hh)['name'] ?? '');
      if (!/^[-A-Za-z0-9]+$/.test(name)) out.push(invalidValue(`${f}.httpGet.httpHeaders[${i}].name`, name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
    });
  }
  if (isMap(p['tcpSocket'])) out.push(...portNumOrName(`${f}.tcpSocket.port`, p['tcpSocket']['port']));
  if (isMap(p['exec']) && list(p['exec']['command']).length === 0) out.push(required(`${f}.exec.command`));
  if (isMap(p['grpc'])) out.push(...portNumber(`${f}.grpc.port`, p['grpc']['port']));
}

function validateEnv(f: string, env: unknown, out: Causes): void {
  list(env).forEach((e, i) => {
    const ef = `${f}[${i}]`;
    const m = map(e);
    const name = typeof m['name'] === 'string' ? m['name'] : '';
    if (!name) out.push(required(`${ef}.name`));
    else out.push(...each(`${ef}.name`, name, envNameErrors(name)));
    const vf = m['valueFrom'];
    if (vf !== undefined) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((s) => map(vf)[s] !== undefined);
      if (typeof m['value'] === 'string' && m['value'] !== '') out.push(invalidValue(`${ef}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0) out.push(invalidValue(`${ef}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) out.push(invalidValue(`${ef}.valueFrom`, '', 'may not have more than one field specified at a time'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        const r = map(vf)[ref];
        if (!isMap(r)) continue;
        const key = typeof r['key'] === 'string' ? r['key'] : '';
        if (!key) out.push(required(`${ef}.valueFrom.${ref}.key`));
        else out.push(...each(`${ef}.valueFrom.${ref}.key`, key, configKeyErrors(key)));
        const refName = typeof r['name'] === 'string' ? r['name'] : '';
        if (!refName) out.push(required(`${ef}.valueFrom.${ref}.name`));
      }
    }
  });
}

function validateContainer(f: string, c: unknown, volumes: Set<string>, out: Causes, regular: boolean): void {
  const m = map(c);
  const name = m['name'];
  if (typeof name !== 'string' || name === '') out.push(required(`${f}.name`));
  else out.push(...each(`${f}.name`, name, labelErrors(name)));
  if (typeof m['image'] !== 'string' || m['image'].trim() === '') out.push(required(`${f}.image`));
  const ppol = m['imagePullPolicy'];
  if (ppol !== undefined && !PULL_POLICIES.includes(String(ppol))) out.push(notSupported(`${f}.imagePullPolicy`, ppol, PULL_POLICIES));
  const portNames = new Set<string>();
  list(m['ports']).forEach((p, j) => {
    const pf = `${f}.ports[${j}]`;
    const pm = map(p);
    out.push(...portNumber(`${pf}.containerPort`, pm['containerPort']));
    if (pm['hostPort'] !== undefined && pm['hostPort'] !== 0) out.push(...portNumber(`${pf}.hostPort`, pm['hostPort']));
    const pname = pm['name'];
    if (typeof pname === 'string' && pname !== '') {
      out.push(...each(`${pf}.name`, pname, portNameErrors(pname)));
      if (portNames.has(pname)) out.push(duplicate(`${pf}.name`, pname));
      portNames.add(pname);
    }
    const proto = pm['protocol'];
    if (proto === undefined) out.push(required(`${pf}.protocol`));
    else if (!PROTOCOLS.includes(String(proto))) out.push(notSupported(`${pf}.protocol`, proto, PROTOCOLS));
  });
  validateEnv(`${f}.env`, m['env'], out);
  validateResources(`${f}.resources`, m['resources'], out);
  if (regular) {
    validateProbe(`${f}.livenessProbe`, m['livenessProbe'], out, 'liveness');
    validateProbe(`${f}.readinessProbe`, m['readinessProbe'], out, 'readiness');
    validateProbe(`${f}.startupProbe`, m['startupProbe'], out, 'startup');
  } else {
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (m[p] !== undefined && m['restartPolicy'] !== 'Always') out.push(forbidden(`${f}.${p}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  }
  const mounts = new Set<string>();
  list(m['volumeMounts']).forEach((vm, j) => {
    const vf = `${f}.volumeMounts[${j}]`;
    const v = map(vm);
    const vname = typeof v['name'] === 'string' ? v['name'] : '';
    if (!vname) out.push(required(`${vf}.name`));
    else if (!volumes.has(vname)) out.push(notFound(`${vf}.name`, vname));
    const mp = typeof v['mountPath'] === 'string' ? v['mountPath'] : '';
    if (!mp) out.push(required(`${vf}.mountPath`));
    else if (mounts.has(mp)) out.push(invalidValue(`${vf}.mountPath`, mp, 'must be unique'));
    mounts.add(mp);
  });
  for (const k of ['terminationMessagePolicy']) {
    const v = m[k];
    if (v !== undefined && v !== 'File' && v !== 'FallbackToLogsOnError') out.push(notSupported(`${f}.${k}`, v, ['File', 'FallbackToLogsOnError']));
  }
}

function validateVolumes(base: string, spec: Record<string, unknown>, out: Causes): Set<string> {
  const names = new Set<string>();
  list(spec['volumes']).forEach((v, i) => {
    const f = `${base}.volumes[${i}]`;
    const m = map(v);
    const name = typeof m['name'] === 'string' ? m['name'] : '';
    if (!name) out.push(required(`${f}.name`));
    else {
      out.push(...each(`${f}.name`, name, labelErrors(name)));
      if (names.has(name)) out.push(duplicate(`${f}.name`, name));
      names.add(name);
    }
    const sources = VOLUME_SOURCES.filter((s) => m[s] !== undefined);
    if (sources.length === 0) out.push(required(f, 'must specify a volume type'));
    for (const s of sources.slice(1)) out.push(forbidden(`${f}.${s}`, 'may not specify more than 1 volume type'));
    if (isMap(m['secret']) && m['secret']['secretName'] !== undefined) out.push(...each(`${f}.secret.secretName`, String(m['secret']['secretName']), subdomainErrors(String(m['secret']['secretName']))));
    if (isMap(m['configMap']) && !m['configMap']['name']) out.push(required(`${f}.configMap.name`));
  });
  return names;
}

/**
 * PodSpec validation (ValidatePodSpec, the parts workloads and their users hit). `base` is the
 * field path of the spec: "spec" for Pods, "spec.template.spec" for templates.
 */
export function validatePodSpec(base: string, podSpec: unknown): Causes {
  const out: Causes = [];
  const spec = map(podSpec);
  const volumes = validateVolumes(base, spec, out);
  const containers = spec['containers'];
  if (!Array.isArray(containers) || containers.length === 0) out.push(required(`${base}.containers`));
  const seen = new Set<string>();
  const check = (field: string, cs: unknown, regular: boolean): void => {
    list(cs).forEach((c, i) => {
      const f = `${base}.${field}[${i}]`;
      validateContainer(f, c, volumes, out, regular);
      const name = map(c)['name'];
      if (typeof name === 'string' && name) {
        if (seen.has(name)) out.push(duplicate(`${f}.name`, name));
        seen.add(name);
      }
    });
  };
  check('containers', containers, true);
  check('initContainers', spec['initContainers'], false);
  const rp = spec['restartPolicy'];
  if (rp === undefined) out.push(required(`${base}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(String(rp))) out.push(notSupported(`${base}.restartPolicy`, rp, RESTART_POLICIES));
  const dns = spec['dnsPolicy'];
  if (dns !== undefined && !DNS_POLICIES.includes(String(dns))) out.push(notSupported(`${base}.dnsPolicy`, dns, DNS_POLICIES));
  out.push(...nonNegative(`${base}.terminationGracePeriodSeconds`, spec['terminationGracePeriodSeconds']));
  const ads = spec['activeDeadlineSeconds'];
  if (typeof ads === 'number' && ads < 1) out.push(invalidValue(`${base}.activeDeadlineSeconds`, ads, 'must be between 1 and 2147483647, inclusive'));
  for (const k of ['serviceAccountName', 'serviceAccount']) {
    const sa = spec[k];
    if (typeof sa === 'string' && sa !== '') out.push(...each(`${base}.${k}`, sa, subdomainErrors(sa)));
  }
  if (isMap(spec['nodeSelector'])) out.push(...validateLabels(`${base}.nodeSelector`, spec['nodeSelector']));
  list(spec['imagePullSecrets']).forEach((s, i) => {
    if (!map(s)['name']) out.push(required(`${base}.imagePullSecrets[${i}].name`));
  });
  const sc = map(spec['securityContext']);
  for (const k of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    const v = sc[k];
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) out.push(invalidValue(`${base}.securityContext.${k}`, v, 'must be between 0 and 2147483647, inclusive'));
  }
  return out;
}

/** The kinds that own pod templates only allow restartPolicy Always (Deployments, ReplicaSets). */
export function requireRestartAlways(base: string, podSpec: unknown): Causes {
  const rp = map(podSpec)['restartPolicy'];
  return rp !== undefined && rp !== 'Always' ? [notSupported(`${base}.restartPolicy`, rp, ['Always'])] : [];
}
