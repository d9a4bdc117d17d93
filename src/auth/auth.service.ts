import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../infra/clock';
import { Db } from '../infra/db.service';
import { CLOCK } from '../infra/tokens';
import { Actor } from './actor';
import { ROLES, Role } from './role';
import { User, UsersRepository } from './users.repository';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CreatedUser {
  id: string;
  name: string;
  role: Role;
  repId: string | null;
  /** Shown once; only its hash is stored. */
  token: string;
}

/** A user as the API shows it: never the token or its hash, only the prefix that identifies it. */
export type UserView = User;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who the caller is, as the token says: what the portal needs to choose its pages (the API still decides every call). */
export interface MeView {
  userId: string | null;
  name: string | null;
  role: Role;
  /** The payee the user is (rep, manager), or null. */
  repId: string | null;
  repName: string | null;
  label: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createUser(actor: Actor, input: { role: string; repId?: string | null; name?: string }): Promise<CreatedUser> {
    const role = input.role as Role;
    if (!ROLES.includes(role)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `role must be one of ${ROLES.join(', ')}; got "${input.role}"`);
    }
    const repId = input.repId ?? null;
    if ((role === 'rep' || role === 'manager') && !repId) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `a ${role} user needs --rep <rep_id>`);
    }
    const prefix = randomBytes(4).toString('hex');
    const token = `ce_${prefix}_${randomBytes(24).toString('base64url')}`;
    return this.db.tx(async (em) => {
      if (repId && (await this.users.repName(repId, em)) === null) {
        throw new CommissionError(CommissionErrorCode.NOT_FOUND, `unknown rep_id "${repId}"`);
      }
      const user = await this.users.insert(em, { name: input.name ?? (repId ? `${role}:${repId}` : role), role, repId, tokenHash: hashToken(token), tokenPrefix: prefix });
      await this.audit.record(em, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        after: { name: user.name, role, repId, tokenPrefix: prefix },
      });
      return { id: user.id, name: user.name, role, repId, token };
    });
  }

  /** The caller as the portal shows them: the user's name and the payee they are. */
  async whoIs(actor: Actor): Promise<MeView> {
    const name = actor.userId ? await this.users.nameOf(actor.userId) : null;
    const repName = actor.repId ? await this.users.repName(actor.repId) : null;
    return { userId: actor.userId, name, role: actor.role, repId: actor.repId, repName, label: actor.label };
  }

  async authenticate(token: string): Promise<Actor | null> {
    const user = await this.users.byTokenHash(hashToken(token));
    if (!user || user.revokedAt) return null;
    return { userId: user.id, role: user.role, repId: user.repId, label: `user:${user.name}(${user.role})` };
  }

  async listUsers(): Promise<UserView[]> {
    return this.users.list();
  }

  /**
   * Revokes a user's token: from then on it authenticates nothing (401). Idempotent: revoking a revoked user
   * returns it unchanged and writes no second audit event.
   */
  async revokeUser(actor: Actor, id: string): Promise<UserView> {
    if (!UUID_PATTERN.test(id)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `user ${id} not found`);
    return this.db.tx(async (em) => {
      const user = await this.users.lock(em, id);
      if (!user) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `user ${id} not found`);
      if (!user.revokedAt) {
        const revokedAt = this.clock.now();
        await this.users.revoke(em, id, revokedAt);
        user.revokedAt = revokedAt.toISOString();
        await this.audit.record(em, actor, {
          action: 'user.revoke',
          entityType: 'user',
          entityId: id,
          before: { revokedAt: null },
          after: { name: user.name, role: user.role, repId: user.repId, tokenPrefix: user.tokenPrefix, revokedAt: revokedAt.toISOString() },
        });
      }
      return user;
    });
  }
}
