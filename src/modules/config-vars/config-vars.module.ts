import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ReleasesModule } from '../releases/releases.module.js';
import { ConfigVarsController } from './config-vars.controller.js';
import { ConfigVarsService } from './config-vars.service.js';

@Module({
  imports: [EnvironmentsModule, ReleasesModule, AuditNotesModule],
  controllers: [ConfigVarsController],
  providers: [ConfigVarsService],
  exports: [ConfigVarsService],
})
export class ConfigVarsModule {}
