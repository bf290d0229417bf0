// One Ingress per custom domain, so adding or removing a domain touches one object only.
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { namespacedMeta } from './metadata.js';
import { ingressName, SERVICE_PORT, shortHash, WEB } from './names.js';
import type { KubernetesObject, RenderInput } from './render.types.js';

/** A label value cannot hold a hostname (up to 253 characters), so the label is its digest. */
export const DOMAIN_LABEL = 'berth.dev/domain';

export function renderIngress(input: RenderInput, hostname: string): KubernetesObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: namespacedMeta(input, ingressName(hostname), { [DOMAIN_LABEL]: shortHash(hostname, 16) }),
    spec: {
      ...(input.cluster.ingressClassName ? { ingressClassName: input.cluster.ingressClassName } : {}),
      rules: [
        {
          host: hostname,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: WEB, port: { number: SERVICE_PORT } } } }] },
        },
      ],
    },
  } satisfies IIngress;
}
