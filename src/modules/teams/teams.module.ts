import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { TeamsController } from './teams.controller.js';
import { TeamsRepository } from './teams.repository.js';
import { TeamsService } from './teams.service.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';

@Module({
  imports: [AuditNotesModule],
  controllers: [TeamsController, InvitationsController],
  providers: [TeamsRepository, TeamsService, InvitationsRepository, InvitationsService],
  exports: [TeamsService, InvitationsService, TeamsRepository, InvitationsRepository],
})
export class TeamsModule {}
