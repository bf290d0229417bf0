// A cluster's gateway as seen by work done under a lease: every write (apply, delete) first checks
// that the lease is still held with time to spare, so a replica that lost a cluster (paused, cut
// off, handing it over too slowly) sends it nothing more. Reads pass through.
import type { KubeGateway } from '../clusters/kube/kube-gateway.js';
import type { ClusterLease } from './cluster-fence.port.js';

const WRITES: ReadonlySet<PropertyKey> = new Set<keyof KubeGateway>(['apply', 'delete']);

export function fencedGateway(gateway: KubeGateway, lease: Pick<ClusterLease, 'assertHeld'>): KubeGateway {
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (!WRITES.has(property) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        lease.assertHeld();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
