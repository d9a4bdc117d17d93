import { Injectable } from '@nestjs/common';
import { Decimal } from '../core/money/decimal';
import { ModelResult } from '../core/plans/plan-model';
import { Db } from '../infra/db.service';

/** A payee's figures in one period's current run, as a plan model compares them. */
export interface StoredModelResult {
  repId: string;
  result: ModelResult;
}

/** A stored payout row as the comparison reads it. */
interface StoredPayoutRow {
  rep_id: string;
  currency: string;
  earned: string;
  payout: string;
  windows: ModelResult['windows'];
}

/** What a plan model reads besides the calculation's facts: the plan's payees, the bookings' watermark, stored payouts. */
@Injectable()
export class PlanModelFactsRepository {
  constructor(private readonly db: Db) {}

  /** The payees assigned to the plan at some time between the two dates, in rep id order. */
  async assignedPayees(planId: string, from: string, to: string): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `SELECT DISTINCT rep_id FROM plan_assignments WHERE plan_id = $1 AND start_date <= $3::date AND (end_date IS NULL OR end_date >= $2::date) ORDER BY rep_id`,
      [planId, from, to],
    );
    return rows.map((r) => r.rep_id);
  }

  /** The runs' figures of these payees, by payee then period (as the engine's results would give them). */
  async storedResults(runIds: string[], repIds: string[]): Promise<StoredModelResult[]> {
    const rows = await this.db.query<StoredPayoutRow>(
      `SELECT p.rep_id, p.currency, p.earned::text AS earned, p.payout::text AS payout, p.windows
         FROM payouts p WHERE p.run_id = ANY($1::bigint[]) AND p.rep_id = ANY($2::text[]) ORDER BY p.rep_id, p.period`,
      [runIds, repIds],
    );
    return rows.map((r) => ({
      repId: r.rep_id,
      result: {
        currency: r.currency,
        earned: new Decimal(r.earned),
        payout: new Decimal(r.payout),
        // only what the comparison reads
        windows: r.windows.map((w) => ({ planId: w.planId, componentId: w.componentId, componentKey: w.componentKey, credit: w.credit, attainment: w.attainment })),
      },
    }));
  }
}
