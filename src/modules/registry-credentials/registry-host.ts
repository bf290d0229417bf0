// Container registry hosts as they appear in image references: hostname[:port], lower case.
import { registerDecorator, type ValidationOptions } from 'class-validator';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const REGISTRY_HOST = new RegExp(`^(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?$`);

/** Docker Hub answers to several names; one is stored, so a login is found whichever an image uses. */
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
export const DOCKER_HUB_REGISTRY = 'docker.io';
/** The key `docker login` writes for Docker Hub, and the one the kubelet matches unqualified images with. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

export function registryHostProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  const m = REGISTRY_HOST.exec(value);
  if (!m) return 'must be a registry host such as ghcr.io or registry.example.com:5000 (lower case, no scheme or path)';
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return 'port must be between 1 and 65535';
  return undefined;
}

export function canonicalRegistry(registry: string): string {
  return DOCKER_HUB.has(registry) ? DOCKER_HUB_REGISTRY : registry;
}

export function dockerConfigKey(registry: string): string {
  return canonicalRegistry(registry) === DOCKER_HUB_REGISTRY ? DOCKER_HUB_AUTH_KEY : registry;
}

export const IsRegistryHost = (options?: ValidationOptions) => (target: object, propertyName: string) => {
  registerDecorator({
    name: 'isRegistryHost',
    target: target.constructor,
    propertyName,
    options,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && registryHostProblem(value) === undefined,
      defaultMessage: (args) => (typeof args?.value === 'string' ? (registryHostProblem(args.value) ?? 'is invalid') : 'must be a string'),
    },
  });
};
