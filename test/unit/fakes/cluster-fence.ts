// A fence for the unit tier: this replica owns the clusters listed (all of them when none are).
import { ClusterFence, NotClusterOwner, type ClusterLease } from '../../../src/modules/workloads/cluster-fence.port.js';

export class FakeClusterFence extends ClusterFence {
  readonly log: string[] = [];

  constructor(private readonly owned?: ReadonlySet<string>) {
    super();
  }

  async enter(clusterId: string): Promise<ClusterLease> {
    if (this.owned && !this.owned.has(clusterId)) throw new NotClusterOwner(clusterId, 'this replica does not own the cluster', 0);
    this.log.push(`enter ${clusterId}`);
    return {
      clusterId,
      epoch: 1,
      holder: 'fake-replica',
      assertHeld: () => undefined,
      exit: () => void this.log.push(`exit ${clusterId}`),
    };
  }
}
