import { Injectable } from '@nestjs/common';
import { CalculationService } from '../calculation/calculation.service';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal } from '../core/money/decimal';
import { ClosedPayout, Correction, PayrollRecord, reconcile, ReconciliationResult } from '../core/reconciliation/reconcile';
import { Db } from '../infra/db.service';

/** Loads a closed period's payouts, what payroll paid and every later correction, and reconciles them (pure core). */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: Db,
    private readonly calc: CalculationService,
  ) {}

  async reconcile(period: string): Promise<ReconciliationResult> {
    const p = CalculationService.assertPeriod(period);
    const s = await this.calc.status(p);
    if (s.status !== 'closed') throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.status}; only closed periods are reconciled`);
    const payouts = (
      await this.db.query<{ rep_id: string; currency: string; payout: string; manager_id: string | null; plan: string | null }>(
        `SELECT p.rep_id, p.currency, p.payout::text AS payout, r.manager_id, p.plans->0->>'planId' AS plan
           FROM payouts p JOIN calculation_runs cr ON cr.id = p.run_id JOIN reps r ON r.rep_id = p.rep_id
          WHERE cr.period = $1 AND cr.superseded_by IS NULL ORDER BY p.rep_id`,
        [p],
      )
    ).map<ClosedPayout>((r) => ({ repId: r.rep_id, currency: r.currency, payout: new Decimal(r.payout), team: r.manager_id, plan: r.plan }));
    const planOf = new Map(payouts.map((x) => [x.repId, x.plan]));
    const records = (
      await this.db.query<{ id: string; rep_id: string; currency: string; amount: string; paid_date: string; reference: string; manager_id: string | null }>(
        `SELECT pr.id::text AS id, pr.rep_id, pr.currency, pr.amount::text AS amount, pr.paid_date::text AS paid_date, pr.reference, r.manager_id
           FROM payroll_records pr JOIN reps r ON r.rep_id = pr.rep_id
          WHERE pr.period = $1 AND pr.superseded_by_import IS NULL ORDER BY pr.reference, pr.id`,
        [p],
      )
    ).map<PayrollRecord>((r) => ({
      id: r.id,
      repId: r.rep_id,
      currency: r.currency,
      amount: new Decimal(r.amount),
      paidDate: r.paid_date,
      reference: r.reference,
      team: r.manager_id,
      plan: planOf.get(r.rep_id) ?? null,
    }));
    const adjustments = await this.db.query<{ id: string; rep_id: string; period: string; amount: string; source: string; origin_ref: string | null }>(
      `SELECT id::text AS id, rep_id, period, amount::text AS amount, source, origin_ref FROM adjustments WHERE origin_period = $1 ORDER BY id`,
      [p],
    );
    const lines = await this.db.query<{ rep_id: string; period: string; key: string; amount: string }>(
      `SELECT l.rep_id, l.period, l.component_key || '|' || coalesce(l.ref, '') AS key, l.amount::text AS amount
         FROM payout_lines l JOIN calculation_runs cr ON cr.id = l.run_id
        WHERE cr.superseded_by IS NULL AND l.period > $1 AND l.kind = 'prior_period_adjustment' AND l.origin_period = $1
          AND coalesce(l.trace->>'cause', '') <> 'cancellation' AND l.amount <> 0
        ORDER BY l.period, l.rep_id, l.line_no`,
      [p],
    );
    const corrections: Correction[] = [
      ...adjustments.map<Correction>((a) => ({
        repId: a.rep_id,
        source: a.source === 'dispute' ? 'dispute' : 'manual',
        paidInPeriod: a.period,
        ref: `adj:${a.id}${a.origin_ref ? ` (${a.origin_ref})` : ''}`,
        amount: new Decimal(a.amount),
      })),
      ...lines.map<Correction>((l) => ({ repId: l.rep_id, source: 'prior_period_adjustment', paidInPeriod: l.period, ref: l.key, amount: new Decimal(l.amount) })),
    ];
    return reconcile(p, payouts, records, corrections);
  }
}
