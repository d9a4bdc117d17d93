import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditEventsRepository } from '../audit/audit-events.repository';
import { AuditService } from '../audit/audit.service';
import { RepsRepository } from '../reps/reps.repository';
import { AccessService } from './access.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { MetaController } from './meta.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

/**
 * Authentication, access scoping, the audit trail and the payees (RepsRepository: who reports to whom, each payee's
 * currency), for every module. RepsModule provides the repository too (it is stateless); providing it here keeps this
 * global module from importing a feature module.
 */
@Global()
@Module({
  controllers: [UsersController, MeController, MetaController],
  providers: [AuthService, UsersRepository, RepsRepository, AccessService, AuditService, AuditEventsRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccessService, AuditService, AuditEventsRepository, RepsRepository],
})
export class AuthModule {}
