// The environment's Namespace and the ServiceAccount its pods run as.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { baseLabels, namespacedMeta } from './metadata.js';
import { SERVICE_ACCOUNT_NAME } from './names.js';
import { podSecurityLevel, profileOf } from './security.js';
import type { KubernetesObject, RenderInput } from './render.types.js';


export function renderNamespace(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: input.environment.namespace,
      // Pod Security Admission: `restricted` because every pod Berth renders complies (non-root, no
      // privilege escalation, all capabilities dropped, RuntimeDefault seccomp, no host access or
      // volumes), so the label also stops anyone with namespace access from starting pods that
      // don't; only the `root` profile (allowed per cluster by a platform admin) lowers it to baseline.
      labels: { ...baseLabels(input), 'pod-security.kubernetes.io/enforce': podSecurityLevel(profileOf(input.environment.securityProfile)) },
    },
  } satisfies INamespace;
}

export function renderServiceAccount(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: namespacedMeta(input, SERVICE_ACCOUNT_NAME),
    // Apps have no business talking to the Kubernetes API: no token in their pods.
    automountServiceAccountToken: false,
  } satisfies IServiceAccount;
}
