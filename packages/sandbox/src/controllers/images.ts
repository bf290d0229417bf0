/**
 * Magic image names that make simulated containers behave like real ones (documented in
 * docs/sandbox.md; Berth's tests rely on these names):
 * - contains "fail-pull" or ends with ":pull-error" → ErrImagePull / ImagePullBackOff
 * - contains "crash-once" → the first start exits 1 at once (like an app whose dependency is not up
 *   yet); restarted at once (a first exit gets no back-off), it runs and becomes ready (restartCount 1,
 *   lastState Error)
 * - contains "crash" → starts, exits 1 at once; restarted → CrashLoopBackOff with restartCount rising
 * - contains "never-ready" → runs but its readiness probe never passes
 * - contains "oom" (as a word: "oom", "app-oom:1", "oom-killer") → runs briefly without becoming Ready
 *   (killed for memory while it starts), OOMKilled, exit code 137
 * - contains "exit-<n>" → runs briefly, then exits with code n
 * - contains "sleep-<s>" → runs s seconds (scaled by timeFactor), then exits 0 (or exit-<n>'s code)
 * - ROOT_IMAGES (by repository, with or without registry or library/ prefix and any tag) and any
 *   image containing "runs-as-root" run as user 0: with runAsNonRoot=true and no non-zero
 *   runAsUser the kubelet refuses them (CreateContainerConfigError).
 * Anything else runs forever (restartPolicy Always) or, in a pod with restartPolicy Never or
 * OnFailure (Jobs), exits 0 shortly after starting.
 */
export type ImageBehaviour = 'ok' | 'pull-error' | 'crash-once' | 'crash' | 'never-ready' | 'oom' | 'exit';

/** Official images whose default user is root (Docker Hub library images). */
export const ROOT_IMAGES: readonly string[] = ['nginx', 'httpd', 'redis', 'postgres', 'mysql', 'mariadb', 'mongo', 'node', 'python', 'ruby', 'golang', 'openjdk', 'eclipse-temurin', 'php', 'ubuntu', 'debian', 'alpine', 'busybox', 'centos', 'fedora', 'rabbitmq', 'memcached', 'traefik', 'haproxy'];

export interface ImageProfile {
  behaviour: ImageBehaviour;
  /** Exit code when the container terminates by itself (undefined: it runs until stopped). */
  exitCode: number | undefined;
  /** Seconds of simulated run time before it exits (scaled by timeFactor). */
  runSeconds: number | undefined;
  runsAsRoot: boolean;
}

/** The repository part of an image reference, without registry host, "library/", tag or digest. */
export function repositoryOf(image: string): string {
  let s = image.split('@')[0]!;
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts.length > 1 && parts[0] === 'library') parts.shift();
  return parts.join('/');
}

export function runsAsRoot(image: string): boolean {
  return image.includes('runs-as-root') || ROOT_IMAGES.includes(repositoryOf(image));
}

export function imageBehaviour(image: string): ImageBehaviour {
  if (image.includes('fail-pull') || image.endsWith(':pull-error')) return 'pull-error';
  if (image.includes('crash-once')) return 'crash-once';
  if (image.includes('crash')) return 'crash';
  if (image.includes('never-ready')) return 'never-ready';
  if (/(^|[^a-z0-9])oom([^a-z0-9]|$)/.test(image)) return 'oom';
  if (/exit-\d+|sleep-\d+/.test(image)) return 'exit';
  return 'ok';
}

export function imageProfile(image: string): ImageProfile {
  const behaviour = imageBehaviour(image);
  const exit = /exit-(\d+)/.exec(image);
  const sleep = /sleep-(\d+)/.exec(image);
  let exitCode: number | undefined;
  if (behaviour === 'crash' || behaviour === 'crash-once') exitCode = 1;
  else if (behaviour === 'oom') exitCode = 137;
  else if (exit) exitCode = Math.min(255, Number(exit[1]));
  else if (sleep) exitCode = 0;
  return { behaviour, exitCode, runSeconds: sleep ? Number(sleep[1]) : undefined, runsAsRoot: runsAsRoot(image) };
}
