// Tag order and descriptions of the OpenAPI document: the main resources first, health last.
// Documentation viewers (Scalar at /docs) and generated clients group operations by these.
export const API_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'apps', description: 'Applications: the unit a team deploys. An app has environments; deleting one removes them all.' },
  { name: 'environments', description: 'Environments of an app (a Kubernetes namespace on one cluster), with their live status.' },
  { name: 'releases', description: 'Numbered, immutable releases: an image plus config; deploying and rolling back both create one.' },
  { name: 'config-vars', description: 'Environment variables of an environment; changing them creates a release once deployed.' },
  { name: 'formation', description: 'Process types of an environment: replicas, size, autoscaling, port.' },
  { name: 'domains', description: 'Custom hostnames routed to an environment\'s web process.' },
  { name: 'teams', description: 'Teams own apps; members have roles viewer < developer < admin < owner.' },
  { name: 'users', description: 'Users of the installation, and the caller (`/v1/users/me`).' },
  { name: 'tokens', description: 'Opaque API tokens (`berth_…`) sent as `Authorization: Bearer`.' },
  { name: 'clusters', description: 'Kubernetes clusters environments are placed on (platform admins).' },
  { name: 'registry-credentials', description: 'Per-team logins for private container registries; passwords are write-only.' },
  { name: 'quotas', description: 'Per-team limits and usage.' },
  { name: 'audit', description: 'The hash-chained audit log: list, export as NDJSON, verify, signed head.' },
  { name: 'sizes', description: 'The catalogue of process sizes (CPU and memory).' },
  { name: 'operations', description: 'Operational actions on an environment: restart, drift report, live logs.' },
  { name: 'health', description: 'Liveness, readiness and Prometheus metrics; no API token needed.' },
];
