import { Module } from '@nestjs/common';
import { RateLimitModule } from '../../common/rate-limit/rate-limit.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AccessRevocation } from './access-revocation.js';
import { AccessWatcher } from './access-watcher.service.js';
import { AuthCache } from './auth-cache.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { FailedAuthentication } from './failed-authentication.service.js';

@Module({
  imports: [AuditModule, RateLimitModule],
  providers: [AuthCache, AuthRepository, FailedAuthentication, AuthGuard, AccessWatcher, { provide: AccessRevocation, useExisting: AccessWatcher }],
  exports: [AuthCache, AuthGuard, AuthRepository, AccessRevocation, FailedAuthentication],
})
export class AuthModule {}
