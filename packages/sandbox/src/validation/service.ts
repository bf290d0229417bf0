import type { KubeObject } from '../types.js';
import { validateLabels } from './meta.js';
import { duplicate, each, forbidden, invalidValue, isIp, labelErrors, list, map, notSupported, portNumber, portNumOrName, required, subdomainErrors, type Causes } from './util.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateService(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  const type = spec['type'] ?? 'ClusterIP';
  if (!TYPES.includes(String(type))) out.push(notSupported('spec.type', type, TYPES));
  const headless = spec['clusterIP'] === 'None';
  const ports = list(spec['ports']);
  if (type === 'ExternalName') {
    const en = typeof spec['externalName'] === 'string' ? spec['externalName'].replace(/\.$/, '') : '';
    if (!en) out.push(required('spec.externalName'));
    else out.push(...each('spec.externalName', en, subdomainErrors(en)));
  } else if (ports.length === 0 && !headless) out.push(required('spec.ports'));
  const requireName = ports.length > 1;
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    const m = map(p);
    const name = typeof m['name'] === 'string' ? m['name'] : '';
    if (requireName && !name) out.push(required(`${f}.name`));
    else if (name) {
      out.push(...each(`${f}.name`, name, labelErrors(name)));
      if (names.has(name)) out.push(duplicate(`${f}.name`, name));
      names.add(name);
    }
    out.push(...portNumber(`${f}.port`, m['port']));
    const proto = m['protocol'];
    if (proto === undefined) out.push(required(`${f}.protocol`));
    else if (!PROTOCOLS.includes(String(proto))) out.push(notSupported(`${f}.protocol`, proto, PROTOCOLS));
    if (m['targetPort'] !== undefined) out.push(...portNumOrName(`${f}.targetPort`, m['targetPort']));
    if (m['nodePort'] !== undefined && m['nodePort'] !== 0) {
      if (type === 'ClusterIP') out.push(forbidden(`${f}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else out.push(...portNumber(`${f}.nodePort`, m['nodePort']));
    }
    const key = `${String(m['port'])}/${String(proto)}`;
    if (keys.has(key)) out.push(duplicate(f, m));
    keys.add(key);
  });
  const cip = spec['clusterIP'];
  if (typeof cip === 'string' && cip !== '' && cip !== 'None' && !isIp(cip)) out.push(invalidValue('spec.clusterIPs[0]', cip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  const sa = spec['sessionAffinity'];
  if (sa !== undefined && sa !== 'None' && sa !== 'ClientIP') out.push(notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  const etp = spec['externalTrafficPolicy'];
  if (etp !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') out.push(invalidValue('spec.externalTrafficPolicy', etp, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
  else if (etp !== undefined && etp !== 'Cluster' && etp !== 'Local') out.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  out.push(...validateLabels('spec.selector', spec['selector']));
  return out;
}
