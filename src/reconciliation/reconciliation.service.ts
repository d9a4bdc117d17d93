import { Inject, Injectable } from '@nestjs/common';
import { FxTable } from '../core/calculation/fx-table';
import { Period, periodEnd } from '../core/calendar/dates';
import { ReportingConverter } from '../core/money/currency-totals';
import { MinorUnits } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import type { Actor } from '../auth/actor';
import { CalculationService, PeriodStatus } from '../calculation/calculation.service';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal } from '../core/money/decimal';
import { AccuracyFigures, ClosedPayout, Correction, MatchStatus, PayrollRecord, reconcile, ReconciliationResult } from '../core/reconciliation/reconcile';
import { Db } from '../infra/db.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';

/** One closed period's reconciliation in brief: the accuracy trend reads a list of these. */
export interface ReconciliationSummary {
  period: string;
  counts: Record<MatchStatus, number>;
  accuracy: AccuracyFigures;
  errors: number;
  /** Current payroll records of the period; 0 means payroll has not been imported (the rates then say little). */
  payrollRecords: number;
}

/** One period of one payee: the payout of the current run, what payroll paid and how it reconciles. */
export interface PayeePeriod {
  period: string;
  status: PeriodStatus;
  stale: boolean;
  currency: string | null;
  payout: string | null;
  paid: { amount: string; currency: string; paidDate: string; reference: string }[];
  /** Closed periods only, and only when there was something to pay or payroll paid something; else null. */
  reconciliation: { status: MatchStatus; difference: string | null; errorFree: boolean; reasons: string[] } | null;
}

/** Loads a closed period's payouts, what payroll paid and every later correction, and reconciles them (pure core). */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: Db,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * `onlyRep` limits the reconciliation to one payee (their payout, payroll records and corrections): each payee's row
   * depends on nothing else, so it is the row the whole period's reconciliation has for them (the rates are then theirs).
   */
  async reconcile(period: string, onlyRep: string | null = null): Promise<ReconciliationResult> {
    const p = CalculationService.assertPeriod(period);
    const s = await this.lifecycle.status(p);
    if (s.status !== 'closed') throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.status}; only closed periods are reconciled`);
    const payouts = (
      await this.db.query<{ rep_id: string; currency: string; payout: string; manager_id: string | null; plan: string | null }>(
        `SELECT p.rep_id, p.currency, p.payout::text AS payout, r.manager_id, p.plans->0->>'planId' AS plan
           FROM payouts p JOIN current_runs cr ON cr.id = p.run_id JOIN reps r ON r.rep_id = p.rep_id
          WHERE cr.period = $1 AND ($2::text IS NULL OR p.rep_id = $2) ORDER BY p.rep_id`,
        [p, onlyRep],
      )
    ).map<ClosedPayout>((r) => ({ repId: r.rep_id, currency: r.currency, payout: new Decimal(r.payout), team: r.manager_id, plan: r.plan }));
    const planOf = new Map(payouts.map((x) => [x.repId, x.plan]));
    const records = (
      await this.db.query<{ id: string; rep_id: string; currency: string; amount: string; paid_date: string; reference: string; manager_id: string | null }>(
        `SELECT pr.id::text AS id, pr.rep_id, pr.currency, pr.amount::text AS amount, pr.paid_date::text AS paid_date, pr.reference, r.manager_id
           FROM payroll_records pr JOIN reps r ON r.rep_id = pr.rep_id
          WHERE pr.period = $1 AND pr.superseded_by_import IS NULL AND ($2::text IS NULL OR pr.rep_id = $2) ORDER BY pr.reference, pr.id`,
        [p, onlyRep],
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
      `SELECT id::text AS id, rep_id, period, amount::text AS amount, source, origin_ref FROM adjustments WHERE origin_period = $1 AND ($2::text IS NULL OR rep_id = $2) ORDER BY id`,
      [p, onlyRep],
    );
    const lines = await this.db.query<{ rep_id: string; period: string; key: string; amount: string }>(
      `SELECT l.rep_id, l.period, l.component_key || '|' || coalesce(l.ref, '') AS key, l.amount::text AS amount
         FROM run_lines l JOIN current_runs cr ON cr.id = l.run_id
        WHERE l.period > $1 AND l.kind = 'prior_period_adjustment' AND l.origin_period = $1
          AND coalesce(l.cause, '') <> 'cancellation' AND l.amount <> 0 AND ($2::text IS NULL OR l.rep_id = $2)
        ORDER BY l.period, l.rep_id, l.line_no`,
      [p, onlyRep],
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
    return reconcile(p, payouts, records, corrections, await this.converter(p), new MinorUnits(this.cfg.currencyMinorUnits));
  }

  /** Converts into the reporting currency at the latest direct rates on or before the period's last day. */
  async converter(period: Period): Promise<ReportingConverter> {
    const asOf = periodEnd(period);
    const rates = await this.db.query<{ date: string; from: string; to: string; rate: string }>(
      `SELECT rate_date::text AS date, from_currency AS "from", to_currency AS "to", rate::text AS rate FROM fx_rates WHERE to_currency = $1 AND rate_date <= $2::date`,
      [this.cfg.reportingCurrency, asOf],
    );
    return new ReportingConverter(this.cfg.reportingCurrency, asOf, new FxTable(rates.map((r) => ({ date: r.date, from: r.from, to: r.to, rate: new Decimal(r.rate) }))));
  }

  /** Every closed period's reconciliation in brief, oldest first. */
  async summary(): Promise<ReconciliationSummary[]> {
    const closed = await this.db.query<{ period: string }>(`SELECT period FROM periods WHERE status = 'closed' ORDER BY period`);
    const records = await this.db.query<{ period: string; n: string }>(
      `SELECT period, count(*)::text AS n FROM payroll_records WHERE superseded_by_import IS NULL GROUP BY period`,
    );
    const recordsOf = new Map(records.map((r) => [r.period, Number(r.n)]));
    const out: ReconciliationSummary[] = [];
    for (const { period } of closed) {
      const r = await this.reconcile(period);
      out.push({ period, counts: r.counts, accuracy: r.accuracy, errors: r.errors.length, payrollRecords: recordsOf.get(period) ?? 0 });
    }
    return out;
  }

  /**
   * One payee's periods, oldest first: payout, what payroll paid, and (closed periods) the reconciliation status.
   * Stale runs of open periods are recalculated first, as every payout read does. The caller checks visibility.
   */
  async payeeHistory(repId: string, actor: Actor): Promise<PayeePeriod[]> {
    const periods = async () =>
      this.db.query<{ period: string; status: PeriodStatus; stale: boolean }>(
        `SELECT p.period, p.status, coalesce(r.stale, false) AS stale FROM periods p
           LEFT JOIN current_runs r ON r.period = p.period ORDER BY p.period`,
      );
    for (const p of await periods()) if (p.stale) await this.calc.beforeRead(p.period, actor);
    const payouts = await this.db.query<{ period: string; currency: string; payout: string }>(
      `SELECT cr.period, p.currency, p.payout::text AS payout FROM payouts p JOIN current_runs cr ON cr.id = p.run_id
        WHERE p.rep_id = $1`,
      [repId],
    );
    const paid = await this.db.query<{ period: string; currency: string; amount: string; paid_date: string; reference: string }>(
      `SELECT period, currency, amount::text AS amount, paid_date::text AS paid_date, reference FROM payroll_records
        WHERE rep_id = $1 AND superseded_by_import IS NULL ORDER BY period, reference, id`,
      [repId],
    );
    const out: PayeePeriod[] = [];
    for (const p of await periods()) {
      const payout = payouts.find((x) => x.period === p.period);
      const records = paid.filter((x) => x.period === p.period);
      if (!payout && !records.length) continue;
      let reconciliation: PayeePeriod['reconciliation'] = null;
      if (p.status === 'closed') {
        const row = (await this.reconcile(p.period, repId)).rows.find((x) => x.repId === repId);
        if (row) reconciliation = { status: row.status, difference: row.difference, errorFree: row.errorFree, reasons: row.reasons };
      }
      out.push({
        period: p.period,
        status: p.status,
        stale: p.stale,
        currency: payout?.currency ?? null,
        payout: payout?.payout ?? null,
        paid: records.map((x) => ({ amount: x.amount, currency: x.currency, paidDate: x.paid_date, reference: x.reference })),
        reconciliation,
      });
    }
    return out;
  }
}
