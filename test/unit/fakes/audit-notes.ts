// AuditNotes that keeps what a service noted, for unit tests of services: typed against the real
// port, so a changed method breaks the fake at compile time.
import { AuditNotes, type AuditChange, type AuditScope } from '../../../src/common/audit/audit-notes.js';

export class RecordingAuditNotes extends AuditNotes {
  readonly scopes: AuditScope[] = [];
  readonly changes: AuditChange[] = [];

  scope(scope: AuditScope): void {
    this.scopes.push(scope);
  }

  change(change: AuditChange): void {
    this.changes.push(change);
  }
}
