import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxCluster } from '../src/index.js';
import { fastCluster } from './helpers.js';

/**
 * The official Kubernetes Python client (Debian's python3-kubernetes, installed by .ci/run)
 * drives the sandbox: list, watch from a resourceVersion and after a 410, server-side apply with
 * and without force, the scale subresource, deletion with each propagation policy. The scenarios
 * live in python/scenarios.py and report what they saw as JSON.
 */
const SCRIPT = fileURLToPath(new URL('./python/scenarios.py', import.meta.url));

type Report = Record<string, unknown>;
let cluster: SandboxCluster;
let report: Report;

beforeAll(async () => {
  // A short watch history, so that resourceVersion 2 is compacted (410) after some churn.
  cluster = await fastCluster({ historySize: 30 });
  report = await new Promise<Report>((resolve, reject) => {
    execFile('/usr/bin/python3', [SCRIPT, cluster.kubeconfigPath, 'default'], { timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python scenarios failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Report);
    });
  });
}, 100_000);
afterAll(async () => {
  await cluster.stop();
});

it('lists', () => {
  expect(report['list']).toMatchObject({ names: expect.arrayContaining(['listed-0', 'listed-1', 'listed-2']) as unknown, resourceVersion: expect.stringMatching(/^\d+$/) as unknown });
});

it('watches from a resourceVersion (watch=True on the wire)', () => {
  expect(report['watch']).toEqual([
    ['ADDED', 'watched'],
    ['MODIFIED', 'watched'],
  ]);
});

it('gets 410 for a compacted resourceVersion, relists and watches again', () => {
  expect(report['watch410']).toEqual({ gone: 410, after: ['ADDED', 'after-relist'] });
});

it('server-side applies: a second manager gets 409 without force and takes over with force=True', () => {
  expect(report['ssa']).toEqual({ conflict: 409, forced: '2', managers: ['first', 'second'] });
});

it('scales through the scale subresource', () => {
  expect(report['scale']).toEqual({ spec: 3, available: true });
});

it('deletes with Orphan, Background and Foreground propagation', () => {
  expect(report['delete']).toEqual({
    Orphan: { replicasets: 1, ownerReferences: [0] },
    Background: { replicasetsGone: true },
    Foreground: {
      events: [
        ['MODIFIED', ['foregroundDeletion'], true],
        ['DELETED', ['foregroundDeletion'], true],
      ],
      replicasetsGone: true,
    },
  });
});
