import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { AuditService } from '../audit/audit.service';
import { Db } from '../infra/db.service';
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

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
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
}
