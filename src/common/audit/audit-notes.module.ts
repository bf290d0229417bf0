import { Module } from '@nestjs/common';
import { AuditNotebook } from './audit-notebook.js';
import { AuditNotes } from './audit-notes.js';

/**
 * The one binding of AuditNotes. A leaf: feature modules import it to note what they change, the
 * audit module imports it for the runner, which opens the pages.
 */
@Module({ providers: [AuditNotebook, { provide: AuditNotes, useExisting: AuditNotebook }], exports: [AuditNotebook, AuditNotes] })
export class AuditNotesModule {}
