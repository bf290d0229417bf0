// A real PostgreSQL server for tests, from Debian's binaries. CI starts one and passes its URL in
// BERTH_TEST_DATABASE_URL; on a developer machine the global setup starts one here.
// Plain JavaScript because Jest loads global setup files with require(), outside its transform.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(address.port));
    });
  });
}

// initdb refuses root, so when running as root the server runs as the `postgres` user.
function asPostgres(cmd, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startPostgresServer() {
  const dir = mkdtempSync(join(tmpdir(), 'berth-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const [initCmd, initArgs] = asPostgres(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  // pg_ctl daemonises the server: no child process keeps the test runner alive, and stop() is explicit.
  const [cmd, args] = asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-o', options, 'start']);
  execFileSync(cmd, args, { stdio: 'ignore' });
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      if (attempt > 150) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    adminUrl,
    async stop() {
      const [stopCmd, stopArgs] = asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      try {
        execFileSync(stopCmd, stopArgs, { stdio: 'ignore' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function databaseUrl(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(adminUrl, sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
