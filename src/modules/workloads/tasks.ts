// The workloads module's background job names.
export const RECONCILE_TASK = 'reconcile_environment';
export const OBSERVE_TASK = 'observe_environment';
export const CLEANUP_TASK = 'remove_namespace';
/** Compares a batch of environments with the informer caches (a resync, spread in batches). */
export const RESYNC_BATCH_TASK = 'resync_environments';
/** Something every environment of a team renders from changed: bump and reconcile them all. */
export const TEAM_CHANGED_TASK = 'team_environments_changed';
/** Something every environment on a cluster renders from changed: bump and reconcile them all. */
export const CLUSTER_CHANGED_TASK = 'cluster_environments_changed';
/** Looks at a batch of environments of one cluster from its informer cache (StatusObserverService.observeMany). */
export const OBSERVE_BATCH_TASK = 'observe_environments';
/** Reconciles a batch of environments on any clusters (those this replica owns together, the others get a job each). */
export const RECONCILE_BATCH_TASK = 'reconcile_environments';
