import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditService } from '../audit/audit.service';
import { AccessService } from './access.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { MetaController } from './meta.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

@Global()
@Module({
  controllers: [UsersController, MeController, MetaController],
  providers: [AuthService, UsersRepository, AccessService, AuditService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccessService, AuditService],
})
export class AuthModule {}
