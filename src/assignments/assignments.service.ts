import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { dec } from '../core/money/decimal';
import { Db } from '../infra/db.service';

/** A rep's plan assignment. Money is a decimal string in the rep's currency. */
export interface AssignmentView {
  id: string;
  repId: string;
  planId: string;
  startDate: string;
  endDate: string | null;
  annualQuota: string;
  targetVariable: string;
  baseSalary: string;
}

interface AssignmentRow {
  id: string;
  rep_id: string;
  plan_id: string;
  start_date: string;
  end_date: string | null;
  annual_quota: string;
  target_variable: string;
  base_salary: string;
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
  ) {}

  async list(actor: Actor): Promise<AssignmentView[]> {
    const visible = await this.access.visibleRepIds(actor);
    const rows = await this.db.query<AssignmentRow>(
      `SELECT id::text AS id, rep_id, plan_id, start_date, end_date, annual_quota::text AS annual_quota,
              target_variable::text AS target_variable, base_salary::text AS base_salary
         FROM plan_assignments
        WHERE $1::text[] IS NULL OR rep_id = ANY($1::text[])
        ORDER BY rep_id, start_date, plan_id`,
      [visible && [...visible]],
    );
    return rows.map((r) => ({
      id: r.id,
      repId: r.rep_id,
      planId: r.plan_id,
      startDate: r.start_date,
      endDate: r.end_date,
      annualQuota: dec(r.annual_quota).toFixed(),
      targetVariable: dec(r.target_variable).toFixed(),
      baseSalary: dec(r.base_salary).toFixed(),
    }));
  }
}
