import type { KubeObject } from '../types.js';
import { labelSelectorErrors } from './selector.js';
import { dns1035Errors, each, invalidValue, isCidr, isIp, isMap, list, map, notSupported, portNumber, portNumOrName, required, subdomainErrors, tooMany, wildcardErrors, type Causes } from './util.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function hostErrors(f: string, host: string): Causes {
  if (isIp(host)) return [invalidValue(f, host, 'must be a DNS name, not an IP address')];
  if (host.startsWith('*.')) return each(f, host, wildcardErrors(host));
  return each(f, host, subdomainErrors(host));
}

function validateBackend(f: string, backend: unknown, out: Causes): void {
  const b = map(backend);
  const svc = b['service'];
  const resource = b['resource'];
  if (svc !== undefined && resource !== undefined) {
    out.push(invalidValue(f, '', 'cannot set both resource and service backends'));
    return;
  }
  if (svc === undefined && resource === undefined) {
    out.push(invalidValue(f, '', 'resource or service backend is required'));
    return;
  }
  if (isMap(svc)) {
    const name = typeof svc['name'] === 'string' ? svc['name'] : '';
    if (!name) out.push(required(`${f}.service.name`));
    else out.push(...each(`${f}.service.name`, name, dns1035Errors(name)));
    const port = map(svc['port']);
    const hasName = typeof port['name'] === 'string' && port['name'] !== '';
    const hasNumber = port['number'] !== undefined && port['number'] !== 0;
    if (hasName && hasNumber) out.push(invalidValue(`${f}.service.port`, port, 'cannot set both port name & port number'));
    else if (hasName) out.push(...portNumOrName(`${f}.service.port.name`, port['name']));
    else if (hasNumber) out.push(...portNumber(`${f}.service.port.number`, port['number']));
    else out.push(invalidValue(`${f}.service.port`, port, 'port name or number is required'));
  }
}

export function validateIngress(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  const rules = list(spec['rules']);
  if (rules.length === 0 && spec['defaultBackend'] === undefined) out.push(invalidValue('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
  if (spec['defaultBackend'] !== undefined) validateBackend('spec.defaultBackend', spec['defaultBackend'], out);
  const cls = spec['ingressClassName'];
  if (typeof cls === 'string') out.push(...each('spec.ingressClassName', cls, subdomainErrors(cls)));
  rules.forEach((r, i) => {
    const f = `spec.rules[${i}]`;
    const rule = map(r);
    const host = rule['host'];
    if (typeof host === 'string' && host !== '') out.push(...hostErrors(`${f}.host`, host));
    const http = rule['http'];
    if (http === undefined) return;
    const paths = list(map(http)['paths']);
    if (paths.length === 0) out.push(required(`${f}.http.paths`));
    paths.forEach((p, j) => {
      const pf = `${f}.http.paths[${j}]`;
      const pm = map(p);
      const pathType = pm['pathType'];
      const path = typeof pm['path'] === 'string' ? pm['path'] : '';
      if (pathType === undefined) out.push(required(`${pf}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(String(pathType))) out.push(notSupported(`${pf}.pathType`, pathType, PATH_TYPES));
      if (path !== '' && !path.startsWith('/')) out.push(invalidValue(`${pf}.path`, path, 'must be an absolute path'));
      else if ((pathType === 'Exact' || pathType === 'Prefix') && path === '') out.push(invalidValue(`${pf}.path`, path, 'must be an absolute path'));
      else if (pathType === 'Exact' || pathType === 'Prefix') {
        for (const bad of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(bad)) out.push(invalidValue(`${pf}.path`, path, `must not contain '${bad}'`));
        for (const bad of ['/..', '/.']) if (path.endsWith(bad)) out.push(invalidValue(`${pf}.path`, path, `cannot end with '${bad}'`));
      }
      validateBackend(`${pf}.backend`, pm['backend'], out);
    });
  });
  list(spec['tls']).forEach((t, i) => {
    const tm = map(t);
    list(tm['hosts']).forEach((h, j) => {
      const host = String(h);
      const hf = `spec.tls[${i}].hosts[${j}]`;
      out.push(...(host.startsWith('*.') ? each(hf, host, wildcardErrors(host)) : each(hf, host, subdomainErrors(host))));
    });
    const sn = tm['secretName'];
    if (typeof sn === 'string' && sn !== '') out.push(...each(`spec.tls[${i}].secretName`, sn, subdomainErrors(sn)));
  });
  return out;
}

const NP_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const POLICY_TYPES = ['Egress', 'Ingress'];

function validatePeers(f: string, peers: unknown, out: Causes): void {
  list(peers).forEach((p, i) => {
    const pf = `${f}[${i}]`;
    const m = map(p);
    const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => m[k] !== undefined);
    if (set.length === 0) out.push(required(pf, 'must specify a peer'));
    if (m['ipBlock'] !== undefined && set.length > 1) out.push(invalidValue(pf, '', 'may not specify both ipBlock and another peer'));
    if (m['podSelector'] !== undefined) out.push(...labelSelectorErrors(`${pf}.podSelector`, m['podSelector']));
    if (m['namespaceSelector'] !== undefined) out.push(...labelSelectorErrors(`${pf}.namespaceSelector`, m['namespaceSelector']));
    if (isMap(m['ipBlock'])) {
      const cidr = String(m['ipBlock']['cidr'] ?? '');
      if (!cidr) out.push(required(`${pf}.ipBlock.cidr`));
      else if (!isCidr(cidr)) out.push(invalidValue(`${pf}.ipBlock.cidr`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      list(m['ipBlock']['except']).forEach((x, j) => {
        if (!isCidr(String(x))) out.push(invalidValue(`${pf}.ipBlock.except[${j}]`, x, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
    }
  });
}

function validateNpPorts(f: string, ports: unknown, out: Causes): void {
  list(ports).forEach((p, i) => {
    const pf = `${f}[${i}]`;
    const m = map(p);
    const proto = m['protocol'];
    if (proto !== undefined && !NP_PROTOCOLS.includes(String(proto))) out.push(notSupported(`${pf}.protocol`, proto, NP_PROTOCOLS));
    const port = m['port'];
    if (port !== undefined) out.push(...portNumOrName(`${pf}.port`, port));
    const end = m['endPort'];
    if (end !== undefined) {
      if (typeof port !== 'number') out.push(required(`${pf}.port`, 'When endPort is specified, port must be specified'));
      else if (typeof end === 'number' && end < port) out.push(invalidValue(`${pf}.endPort`, end, 'must be greater than or equal to `port`'));
      else out.push(...portNumber(`${pf}.endPort`, end));
    }
  });
}

export function validateNetworkPolicy(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  out.push(...labelSelectorErrors('spec.podSelector', spec['podSelector']));
  list(spec['ingress']).forEach((r, i) => {
    validateNpPorts(`spec.ingress[${i}].ports`, map(r)['ports'], out);
    validatePeers(`spec.ingress[${i}].from`, map(r)['from'], out);
  });
  list(spec['egress']).forEach((r, i) => {
    validateNpPorts(`spec.egress[${i}].ports`, map(r)['ports'], out);
    validatePeers(`spec.egress[${i}].to`, map(r)['to'], out);
  });
  const types = list(spec['policyTypes']);
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(String(t))) out.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  if (types.length > 2) out.push(tooMany('spec.policyTypes', types.length, 2));
  return out;
}
