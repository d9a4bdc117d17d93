import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { RepFields } from '../core/intake/rep-intake';
import { Db } from '../infra/db.service';

/** What the API shows of a rep: the fields of reps.csv. */
export type RepView = RepFields;

const SELECT = `SELECT rep_id AS "repId", name, email, manager_id AS "managerId", role, hire_date AS "hireDate",
                       termination_date AS "terminationDate", currency
                  FROM reps`;

@Injectable()
export class RepsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
  ) {}

  /** The reps the actor may see: a rep themself, a manager their team (transitively), back office everyone. */
  async list(actor: Actor): Promise<RepView[]> {
    const visible = await this.access.visibleRepIds(actor);
    return this.db.query<RepView>(`${SELECT} WHERE $1::text[] IS NULL OR rep_id = ANY($1::text[]) ORDER BY rep_id`, [visible && [...visible]]);
  }

  async get(actor: Actor, repId: string): Promise<RepView> {
    await this.access.assertCanSee(actor, repId);
    const [rep] = await this.db.query<RepView>(`${SELECT} WHERE rep_id = $1`, [repId]);
    if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    return rep;
  }
}
