import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { requestIdOf } from '../infra/security-headers';
import type { Actor } from './actor';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import type { Role } from './role';
import { MISSING_TOKEN, REFUSED_TOKEN } from '../infra/token-messages';

/** Bearer-token authentication and role check for every route (global guard). Deny by default. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers['authorization'];
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new CommissionError(CommissionErrorCode.UNAUTHENTICATED, MISSING_TOKEN);
    // a request with a body was authenticated before its body was read (infra/body-gate.ts), with this same token
    const gate = req.gateActor as { token: string; actor: Actor } | undefined;
    const actor = gate?.token === match[1] ? { ...gate.actor } : await this.auth.authenticate(match[1]);
    if (!actor) throw new CommissionError(CommissionErrorCode.UNAUTHENTICATED, REFUSED_TOKEN);
    actor.requestId = requestIdOf(req.headers['x-request-id']) ?? randomUUID();
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new CommissionError(CommissionErrorCode.FORBIDDEN, 'endpoint declares no roles');
    if (!roles.includes(actor.role)) {
      throw new CommissionError(CommissionErrorCode.FORBIDDEN, `role ${actor.role} may not ${req.method} ${req.route?.path ?? req.url}`);
    }
    return true;
  }
}
