// A portal's view of the REST API (#14): generate a typed client from docs/openapi.json with
// openapi-typescript, type-check the README tour (packages/client-check/src/tour.ts, written
// naturally, no casts) against it with TypeScript 5 (openapi-typescript's peer), then run the
// compiled tour against a started Berth.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const DIR = 'packages/client-check';

describe('generated TypeScript client', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('generates, type-checks the README tour with no errors, and runs it against Berth', async () => {
    await run(process.execPath, ['generate.mjs', '../../docs/openapi.json', 'generated/berth.d.ts'], { cwd: DIR });
    // tsc prints its errors on stdout and exits non-zero: the assertion shows them.
    const compiled = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: DIR }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');

    const { stdout } = await run(process.execPath, [`${DIR}/dist/src/tour.js`, app.url, app.adminToken]);
    const result = JSON.parse(stdout) as { release: number; replicas: number; environments: string[]; notFound: { status: number; code: string }; staleWrite: { status: number; code: string } };
    expect(result.release).toBe(1);
    expect(result.replicas).toBe(2);
    expect(result.environments.sort()).toEqual(['production', 'staging']);
    expect(result.notFound).toMatchObject({ status: 404, code: 'not-found' });
    expect(result.staleWrite).toMatchObject({ status: 412, code: 'precondition-failed' });
  });
});
