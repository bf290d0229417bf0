/**
 * Magic image names that make simulated pods misbehave:
 * - contains "fail-pull" or ends with ":pull-error" → ErrImagePull / ImagePullBackOff
 * - contains "crash" → starts, exits 1, CrashLoopBackOff with restartCount rising
 * - contains "never-ready" → runs but its readiness probe never passes
 * Anything else starts and becomes Ready after the rollout delay.
 */
export type ImageBehaviour = 'ok' | 'pull-error' | 'crash' | 'never-ready';

export function imageBehaviour(image: string): ImageBehaviour {
  if (image.includes('fail-pull') || image.endsWith(':pull-error')) return 'pull-error';
  if (image.includes('crash')) return 'crash';
  if (image.includes('never-ready')) return 'never-ready';
  return 'ok';
}
