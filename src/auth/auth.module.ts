import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditEventsRepository } from '../audit/audit-events.repository';
import { AuditService } from '../audit/audit.service';
import { RepsModule } from '../reps/reps.module';
import { AccessService } from './access.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { MetaController } from './meta.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

/**
 * Authentication, access scoping and the audit trail, for every module; with them the payees' repository
 * (RepsModule's RepsRepository: who reports to whom, each payee's currency), which access control reads.
 */
@Global()
@Module({
  controllers: [UsersController, MeController, MetaController],
  imports: [RepsModule],
  providers: [AuthService, UsersRepository, AccessService, AuditService, AuditEventsRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccessService, AuditService, AuditEventsRepository, RepsModule],
})
export class AuthModule {}
