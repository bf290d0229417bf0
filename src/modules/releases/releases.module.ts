import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { FormationModule } from '../formation/formation.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { ReleasesController } from './releases.controller.js';
import { ReleasesRepository } from './releases.repository.js';
import { ReleasesService } from './releases.service.js';

@Module({
  imports: [EnvironmentsModule, FormationModule, QuotasModule, EnvironmentEventsModule, AuthModule],
  controllers: [ReleasesController],
  providers: [ReleasesRepository, ReleasesService],
  exports: [ReleasesRepository, ReleasesService],
})
export class ReleasesModule {}
