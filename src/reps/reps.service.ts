import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { RepFields } from '../core/intake/rep-intake';
import { RepsRepository } from './reps.repository';

/** What the API shows of a rep: the fields of reps.csv. */
export type RepView = RepFields;

@Injectable()
export class RepsService {
  constructor(
    private readonly reps: RepsRepository,
    private readonly access: AccessService,
  ) {}

  /** The reps the actor may see: a rep themself, a manager their team (transitively), back office everyone. */
  async list(actor: Actor): Promise<RepView[]> {
    const visible = await this.access.visibleRepIds(actor);
    return this.reps.list(visible && [...visible]);
  }

  async get(actor: Actor, repId: string): Promise<RepView> {
    await this.access.assertCanSee(actor, repId);
    const rep = await this.reps.byId(repId);
    if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    return rep;
  }
}
