// The audit runner's storage for AuditNotes: one page per audited operation, kept in its own
// AsyncLocalStorage so that concurrent operations (or two GraphQL mutations of one request) never
// see each other's notes. It has no dependencies, so every feature module can import it
// (AuditNotesModule) while the runner itself sits above the features it audits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { AuditNotes, type AuditChange, type AuditScope } from './audit-notes.js';

/** What services noted during one operation. */
export interface AuditPage {
  scope: AuditScope;
  change?: AuditChange;
}

@Injectable()
export class AuditNotebook extends AuditNotes {
  private readonly pages = new AsyncLocalStorage<AuditPage>();

  /** Runs `work` with a fresh page; the page it is given is what services note meanwhile. */
  open<T>(work: (page: AuditPage) => Promise<T>): Promise<T> {
    const page: AuditPage = { scope: {} };
    return this.pages.run(page, () => work(page));
  }

  scope(scope: AuditScope): void {
    const page = this.pages.getStore();
    if (page) page.scope = { ...page.scope, ...scope };
  }

  change(change: AuditChange): void {
    const page = this.pages.getStore();
    if (page) page.change = change;
  }
}
