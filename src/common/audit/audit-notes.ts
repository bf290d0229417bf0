// The port through which services tell the audit event of the operation they run in what it was
// about and what it changed. A service injects AuditNotes through its constructor (so the
// dependency shows), the audit runner (audited-transaction.ts) opens one page of notes per audited
// operation and reads it when it records the event. Outside an audited operation notes go nowhere.

/** What the operation turned out to be about: filled in by services' resolve(), named by the event. */
export interface AuditScope {
  teamId?: string;
  appId?: string;
  appName?: string;
  environmentId?: string;
  environmentName?: string;
}

/** The fields an operation changed, before and after. */
export interface AuditChange {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export abstract class AuditNotes {
  /** Adds to what the operation is about (later notes win field by field). */
  abstract scope(scope: AuditScope): void;
  /** The operation's change, replacing the default one (a creation's result, a deletion's nothing). */
  abstract change(change: AuditChange): void;
}
