/**
 * Just enough schema knowledge for strategic merge and server-side apply: which lists are
 * merged by key (patchMergeKey / listMapKeys), which are sets, which maps are "granular".
 * `path` holds the field names from the object root down to the list, without indices.
 */
export function listKeys(path: readonly string[]): string[] | 'set' | undefined {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return ['name'];
    case 'secrets':
      return path.length === 1 ? ['name'] : undefined;
    case 'ports':
      if (path.includes('containers') || path.includes('initContainers')) return ['containerPort', 'protocol'];
      return parent === 'spec' && path.length === 2 ? ['port', 'protocol'] : undefined;
    case 'volumeMounts':
      return ['mountPath'];
    case 'volumeDevices':
      return ['devicePath'];
    case 'hostAliases':
      return ['ip'];
    case 'ownerReferences':
      return ['uid'];
    case 'conditions':
      return ['type'];
    case 'topologySpreadConstraints':
      return ['topologyKey', 'whenUnsatisfiable'];
    case 'finalizers':
      return parent === 'metadata' ? 'set' : undefined;
    default:
      return undefined;
  }
}

/** Defaults for key fields that may be omitted (protocol defaults to TCP). */
export function keyFieldDefault(key: string): unknown {
  return key === 'protocol' ? 'TCP' : undefined;
}

const GRANULAR_MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'stringData',
  'matchLabels',
  'nodeSelector',
  'limits',
  'requests',
  'hard',
  'used',
  'default',
  'defaultRequest',
  'max',
  'min',
]);

/** Maps whose own path is recorded ("." in FieldsV1) besides their keys. */
export function isGranularMap(path: readonly string[]): boolean {
  const field = path[path.length - 1] ?? '';
  if (GRANULAR_MAPS.has(field)) return true;
  // A Service's spec.selector is a plain map; a workload's spec.selector is an atomic LabelSelector.
  return field === 'selector' && path.length === 2;
}

/** Structs replaced as a whole (recorded as a single leaf). */
export function isAtomic(path: readonly string[], kind: string | undefined): boolean {
  const field = path[path.length - 1];
  if (field === 'selector' && path.length === 2 && (kind === 'Deployment' || kind === 'ReplicaSet')) return true;
  return false;
}
