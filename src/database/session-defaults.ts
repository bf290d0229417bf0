// Berth's transactions are READ COMMITTED whatever the server's default_transaction_isolation
// (a DBA may set SERIALIZABLE for the database or the role): the audit chain's head lock, the
// idempotency ledger and every row-lock-then-write service rely on READ COMMITTED's "wait for the
// lock, then see the newest row" (under SERIALIZABLE those would fail with serialization errors).
// Saying so per connection, in the startup packet, costs nothing per transaction; saying it per
// transaction (`SET TRANSACTION ISOLATION LEVEL`, what Prisma sends after BEGIN) costs a round trip
// on every transaction. Startup options outrank ALTER DATABASE / ALTER ROLE settings; a
// transaction that asks for another level still gets it (TransactionHost passes it on).

const READ_COMMITTED = String.raw`-c default_transaction_isolation=read\ committed`;

/**
 * The connection URL with `-c default_transaction_isolation=read committed` appended to its
 * `options` (the libpq startup parameter), after any the operator gave: the last -c wins.
 */
export function withReadCommittedDefault(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', given ? `${given} ${READ_COMMITTED}` : READ_COMMITTED);
  return url.toString();
}
