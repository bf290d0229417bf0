// Pod security per environment profile (docs/releases.md#security-profiles).
//
// - restricted (default): Pod Security "restricted", and an explicit non-root uid/gid (10001) for
//   every container, as platforms that run arbitrary images do: an image that declares no USER (or
//   USER root) still starts, as an unprivileged user, instead of failing with the kubelet's
//   "container has runAsNonRoot and image will run as root".
// - image_user: Pod Security "restricted", but the image's own USER (it must be a numeric non-root
//   uid, which the kubelet checks): for images built to run as a particular user.
// - root: Pod Security "baseline": the image runs as whoever it declares, root included, with the
//   runtime's default capabilities minus NET_RAW. Only on clusters whose platform admin allows it
//   (cluster label berth.dev/allow-root=true); elsewhere the release fails naming that cause.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';

export const SECURITY_PROFILES = ['restricted', 'image_user', 'root'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];
export const DEFAULT_SECURITY_PROFILE: SecurityProfile = 'restricted';

/** The uid and gid Berth runs images as under `restricted` (outside the range distributions allocate). */
export const DEFAULT_RUN_AS = 10001;

/** A platform admin allows the root profile on a cluster with this label set to "true". */
export const ALLOW_ROOT_LABEL = 'berth.dev/allow-root';

export function profileOf(value: string | undefined | null): SecurityProfile {
  return (SECURITY_PROFILES as readonly string[]).includes(value ?? '') ? (value as SecurityProfile) : DEFAULT_SECURITY_PROFILE;
}

export function podSecurityLevel(profile: SecurityProfile): 'restricted' | 'baseline' {
  return profile === 'root' ? 'baseline' : 'restricted';
}

export function podSecurityContext(profile: SecurityProfile): IPodSecurityContext {
  const seccompProfile = { type: 'RuntimeDefault' as const };
  if (profile === 'root') return { seccompProfile };
  if (profile === 'image_user') return { runAsNonRoot: true, seccompProfile };
  return { runAsNonRoot: true, runAsUser: DEFAULT_RUN_AS, runAsGroup: DEFAULT_RUN_AS, fsGroup: DEFAULT_RUN_AS, seccompProfile };
}

export function containerSecurityContext(profile: SecurityProfile): NonNullable<IContainer['securityContext']> {
  // Baseline allows the runtime's default capabilities; NET_RAW (raw sockets, ARP spoofing) is not needed by apps.
  if (profile === 'root') return { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] } };
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}

/** Null when the cluster allows the profile, else why not (for the release's failure message). */
export function profileRefusal(profile: SecurityProfile, clusterName: string, clusterLabels: Readonly<Record<string, string>>): string | null {
  if (profile !== 'root' || clusterLabels[ALLOW_ROOT_LABEL] === 'true') return null;
  return `the environment's security_profile "root" is not allowed on cluster ${clusterName}: a platform admin allows it with the cluster label ${ALLOW_ROOT_LABEL}=true; otherwise use "restricted" (runs the image as uid ${DEFAULT_RUN_AS})`;
}
