// Schemas the decorators cannot express: inputs whose fields are alternatives (a oneOf, so `{}`
// does not type-check in a generated client) and the shape of an environment's live status.

export interface Alternative {
  name: string;
  description: string;
  /** Fields this variant requires, on top of those the input always requires. */
  required: string[];
  /** Fields that belong to other variants. */
  omit: string[];
}

export const ALTERNATIVES: Record<string, Alternative[]> = {
  CreateReleaseInput: [
    { name: 'DeployReleaseInput', description: 'Deploy an image', required: ['image'], omit: ['rollback_to'] },
    { name: 'RollbackReleaseInput', description: 'Roll back to an earlier release (its image and config)', required: ['rollback_to'], omit: ['image'] },
  ],
  RegisterClusterInput: [
    { name: 'RegisterClusterFromKubeconfig', description: 'Reach the cluster with a kubeconfig', required: ['kubeconfig'], omit: ['server', 'ca_data', 'token', 'client_certificate_data', 'client_key_data', 'insecure_skip_tls_verify'] },
    { name: 'RegisterClusterWithToken', description: 'Reach the cluster at `server` with a service account token', required: ['server', 'token'], omit: ['kubeconfig', 'context', 'client_certificate_data', 'client_key_data'] },
    { name: 'RegisterClusterWithClientCertificate', description: 'Reach the cluster at `server` with a client certificate', required: ['server', 'client_certificate_data', 'client_key_data'], omit: ['kubeconfig', 'context', 'token'] },
  ],
};

/** The parts of an environment's live status (EnvironmentStatusModel) that decorators cannot type. */
export const OBJECT_SCHEMAS = {
  ProcessStatus: {
    type: 'object',
    required: ['type', 'desired', 'ready', 'updated', 'available'],
    properties: {
      type: { type: 'string', example: 'web' },
      desired: { type: 'integer' },
      ready: { type: 'integer' },
      updated: { type: 'integer' },
      available: { type: 'integer' },
    },
  },
  PodSummary: {
    type: 'object',
    required: ['name', 'process_type', 'release', 'phase', 'ready', 'restarts', 'reason'],
    properties: {
      name: { type: 'string' },
      process_type: { type: 'string', nullable: true },
      release: { type: 'integer', nullable: true },
      phase: { type: 'string', example: 'Running' },
      ready: { type: 'boolean' },
      restarts: { type: 'integer' },
      reason: { type: 'string', nullable: true, example: 'CrashLoopBackOff' },
    },
  },
};

/** Properties whose decorator says only "object" but whose shape is known. */
export const PROPERTY_SCHEMAS: Record<string, Record<string, Record<string, unknown>>> = {
  EnvironmentStatusModel: {
    processes: { type: 'array', items: { $ref: '#/components/schemas/ProcessStatus' } },
    pods: { type: 'array', items: { $ref: '#/components/schemas/PodSummary' } },
  },
};
