import { BASES, set, type Obj } from './bases.js';

export interface Case {
  kind: keyof typeof BASES;
  what: string;
  /** Path → value (undefined deletes) applied to a fresh valid base object. */
  edits: Record<string, unknown>;
  status: 400 | 422;
  /** The Status cause's field (422); 400s have no causes. */
  field?: string;
  /** A fragment of the Status message (400s). */
  message?: string;
  /** The invalid object has another name than the base: only create applies. */
  createOnly?: boolean;
  query?: string;
}

const C = 'spec.template.spec.containers.0';
const F = 'spec.template.spec.containers[0]';
const dockerJson = Buffer.from('{"auths":{}}').toString('base64');

export const CASES: Case[] = [
  // The 21 of issue #13.
  { kind: 'Deployment', what: 'requests greater than limits', edits: { [`${C}.resources`]: { requests: { cpu: '2' }, limits: { cpu: '1' } } }, status: 422, field: `${F}.resources.requests` },
  { kind: 'Deployment', what: 'probe without a handler', edits: { [`${C}.readinessProbe`]: { periodSeconds: 5 } }, status: 422, field: `${F}.readinessProbe` },
  { kind: 'Deployment', what: 'probe with two handlers', edits: { [`${C}.readinessProbe`]: { httpGet: { path: '/healthz', port: 8080 }, tcpSocket: { port: 8080 } } }, status: 422, field: `${F}.readinessProbe.tcpSocket` },
  { kind: 'Deployment', what: 'container port name over 15 characters', edits: { [`${C}.ports.0.name`]: 'http-metrics-port' }, status: 422, field: `${F}.ports[0].name` },
  { kind: 'Deployment', what: 'env var name A=B', edits: { [`${C}.env`]: [{ name: 'A=B', value: '1' }] }, status: 422, field: `${F}.env[0].name` },
  { kind: 'Service', what: 'uppercase port name', edits: { 'spec.ports.0.name': 'HTTP' }, status: 422, field: 'spec.ports[0].name' },
  { kind: 'Ingress', what: 'host _', edits: { 'spec.rules.0.host': '_' }, status: 422, field: 'spec.rules[0].host' },
  { kind: 'Ingress', what: 'host is an IP', edits: { 'spec.rules.0.host': '10.1.2.3' }, status: 422, field: 'spec.rules[0].host' },
  { kind: 'Ingress', what: 'mid-label wildcard host', edits: { 'spec.rules.0.host': 'foo.*.example.com' }, status: 422, field: 'spec.rules[0].host' },
  { kind: 'Ingress', what: 'relative path', edits: { 'spec.rules.0.http.paths.0.path': 'api' }, status: 422, field: 'spec.rules[0].http.paths[0].path' },
  { kind: 'PodDisruptionBudget', what: 'both minAvailable and maxUnavailable', edits: { 'spec.maxUnavailable': 1 }, status: 422, field: 'spec' },
  { kind: 'HorizontalPodAutoscaler', what: 'utilisation 0', edits: { 'spec.metrics.0.resource.target.averageUtilization': 0 }, status: 422, field: 'spec.metrics[0].resource.target.averageUtilization' },
  { kind: 'NetworkPolicy', what: 'ICMP port', edits: { 'spec.ingress.0.ports.0.protocol': 'ICMP' }, status: 422, field: 'spec.ingress[0].ports[0].protocol' },
  { kind: 'LimitRange', what: 'default above max', edits: { 'spec.limits.0.default': { cpu: '8' } }, status: 422, field: 'spec.limits[0].default[cpu]' },
  { kind: 'ResourceQuota', what: 'unknown quota resource', edits: { 'spec.hard.foo': '1' }, status: 422, field: 'spec.hard[foo]' },
  { kind: 'Deployment', what: 'quantity abc', edits: { [`${C}.resources.limits.cpu`]: 'abc' }, status: 400, message: 'quantities must match the regular expression' },
  { kind: 'Deployment', what: 'maxSurge and maxUnavailable both 0', edits: { 'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }, status: 422, field: 'spec.strategy.rollingUpdate.maxUnavailable' },
  { kind: 'Deployment', what: 'template restartPolicy Never', edits: { 'spec.template.spec.restartPolicy': 'Never' }, status: 422, field: 'spec.template.spec.restartPolicy' },
  { kind: 'Deployment', what: 'progressDeadlineSeconds not above minReadySeconds', edits: { 'spec.minReadySeconds': 30, 'spec.progressDeadlineSeconds': 30 }, status: 422, field: 'spec.progressDeadlineSeconds' },
  { kind: 'Deployment', what: 'bad label-key prefix', edits: { 'metadata.labels': { 'Example_Com/team': 'a', app: 'v' } }, status: 422, field: 'metadata.labels' },
  { kind: 'Secret', what: 'dockerconfigjson without its key', edits: { type: 'kubernetes.io/dockerconfigjson', data: { other: dockerJson } }, status: 422, field: 'data[.dockerconfigjson]', createOnly: true },
  { kind: 'Service', what: 'two unnamed ports', edits: { 'spec.ports': [{ port: 80 }, { port: 443 }] }, status: 422, field: 'spec.ports[0].name' },
  // Deployments and their pod template.
  { kind: 'Deployment', what: 'negative replicas', edits: { 'spec.replicas': -1 }, status: 422, field: 'spec.replicas' },
  { kind: 'Deployment', what: 'missing selector', edits: { 'spec.selector': undefined }, status: 422, field: 'spec.selector', createOnly: true },
  { kind: 'Deployment', what: 'selector not matching the template', edits: { 'spec.selector.matchLabels.app': 'other' }, status: 422, field: 'spec.template.metadata.labels', createOnly: true },
  { kind: 'Deployment', what: 'uppercase container name', edits: { [`${C}.name`]: 'App' }, status: 422, field: `${F}.name` },
  { kind: 'Deployment', what: 'duplicate container names', edits: { 'spec.template.spec.containers.1': { name: 'app', image: 'busybox' } }, status: 422, field: 'spec.template.spec.containers[1].name' },
  { kind: 'Deployment', what: 'missing image', edits: { [`${C}.image`]: undefined }, status: 422, field: `${F}.image` },
  { kind: 'Deployment', what: 'containerPort 0', edits: { [`${C}.ports.0.containerPort`]: 0 }, status: 422, field: `${F}.ports[0].containerPort` },
  { kind: 'Deployment', what: 'containerPort 70000', edits: { [`${C}.ports.0.containerPort`]: 70000 }, status: 422, field: `${F}.ports[0].containerPort` },
  { kind: 'Deployment', what: 'container port protocol ICMP', edits: { [`${C}.ports.0.protocol`]: 'ICMP' }, status: 422, field: `${F}.ports[0].protocol` },
  { kind: 'Deployment', what: 'duplicate container port names', edits: { [`${C}.ports.1`]: { name: 'http', containerPort: 9090 } }, status: 422, field: `${F}.ports[1].name` },
  { kind: 'Deployment', what: 'port name without a letter', edits: { [`${C}.ports.0.name`]: '8080' }, status: 422, field: `${F}.ports[0].name` },
  { kind: 'Deployment', what: 'imagePullPolicy Sometimes', edits: { [`${C}.imagePullPolicy`]: 'Sometimes' }, status: 422, field: `${F}.imagePullPolicy` },
  { kind: 'Deployment', what: 'strategy type Blue', edits: { 'spec.strategy': { type: 'Blue' } }, status: 422, field: 'spec.strategy.type' },
  { kind: 'Deployment', what: 'Recreate with rollingUpdate', edits: { 'spec.strategy': { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }, status: 422, field: 'spec.strategy.rollingUpdate' },
  { kind: 'Deployment', what: 'maxUnavailable 120%', edits: { 'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } } }, status: 422, field: 'spec.strategy.rollingUpdate.maxUnavailable' },
  { kind: 'Deployment', what: 'maxSurge not a percentage', edits: { 'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots' } } }, status: 422, field: 'spec.strategy.rollingUpdate.maxSurge' },
  { kind: 'Deployment', what: 'negative revisionHistoryLimit', edits: { 'spec.revisionHistoryLimit': -1 }, status: 422, field: 'spec.revisionHistoryLimit' },
  { kind: 'Deployment', what: 'negative minReadySeconds', edits: { 'spec.minReadySeconds': -5 }, status: 422, field: 'spec.minReadySeconds' },
  { kind: 'Deployment', what: 'volumeMount of an undeclared volume', edits: { [`${C}.volumeMounts`]: [{ name: 'data', mountPath: '/data' }] }, status: 422, field: `${F}.volumeMounts[0].name` },
  { kind: 'Deployment', what: 'volume without a source', edits: { 'spec.template.spec.volumes': [{ name: 'data' }] }, status: 422, field: 'spec.template.spec.volumes[0]' },
  { kind: 'Deployment', what: 'volume with two sources', edits: { 'spec.template.spec.volumes': [{ name: 'data', emptyDir: {}, configMap: { name: 'c' } }] }, status: 422, field: 'spec.template.spec.volumes[0].configMap' },
  { kind: 'Deployment', what: 'liveness successThreshold 2', edits: { [`${C}.livenessProbe`]: { tcpSocket: { port: 8080 }, successThreshold: 2 } }, status: 422, field: `${F}.livenessProbe.successThreshold` },
  { kind: 'Deployment', what: 'probe port 0', edits: { [`${C}.readinessProbe`]: { httpGet: { path: '/', port: 0 } } }, status: 422, field: `${F}.readinessProbe.httpGet.port` },
  { kind: 'Deployment', what: 'probe named port too long', edits: { [`${C}.livenessProbe`]: { tcpSocket: { port: 'a-very-long-port-name' } } }, status: 422, field: `${F}.livenessProbe.tcpSocket.port` },
  { kind: 'Deployment', what: 'negative probe period', edits: { [`${C}.readinessProbe`]: { httpGet: { path: '/', port: 8080 }, periodSeconds: -1 } }, status: 422, field: `${F}.readinessProbe.periodSeconds` },
  { kind: 'Deployment', what: 'probe scheme FTP', edits: { [`${C}.readinessProbe`]: { httpGet: { path: '/', port: 8080, scheme: 'FTP' } } }, status: 422, field: `${F}.readinessProbe.httpGet.scheme` },
  { kind: 'Deployment', what: 'env value and valueFrom', edits: { [`${C}.env`]: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }, status: 422, field: `${F}.env[0].valueFrom` },
  { kind: 'Deployment', what: 'env secretKeyRef without key', edits: { [`${C}.env`]: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's' } } }] }, status: 422, field: `${F}.env[0].valueFrom.secretKeyRef.key` },
  { kind: 'Deployment', what: 'env name starting with a digit', edits: { [`${C}.env`]: [{ name: '1ST', value: 'x' }] }, status: 422, field: `${F}.env[0].name` },
  { kind: 'Deployment', what: 'non-standard container resource', edits: { [`${C}.resources`]: { limits: { gpu: '1' } } }, status: 422, field: `${F}.resources.limits[gpu]` },
  { kind: 'Deployment', what: 'negative memory request', edits: { [`${C}.resources`]: { requests: { memory: '-1Mi' } } }, status: 422, field: `${F}.resources.requests[memory]` },
  { kind: 'Deployment', what: 'template label value too long', edits: { 'spec.template.metadata.labels.tier': 'x'.repeat(64) }, status: 422, field: 'spec.template.metadata.labels' },
  { kind: 'Deployment', what: 'dnsPolicy Sometimes', edits: { 'spec.template.spec.dnsPolicy': 'Sometimes' }, status: 422, field: 'spec.template.spec.dnsPolicy' },
  { kind: 'Deployment', what: 'serviceAccountName with underscore', edits: { 'spec.template.spec.serviceAccountName': 'my_sa' }, status: 422, field: 'spec.template.spec.serviceAccountName' },
  { kind: 'Deployment', what: 'negative terminationGracePeriodSeconds', edits: { 'spec.template.spec.terminationGracePeriodSeconds': -1 }, status: 422, field: 'spec.template.spec.terminationGracePeriodSeconds' },
  { kind: 'Deployment', what: 'selector operator Has', edits: { 'spec.selector': { matchLabels: { app: 'v' }, matchExpressions: [{ key: 'tier', operator: 'Has' }] } }, status: 422, field: 'spec.selector.matchExpressions[0].operator', createOnly: true },
  { kind: 'Deployment', what: 'uppercase name', edits: { 'metadata.name': 'Web' }, status: 422, field: 'metadata.name', createOnly: true },
  { kind: 'Deployment', what: 'annotation key with spaces', edits: { 'metadata.annotations': { 'not valid': 'x' } }, status: 422, field: 'metadata.annotations' },
  { kind: 'Deployment', what: 'unknown field with fieldValidation=Strict', edits: { 'spec.replicaz': 2 }, status: 400, message: 'unknown field "spec.replicaz"', query: 'fieldValidation=Strict' },
  { kind: 'Deployment', what: 'unknown nested field with Strict', edits: { [`${C}.imagePolicy`]: 'x' }, status: 400, message: 'unknown field "spec.template.spec.containers[0].imagePolicy"', query: 'fieldValidation=Strict' },
  { kind: 'Deployment', what: 'replicas as a string', edits: { 'spec.replicas': 'two' }, status: 400, message: 'cannot unmarshal string' },
  { kind: 'Deployment', what: 'containers as a map', edits: { 'spec.template.spec.containers': { name: 'app' } }, status: 400, message: 'cannot unmarshal object' },
  { kind: 'ReplicaSet', what: 'template restartPolicy OnFailure', edits: { 'spec.template.spec.restartPolicy': 'OnFailure' }, status: 422, field: 'spec.template.spec.restartPolicy' },
  { kind: 'ReplicaSet', what: 'negative replicas', edits: { 'spec.replicas': -2 }, status: 422, field: 'spec.replicas' },
  // Pods.
  { kind: 'Pod', what: 'no containers', edits: { 'spec.containers': [] }, status: 422, field: 'spec.containers', createOnly: true },
  { kind: 'Pod', what: 'restartPolicy Sometimes', edits: { 'spec.restartPolicy': 'Sometimes' }, status: 422, field: 'spec.restartPolicy', createOnly: true },
  { kind: 'Pod', what: 'activeDeadlineSeconds 0', edits: { 'spec.activeDeadlineSeconds': 0 }, status: 422, field: 'spec.activeDeadlineSeconds', createOnly: true },
  { kind: 'Pod', what: 'negative runAsUser', edits: { 'spec.securityContext': { runAsUser: -1 } }, status: 422, field: 'spec.securityContext.runAsUser', createOnly: true },
  { kind: 'Pod', what: 'init container with a readiness probe', edits: { 'spec.initContainers': [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }] }, status: 422, field: 'spec.initContainers[0].readinessProbe', createOnly: true },
  // Services.
  { kind: 'Service', what: 'no ports', edits: { 'spec.ports': [] }, status: 422, field: 'spec.ports' },
  { kind: 'Service', what: 'port 0', edits: { 'spec.ports.0.port': 0 }, status: 422, field: 'spec.ports[0].port' },
  { kind: 'Service', what: 'type Bogus', edits: { 'spec.type': 'Bogus' }, status: 422, field: 'spec.type' },
  { kind: 'Service', what: 'nodePort on a ClusterIP service', edits: { 'spec.ports.0.nodePort': 30080 }, status: 422, field: 'spec.ports[0].nodePort' },
  { kind: 'Service', what: 'duplicate port names', edits: { 'spec.ports.1': { name: 'http', port: 443 } }, status: 422, field: 'spec.ports[1].name' },
  { kind: 'Service', what: 'duplicate port and protocol', edits: { 'spec.ports.1': { name: 'other', port: 80 } }, status: 422, field: 'spec.ports[1]' },
  { kind: 'Service', what: 'targetPort name too long', edits: { 'spec.ports.0.targetPort': 'much-too-long-port' }, status: 422, field: 'spec.ports[0].targetPort' },
  { kind: 'Service', what: 'sessionAffinity Sticky', edits: { 'spec.sessionAffinity': 'Sticky' }, status: 422, field: 'spec.sessionAffinity' },
  { kind: 'Service', what: 'clusterIP not an IP', edits: { 'spec.clusterIP': '10.96.0.300' }, status: 422, field: 'spec.clusterIPs[0]' },
  { kind: 'Service', what: 'ExternalName without externalName', edits: { 'spec.type': 'ExternalName', 'spec.ports': undefined, 'spec.selector': undefined }, status: 422, field: 'spec.externalName', createOnly: true },
  { kind: 'Service', what: 'name starting with a digit', edits: { 'metadata.name': '1web' }, status: 422, field: 'metadata.name', createOnly: true },
  { kind: 'Service', what: 'selector value with spaces', edits: { 'spec.selector.app': 'a b' }, status: 422, field: 'spec.selector' },
  // Ingresses.
  { kind: 'Ingress', what: 'pathType missing', edits: { 'spec.rules.0.http.paths.0.pathType': undefined }, status: 422, field: 'spec.rules[0].http.paths[0].pathType' },
  { kind: 'Ingress', what: 'pathType Regex', edits: { 'spec.rules.0.http.paths.0.pathType': 'Regex' }, status: 422, field: 'spec.rules[0].http.paths[0].pathType' },
  { kind: 'Ingress', what: 'Prefix path with //', edits: { 'spec.rules.0.http.paths.0.path': '/a//b' }, status: 422, field: 'spec.rules[0].http.paths[0].path' },
  { kind: 'Ingress', what: 'backend without service or resource', edits: { 'spec.rules.0.http.paths.0.backend': {} }, status: 422, field: 'spec.rules[0].http.paths[0].backend' },
  { kind: 'Ingress', what: 'backend port with name and number', edits: { 'spec.rules.0.http.paths.0.backend.service.port': { name: 'http', number: 80 } }, status: 422, field: 'spec.rules[0].http.paths[0].backend.service.port' },
  { kind: 'Ingress', what: 'backend service name with a dot', edits: { 'spec.rules.0.http.paths.0.backend.service.name': 'a.b' }, status: 422, field: 'spec.rules[0].http.paths[0].backend.service.name' },
  { kind: 'Ingress', what: 'neither rules nor defaultBackend', edits: { 'spec.rules': undefined, 'spec.tls': undefined }, status: 422, field: 'spec', createOnly: true },
  { kind: 'Ingress', what: 'TLS host with underscore', edits: { 'spec.tls.0.hosts.0': 'a_b.example.com' }, status: 422, field: 'spec.tls[0].hosts[0]' },
  // NetworkPolicies.
  { kind: 'NetworkPolicy', what: 'policyType Both', edits: { 'spec.policyTypes': ['Both'] }, status: 422, field: 'spec.policyTypes[0]' },
  { kind: 'NetworkPolicy', what: 'ipBlock with a bad CIDR', edits: { 'spec.egress.0.to.0.ipBlock.cidr': '10.0.0.0/33' }, status: 422, field: 'spec.egress[0].to[0].ipBlock.cidr' },
  { kind: 'NetworkPolicy', what: 'endPort below port', edits: { 'spec.egress.0.ports.0.endPort': 10 }, status: 422, field: 'spec.egress[0].ports[0].endPort' },
  { kind: 'NetworkPolicy', what: 'ipBlock with a podSelector', edits: { 'spec.egress.0.to.0.podSelector': {} }, status: 422, field: 'spec.egress[0].to[0]' },
  // PDBs, HPAs.
  { kind: 'PodDisruptionBudget', what: 'minAvailable 150%', edits: { 'spec.minAvailable': '150%' }, status: 422, field: 'spec.minAvailable' },
  { kind: 'PodDisruptionBudget', what: 'negative maxUnavailable', edits: { 'spec.minAvailable': undefined, 'spec.maxUnavailable': -1 }, status: 422, field: 'spec.maxUnavailable', createOnly: true },
  { kind: 'HorizontalPodAutoscaler', what: 'maxReplicas below minReplicas', edits: { 'spec.minReplicas': 5 }, status: 422, field: 'spec.maxReplicas' },
  { kind: 'HorizontalPodAutoscaler', what: 'minReplicas 0', edits: { 'spec.minReplicas': 0 }, status: 422, field: 'spec.minReplicas' },
  { kind: 'HorizontalPodAutoscaler', what: 'metric type Bogus', edits: { 'spec.metrics.0.type': 'Bogus' }, status: 422, field: 'spec.metrics[0].type' },
  { kind: 'HorizontalPodAutoscaler', what: 'scale-up policy period 0', edits: { 'spec.behavior': { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } } }, status: 422, field: 'spec.behavior.scaleUp.policies[0].periodSeconds' },
  { kind: 'HorizontalPodAutoscaler', what: 'Utilization target without a value', edits: { 'spec.metrics.0.resource.target': { type: 'Utilization' } }, status: 422, field: 'spec.metrics[0].resource.target.averageUtilization' },
  // Quotas, limit ranges.
  { kind: 'ResourceQuota', what: 'negative pods', edits: { 'spec.hard.pods': '-1' }, status: 422, field: 'spec.hard[pods]' },
  { kind: 'ResourceQuota', what: 'scope Sometimes', edits: { 'spec.scopes': ['Sometimes'] }, status: 422, field: 'spec.scopes' },
  { kind: 'ResourceQuota', what: 'conflicting scopes', edits: { 'spec.scopes': ['BestEffort', 'NotBestEffort'] }, status: 422, field: 'spec.scopes' },
  { kind: 'LimitRange', what: 'min above max', edits: { 'spec.limits.0.min': { memory: '16Gi' } }, status: 422, field: 'spec.limits[0].min[memory]' },
  { kind: 'LimitRange', what: 'defaultRequest above default', edits: { 'spec.limits.0.defaultRequest': { cpu: '2' } }, status: 422, field: 'spec.limits[0].defaultRequest[cpu]' },
  { kind: 'LimitRange', what: 'type Node', edits: { 'spec.limits.0.type': 'Node' }, status: 422, field: 'spec.limits[0].type' },
  // Secrets, ConfigMaps, Namespaces, ServiceAccounts.
  { kind: 'Secret', what: 'TLS secret without tls.key', edits: { type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0' } }, status: 422, field: 'data[tls.key]', createOnly: true },
  { kind: 'Secret', what: 'key with a space', edits: { 'data.bad key': 'eA==' }, status: 422, field: 'data[bad key]' },
  { kind: 'Secret', what: 'data that is not base64', edits: { 'data.token': 'not base64!' }, status: 400, message: 'illegal base64 data' },
  { kind: 'Secret', what: 'dockerconfigjson that is not JSON', edits: { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{nope').toString('base64') } }, status: 422, field: 'data[.dockerconfigjson]', createOnly: true },
  { kind: 'ConfigMap', what: 'key with a slash', edits: { 'data.a/b': 'x' }, status: 422, field: 'data[a/b]' },
  { kind: 'ConfigMap', what: 'key in data and binaryData', edits: { binaryData: { 'app.properties': 'eA==' } }, status: 422, field: 'data[app.properties]' },
  { kind: 'Namespace', what: 'name with a dot', edits: { 'metadata.name': 'a.b' }, status: 422, field: 'metadata.name', createOnly: true },
  { kind: 'Namespace', what: 'name too long', edits: { 'metadata.name': 'n'.repeat(64) }, status: 422, field: 'metadata.name', createOnly: true },
  { kind: 'PersistentVolumeClaim', what: 'no access modes', edits: { 'spec.accessModes': [] }, status: 422, field: 'spec.accessModes', createOnly: true },
  { kind: 'PersistentVolumeClaim', what: 'access mode ReadWriteSometimes', edits: { 'spec.accessModes': ['ReadWriteSometimes'] }, status: 422, field: 'spec.accessModes' },
  { kind: 'PersistentVolumeClaim', what: 'no storage request', edits: { 'spec.resources': {} }, status: 422, field: 'spec.resources[storage]', createOnly: true },
  { kind: 'ServiceAccount', what: 'imagePullSecret without a name', edits: { imagePullSecrets: [{}] }, status: 422, field: 'imagePullSecrets[0].name' },
  { kind: 'ServiceAccount', what: 'name with underscore', edits: { 'metadata.name': 'a_b' }, status: 422, field: 'metadata.name', createOnly: true },
];

export function build(c: Case): Obj {
  const obj = BASES[c.kind]!.obj();
  for (const [path, value] of Object.entries(c.edits)) set(obj, path, value);
  return obj;
}
