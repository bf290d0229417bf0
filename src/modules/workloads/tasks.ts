// The workloads module's background job names.
export const RECONCILE_TASK = 'reconcile_environment';
export const OBSERVE_TASK = 'observe_environment';
export const CLEANUP_TASK = 'remove_namespace';
/** Compares a batch of environments with the informer caches (a resync, spread in batches). */
export const RESYNC_BATCH_TASK = 'resync_environments';
