import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AccessRevocation } from './access-revocation.js';
import { AccessWatcher } from './access-watcher.service.js';
import { AuthCache } from './auth-cache.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { FailedAuthentication } from './failed-authentication.service.js';

@Global()
@Module({
  imports: [AuditModule],
  providers: [AuthCache, AuthRepository, FailedAuthentication, AuthGuard, AccessWatcher, { provide: AccessRevocation, useExisting: AccessWatcher }, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthCache, AuthGuard, AuthRepository, AccessRevocation, FailedAuthentication],
})
export class AuthModule {}
