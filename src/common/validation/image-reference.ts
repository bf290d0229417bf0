// Container image references, parsed by the grammar of distribution/reference (what Docker and
// containerd accept): [registry[:port]/]repository[:tag][@algorithm:digest].

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export const DEFAULT_REGISTRY = 'docker.io';

export function parseImageReference(ref: string): ImageReference | undefined {
  if (ref.length > 512) return undefined;
  const m = REFERENCE.exec(ref);
  if (!m) return undefined;
  let registry: string | undefined = m[1];
  let repository = m[2]!;
  // As Docker does: the first component is a registry only if it looks like a host.
  if (registry && !/[.:]/.test(registry) && registry !== 'localhost' && registry.toLowerCase() === registry) {
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  if (registry && registry !== registry.toLowerCase() && !/[.:]/.test(registry)) return undefined;
  if (!registry) {
    registry = DEFAULT_REGISTRY;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (repository.length > 255) return undefined;
  return { registry, repository, tag: m[3], digest: m[4] };
}

export function imageReferenceProblem(ref: string): string | undefined {
  return parseImageReference(ref)
    ? undefined
    : 'must be a container image reference such as registry.example.com/team/app:1.2.3 or name@sha256:<64 hex digits>';
}
