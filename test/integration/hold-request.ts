// Holds HTTP requests in flight without any test-only route: a test transaction takes an exclusive
// lock on a table, so a real request that reads it waits in Postgres until the test releases it.
// Not a spec file (no .spec.ts): shared by the metrics and shutdown tests.
import pg from 'pg';

export interface TableLock {
  /** Resolves once `count` queries of the app wait on the lock (so their requests are in flight). */
  waitForWaiters(count?: number): Promise<void>;
  release(): Promise<void>;
}

export async function lockTable(databaseUrl: string, table: string): Promise<TableLock> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  let released = false;
  return {
    async waitForWaiters(count = 1) {
      for (;;) {
        // Inside a transaction pg_stat_activity is read once and cached; drop that snapshot.
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
          [holderPid],
        );
        if (rows[0]!.n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async release() {
      if (released) return;
      released = true;
      await holder.query('ROLLBACK');
      await holder.end();
    },
  };
}
