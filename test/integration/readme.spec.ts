// The README cannot drift: every shell command of its API tour runs, as written (after the
// placeholders the README names are replaced), in one bash session against a Berth started the way
// the README starts it (`node dist/src/main.js` on the embedded database, its own data folder), and
// any error answer fails the test with the command and what Berth said.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import { loadConfig } from '../../src/config/config.js';
import { eventually } from '../support/sandbox.js';
import { freePort } from '../support/postgres-server.mjs';

const README = readFileSync('README.md', 'utf8');

/** The ```sh blocks between a heading and the next heading of the same level. */
function shellBlocks(heading: string): string[] {
  const start = README.startsWith(`${heading}\n`) ? 0 : README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const next = README.indexOf('\n## ', start + heading.length + 2);
  const section = README.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * The commands of a block: a line ends a command unless it ends in `\` or leaves a quote open (a
 * multi-line JSON body); blank and comment lines between commands are dropped.
 */
function commands(block: string): string[] {
  const out: string[] = [];
  let pending = '';
  let quote: "'" | '"' | undefined;
  for (const line of block.split('\n')) {
    if (!pending && (!line.trim() || line.trim().startsWith('#'))) continue;
    pending += (pending ? '\n' : '') + line;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote === "'") {
        if (c === "'") quote = undefined;
      } else if (c === '\\') i++;
      else if (quote === '"') {
        if (c === '"') quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break; // a comment to the end of the line
    }
    if (!quote && !line.endsWith('\\')) {
      out.push(pending);
      pending = '';
    }
  }
  if (pending) out.push(pending);
  return out;
}

interface Outcome {
  exit: number;
  statuses: number[];
  stdout: string;
  stderr: string;
}

/** A bash that keeps its state (exports, the `b` alias, ETAG) from one command to the next. */
class Shell {
  private buffer = '';
  private waiter: ((exit: number) => void) | undefined;
  private count = 0;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(
    private readonly dir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn('bash', ['--norc', '--noprofile'], { cwd: dir, env });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      const done = /@@done (\d+)\n/.exec(this.buffer);
      if (done) {
        this.buffer = '';
        this.waiter?.(Number(done[1]));
      }
    });
    // Aliases in a non-interactive shell, and a curl that reports each HTTP status on its own
    // stream (stdout stays exactly what the reader sees).
    this.child.stdin.write(`shopt -s expand_aliases\ncurl() { command curl --max-time "\${CURL_MAX_TIME:-30}" --write-out '%{stderr}@@status %{http_code}\\n' "$@"; }\n`);
  }

  run(command: string, curlMaxTime = 30): Promise<Outcome> {
    const n = ++this.count;
    const out = join(this.dir, `.out.${n}`);
    const err = join(this.dir, `.err.${n}`);
    return new Promise((resolve) => {
      this.waiter = (exit) =>
        resolve({
          exit,
          stdout: readFileSync(out, 'utf8'),
          stderr: readFileSync(err, 'utf8').replace(/@@status \d+\n/g, ''),
          statuses: [...readFileSync(err, 'utf8').matchAll(/@@status (\d+)/g)].map((m) => Number(m[1])),
        });
      this.child.stdin.write(`CURL_MAX_TIME=${curlMaxTime}\n{\n${command}\n} >${out} 2>${err}\necho "@@done $?"\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

describe('README', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-readme-'));
  const home = join(dir, 'home');
  let berth: ChildProcessWithoutNullStreams;
  let output = '';
  let url = '';
  let token = '';
  let prodEu: SandboxCluster;
  let shell: Shell | undefined;

  beforeAll(async () => {
    // The README registers "a real cluster" from ~/.kube/prod-eu.kubeconfig: here, a second sandbox.
    prodEu = await startSandboxCluster({ name: 'prod-eu', rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50 });
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'prod-eu.kubeconfig'), prodEu.kubeconfig);
    const port = await freePort();
    url = `http://localhost:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, BERTH_DATA_DIR: join(dir, '.berth'), PORT: String(port), LOG_FORMAT: 'json' };
    for (const name of ['DATABASE_URL', 'BERTH_BOOTSTRAP_TOKEN', 'BERTH_ENCRYPTION_KEY', 'HOST', 'LOG_LEVEL', 'NODE_OPTIONS']) delete env[name];
    berth = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], { cwd: dir, env });
    berth.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    berth.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      async () => {
        if (berth.exitCode !== null) throw new Error(`Berth exited with ${berth.exitCode}`);
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined;
      },
      'Berth on the embedded database to be ready',
      1200,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output.slice(-3000)}`);
    });
    token = /Its API token \(shown once, keep it safe\):\s+(berth_[A-Za-z0-9_-]{24,})/.exec(output)?.[1] ?? '';
  }, 180_000);

  afterAll(async () => {
    shell?.close();
    if (berth && berth.exitCode === null) {
      berth.kill('SIGTERM');
      await new Promise((resolve) => berth.once('exit', resolve));
    }
    await prodEu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts as its first two commands say: npm ci builds, npm start serves on port 8080 with docs at /docs', async () => {
    expect(commands(shellBlocks('# Berth')[0]!).map((c) => c.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm start', 'npm test']);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['prepare', 'start', 'test']));
    expect(loadConfig({}).port).toBe(8080);
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    // The token banner is the last thing printed at start-up.
    const banner = output.indexOf('Its API token');
    expect(banner).toBeGreaterThan(0);
    expect(output.slice(0, banner)).toMatch(/Berth is listening on/);
    expect(output.slice(0, banner).split('\n').filter((line) => line.includes('"msg"')).pop()).toMatch(/Berth is listening on/);
  });

  it('runs every command of the API tour without an error answer', async () => {
    expect(token).toMatch(/^berth_/);
    const tour = [...shellBlocks('## A tour of the API'), ...shellBlocks('## Clusters: where releases run'), ...shellBlocks('## GraphQL tour')].flatMap(commands);
    expect(tour.length).toBeGreaterThan(30);
    shell = new Shell(dir, { ...process.env, HOME: home });
    const found: Record<string, string> = {};
    const failures: string[] = [];
    try {
      for (const original of tour) {
        // The placeholders the README tells the reader to replace, and the port this test uses.
        const command = original
          .replaceAll('http://localhost:8080', url)
          .replaceAll('<admin token>', token)
          .replaceAll('<dana id>', found['dana'] ?? '<dana id>')
          .replaceAll('<base64 CA PEM>', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'))
          .replaceAll('<service account token>', 'example-service-account-token')
          .replaceAll('<registry token>', 'example-registry-token');
        const left = /<[a-z][a-z0-9 ]*>/i.exec(command.replace(/\s[<>]\s*[\w.]+/g, ''));
        if (left) {
          failures.push(`${original}\n  → placeholder ${left[0]} is not one the README explains`);
          continue;
        }
        const streaming = command.includes('follow=true');
        // kubectl reads what Berth applies in the background: give it the moments a reader takes.
        const rollout = command.startsWith('kubectl rollout');
        const attempts = command.startsWith('kubectl') && !rollout ? 40 : 1;
        let outcome: Outcome | undefined;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          outcome = await shell.run(rollout ? `timeout 90 ${command}` : command, streaming ? 3 : 30);
          if (outcome.exit === 0) break;
          if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const { exit, statuses, stdout, stderr } = outcome!;
        if (process.env.README_TEST_DEBUG) process.stderr.write(`${command}\n  → ${exit} ${statuses.join(',')} ${stdout.slice(0, 200)}\n`);
        if (/"email":"dana@example.com","name":"Dana"/.test(command)) found['dana'] = (JSON.parse(stdout) as { id: string }).id;
        // A streaming command runs until the reader stops it: curl's own timeout (28) after a 200.
        const stopped = streaming && exit === 28 && statuses.length > 0 && statuses.every((s) => s === 200);
        // The way to wait for a deploy ends by itself, with the release's terminal status last.
        if (/\/releases\/\d+\/events/.test(command) && (exit !== 0 || !/"terminal":true[^\n]*\n*$/.test(stdout))) {
          failures.push(`${original}\n  → the release event stream did not end by itself with a terminal status (exit ${exit}): ${stdout.slice(-400)}`);
        }
        // GraphQL answers a failed operation with 200 and `errors`: the tour's GraphQL must answer data.
        if (command.includes('/graphql') && /"errors"\s*:/.test(stdout)) failures.push(`${original}\n  → GraphQL errors: ${stdout.slice(0, 400)}`);
        const bad = statuses.filter((s) => s === 0 || s >= 400);
        if ((exit !== 0 && !stopped) || bad.length) {
          const bodyless = bad.includes(400) && /Body cannot be empty/.test(stdout);
          failures.push(
            `${original}\n  → exit ${exit}, HTTP ${statuses.join(', ') || '-'}: ${(stdout + stderr).trim().slice(0, 400)}` +
              (bodyless ? '\n  (a body-less POST/DELETE with content-type application/json refused: issue #11 item 7, fixed on the content-type branch)' : ''),
          );
        }
      }
    } finally {
      shell.close();
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
