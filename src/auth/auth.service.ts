import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../infra/clock';
import { Db } from '../infra/db.service';
import { CLOCK } from '../infra/tokens';
import { RepEntity } from '../reps/rep.entity';
import { Actor } from './actor';
import { ROLES, Role, UserEntity } from './user.entity';

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
export interface UserView {
  id: string;
  name: string;
  role: Role;
  repId: string | null;
  tokenPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
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
      if (repId && !(await em.findOneBy(RepEntity, { repId }))) {
        throw new CommissionError(CommissionErrorCode.NOT_FOUND, `unknown rep_id "${repId}"`);
      }
      const user = em.create(UserEntity, {
        name: input.name ?? (repId ? `${role}:${repId}` : role),
        role,
        repId,
        tokenHash: hashToken(token),
        tokenPrefix: prefix,
        revokedAt: null,
      });
      await em.save(user);
      await this.audit.record(em, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        after: { name: user.name, role, repId, tokenPrefix: prefix },
      });
      return { id: user.id, name: user.name, role, repId, token };
    });
  }

  async authenticate(token: string): Promise<Actor | null> {
    const user = await this.db.manager.findOneBy(UserEntity, { tokenHash: hashToken(token) });
    if (!user || user.revokedAt) return null;
    return { userId: user.id, role: user.role, repId: user.repId, label: `user:${user.name}(${user.role})` };
  }

  async listUsers(): Promise<UserView[]> {
    const rows = await this.db.query<{
      id: string;
      name: string;
      role: Role;
      rep_id: string | null;
      token_prefix: string;
      created_at: Date | string;
      revoked_at: Date | string | null;
    }>(`SELECT id, name, role, rep_id, token_prefix, created_at, revoked_at FROM users ORDER BY created_at, id`);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      repId: r.rep_id,
      tokenPrefix: r.token_prefix,
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
    }));
  }

  /**
   * Revokes a user's token: from then on it authenticates nothing (401). Idempotent: revoking a revoked user
   * returns it unchanged and writes no second audit event.
   */
  async revokeUser(actor: Actor, id: string): Promise<UserView> {
    if (!UUID_PATTERN.test(id)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `user ${id} not found`);
    return this.db.tx(async (em) => {
      const user = await em.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `user ${id} not found`);
      if (!user.revokedAt) {
        const revokedAt = this.clock.now();
        await em.update(UserEntity, { id }, { revokedAt });
        user.revokedAt = revokedAt;
        await this.audit.record(em, actor, {
          action: 'user.revoke',
          entityType: 'user',
          entityId: id,
          before: { revokedAt: null },
          after: { name: user.name, role: user.role, repId: user.repId, tokenPrefix: user.tokenPrefix, revokedAt: revokedAt.toISOString() },
        });
      }
      return toUserView(user);
    });
  }
}

function toUserView(u: UserEntity): UserView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    repId: u.repId,
    tokenPrefix: u.tokenPrefix,
    createdAt: new Date(u.createdAt).toISOString(),
    revokedAt: u.revokedAt ? new Date(u.revokedAt).toISOString() : null,
  };
}
