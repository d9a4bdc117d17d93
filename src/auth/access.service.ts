import { Injectable } from '@nestjs/common';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { RepsRepository } from '../reps/reps.repository';
import { Actor } from './actor';

/**
 * Row-level scoping: a rep sees only themself, a manager themself and their reports (transitively),
 * admin/finance/auditor everyone. `null` means "no restriction".
 */
@Injectable()
export class AccessService {
  constructor(private readonly reps: RepsRepository) {}

  async visibleRepIds(actor: Actor): Promise<Set<string> | null> {
    if (actor.role === 'admin' || actor.role === 'finance' || actor.role === 'auditor') return null;
    if (!actor.repId) return new Set();
    if (actor.role === 'rep') return new Set([actor.repId]);
    return new Set(await this.reps.teamOf(actor.repId));
  }

  /** Throws NOT_FOUND (not FORBIDDEN) so that a rep cannot probe which other rep ids exist. */
  async assertCanSee(actor: Actor, repId: string): Promise<void> {
    const visible = await this.visibleRepIds(actor);
    if (visible && !visible.has(repId)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
  }
}
