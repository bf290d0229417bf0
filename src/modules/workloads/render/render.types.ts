// What the renderers need to know about an environment, and nothing else: plain data, so
// rendering is a pure function (golden-file tested) and applying is a separate step.
import type { SecurityProfile } from './security.js';

export interface RenderSize {
  name: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

export interface RenderProcessType {
  type: string;
  command: string | null;
  replicas: number;
  size: RenderSize;
  autoscaling: { min: number; max: number; targetCpu: number } | null;
  /** Only web processes listen. */
  port: number | null;
  healthCheckPath: string | null;
}

export interface RenderRelease {
  number: number;
  image: string;
  /** Decrypted config vars: rendered into the release's immutable Secret only. */
  config: Record<string, string>;
}

export interface RenderInput {
  team: { id: string; name: string };
  app: { id: string; name: string };
  environment: {
    id: string;
    name: string;
    namespace: string;
    production: boolean;
    /** Pod security profile (render/security.ts); restricted when not given. */
    securityProfile?: SecurityProfile;
    /** The Deployments' progress deadline; 300 s when not given. */
    progressDeadlineSeconds?: number;
  };
  /** The release to run; null while the environment has never been deployed. */
  release: RenderRelease | null;
  /** The release before it, whose Secret is kept so pods of the old ReplicaSet can still start during a rollout. */
  previousRelease: { number: number } | null;
  processTypes: RenderProcessType[];
  domains: string[];
  /** The environment's share of the team quota, mirrored as ResourceQuota and LimitRange. */
  quota: { cpuMillis: number; memoryMib: number; pods: number };
  /** Docker config JSON for the image's registry when the team registered credentials for it. */
  imagePullSecret: { registry: string; dockerConfigJson: string } | null;
  /** Set by a restart: changes the pod template so the Deployment rolls. */
  restartedAt: string | null;
  cluster: {
    ingressClassName: string | null;
    /**
     * Namespace of the cluster's ingress controller, the only namespace outside the team allowed
     * to reach the app's pods. Optional so callers that do not know it get the common default
     * (`ingress-nginx`, see DEFAULT_INGRESS_NAMESPACE).
     */
    ingressControllerNamespace?: string | null;
  };
}

/** The minimum shape of a Kubernetes object, as rendered. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  team: 'berth.dev/team',
  app: 'berth.dev/app',
  environment: 'berth.dev/environment',
  environmentId: 'berth.dev/environment-id',
  processType: 'berth.dev/process-type',
  release: 'berth.dev/release',
} as const;

export const MANAGED_BY = 'berth';
