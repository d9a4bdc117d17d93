import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditEventsRepository } from '../audit/audit-events.repository';
import { AuditService } from '../audit/audit.service';
import { AccessService } from './access.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { MetaController } from './meta.controller';
import { UsersController } from './users.controller';
import { TeamRepository } from './team.repository';
import { UsersRepository } from './users.repository';

@Global()
@Module({
  controllers: [UsersController, MeController, MetaController],
  providers: [AuthService, UsersRepository, TeamRepository, AccessService, AuditService, AuditEventsRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccessService, AuditService, AuditEventsRepository],
})
export class AuthModule {}
