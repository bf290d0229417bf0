// Type-level checks on the generated client: wrong inputs must not type-check, and errors must be
// typed as problem documents (not `never`, which is what an undeclared error set produces).
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/berth.js';

type Problem = components['schemas']['Problem'];
type IsNever<T> = [T] extends [never] ? true : false;
type ErrorOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? { [S in keyof R]: S extends 400 | 401 | 403 | 404 | 409 | 412 | 415 | 422 | 428 | 429 ? R[S] : never }[keyof R] : never;

const notNever: IsNever<ErrorOf<'/v1/apps', 'post'>> = false;
const problemContent: ErrorOf<'/v1/apps/{app}', 'get'> extends { content: { 'application/problem+json': Problem } } ? true : false = true;

export async function mustNotCompile(berth: ReturnType<typeof createClient<paths>>): Promise<void> {
  const path = { app: 'a', env: 'e' };
  // A release is an image or a rollback: `{}` is neither.
  // @ts-expect-error missing image / rollback_to
  await berth.POST('/v1/apps/{app}/environments/{env}/releases', { params: { path }, body: {} });
  // Replicas are integers in the document, but TypeScript has one number type: a string is wrong.
  // @ts-expect-error replicas is a number
  await berth.PATCH('/v1/apps/{app}/environments/{env}/formation', { params: { path }, body: { process_types: [{ type: 'web', replicas: '2' }] } });
  void notNever;
  void problemContent;
}
