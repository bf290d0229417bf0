// Berth's transactions are READ COMMITTED whatever the server's default_transaction_isolation
// (a DBA may set SERIALIZABLE for the database or the role): the audit chain's head lock, the
// idempotency ledger and every row-lock-then-write service rely on READ COMMITTED's "wait for the
// lock, then see the newest row" (under SERIALIZABLE those would fail with serialization errors).
// Saying so per connection, in the startup packet, costs nothing per transaction; saying it per
// transaction (`SET TRANSACTION ISOLATION LEVEL`, what Prisma sends after BEGIN) costs a round trip
// on every transaction. Startup options outrank ALTER DATABASE / ALTER ROLE settings; a
// transaction that asks for another level still gets it (TransactionHost passes it on).

export const READ_COMMITTED_OPTION = String.raw`-c default_transaction_isolation=read\ committed`;

/**
 * node-postgres connection settings for the URL with READ COMMITTED as every connection's default.
 * pg lets an `options` parameter in the URL replace the config's, so when the operator gave one,
 * ours is appended to it there (after theirs: the last -c wins). The URL is edited as text, not
 * re-serialised: pg accepts URLs that WHATWG URL rejects (`postgres://user@/db?host=/socket`).
 */
export function withReadCommittedDefault(databaseUrl: string): { connectionString: string; options?: string } {
  const given = /([?&]options=)([^&#]*)/;
  if (!given.test(databaseUrl)) return { connectionString: databaseUrl, options: READ_COMMITTED_OPTION };
  return { connectionString: databaseUrl.replace(given, (_all, key: string, value: string) => `${key}${value}${encodeURIComponent(` ${READ_COMMITTED_OPTION}`)}`) };
}
