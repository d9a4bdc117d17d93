import { Injectable } from '@nestjs/common';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Db } from '../infra/db.service';
import { Actor } from './actor';

/**
 * Row-level scoping: a rep sees only themself, a manager themself and their reports (transitively),
 * admin/finance/auditor everyone. `null` means "no restriction".
 */
@Injectable()
export class AccessService {
  constructor(private readonly db: Db) {}

  async visibleRepIds(actor: Actor): Promise<Set<string> | null> {
    if (actor.role === 'admin' || actor.role === 'finance' || actor.role === 'auditor') return null;
    if (!actor.repId) return new Set();
    if (actor.role === 'rep') return new Set([actor.repId]);
    const rows = await this.db.query<{ rep_id: string }>(
      `WITH RECURSIVE team(rep_id) AS (
         SELECT $1::text
         UNION
         SELECT r.rep_id FROM reps r JOIN team t ON r.manager_id = t.rep_id
       ) SELECT rep_id FROM team`,
      [actor.repId],
    );
    return new Set(rows.map((r) => r.rep_id));
  }

  /** Throws NOT_FOUND (not FORBIDDEN) so that a rep cannot probe which other rep ids exist. */
  async assertCanSee(actor: Actor, repId: string): Promise<void> {
    const visible = await this.visibleRepIds(actor);
    if (visible && !visible.has(repId)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
  }
}
