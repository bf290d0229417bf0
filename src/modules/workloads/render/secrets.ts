// The Secrets of an environment: one immutable Secret per release holding its config vars, and
// the registry credentials when the image needs them.
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { namespacedMeta } from './metadata.js';
import { PULL_SECRET_NAME, releaseSecretName } from './names.js';
import { LABELS, type KubernetesObject, type RenderInput, type RenderRelease } from './render.types.js';

function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * `data` (base64) rather than `stringData`: the API server converts stringData into data, so a
 * Secret applied with stringData never reads back as rendered. Keys are sorted so the output does
 * not depend on the order config vars were set in.
 */
export function renderReleaseSecret(input: RenderInput, release: RenderRelease): KubernetesObject {
  const data = Object.fromEntries(
    Object.keys(release.config)
      .sort()
      .map((key) => [key, base64(release.config[key]!)]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespacedMeta(input, releaseSecretName(release.number), { [LABELS.release]: String(release.number) }),
    type: 'Opaque',
    // A release is immutable, so is its config: a config change is a new release, a new Secret.
    // Immutable Secrets are also not watched by kubelets, which spares the API server.
    immutable: true,
    data,
  } satisfies ISecret;
}

/** Not immutable: the team may rotate its registry credentials without a new release. */
export function renderPullSecret(input: RenderInput, dockerConfigJson: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespacedMeta(input, PULL_SECRET_NAME),
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': base64(dockerConfigJson) },
  } satisfies ISecret;
}
