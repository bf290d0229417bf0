import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminBootstrapService } from './admin-bootstrap.service.js';
import { TokensController } from './tokens.controller.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [UsersModule, AuditNotesModule],
  controllers: [TokensController],
  providers: [TokensRepository, TokensService, AdminBootstrapService],
  exports: [TokensService, AdminBootstrapService],
})
export class TokensModule {}
