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
import { AccuracyFigures, Correction, MatchStatus, PayrollRecord, reconcile, ReconciliationResult } from '../core/reconciliation/reconcile';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { FxRatesRepository } from '../fx/fx-rates.repository';
import { AdjustmentsRepository } from '../periods/adjustments.repository';
import { PayrollRepository } from './payroll.repository';
import { ReconciliationFactsRepository } from './reconciliation-facts.repository';

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
    private readonly facts: ReconciliationFactsRepository,
    private readonly payroll: PayrollRepository,
    private readonly adjustments: AdjustmentsRepository,
    private readonly fxRates: FxRatesRepository,
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
    const payouts = await this.facts.payouts(p, onlyRep);
    const planOf = new Map(payouts.map((x) => [x.repId, x.plan]));
    const records = (await this.payroll.ofPeriod(p, onlyRep)).map<PayrollRecord>((r) => ({ ...r, plan: planOf.get(r.repId) ?? null }));
    const adjustments = await this.adjustments.correcting(p, onlyRep);
    const lines = await this.facts.priorPeriodLines(p, onlyRep);
    const corrections: Correction[] = [
      ...adjustments.map<Correction>((a) => ({
        repId: a.repId,
        source: a.source === 'dispute' ? 'dispute' : 'manual',
        paidInPeriod: a.period,
        ref: `adj:${a.id}${a.originRef ? ` (${a.originRef})` : ''}`,
        amount: new Decimal(a.amount),
      })),
      ...lines.map<Correction>((l) => ({ repId: l.repId, source: 'prior_period_adjustment', paidInPeriod: l.period, ref: l.key, amount: l.amount })),
    ];
    return reconcile(p, payouts, records, corrections, await this.converter(p), new MinorUnits(this.cfg.currencyMinorUnits));
  }

  /** Converts into the reporting currency at the latest direct rates on or before the period's last day. */
  async converter(period: Period): Promise<ReportingConverter> {
    const asOf = periodEnd(period);
    return new ReportingConverter(this.cfg.reportingCurrency, asOf, new FxTable(await this.fxRates.ratesInto(this.cfg.reportingCurrency, asOf)));
  }

  /** Every closed period's reconciliation in brief, oldest first. */
  async summary(): Promise<ReconciliationSummary[]> {
    const closed = await this.facts.closedPeriods();
    const recordsOf = await this.payroll.countsByPeriod();
    const out: ReconciliationSummary[] = [];
    for (const period of closed) {
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
    for (const p of await this.facts.periods()) if (p.stale) await this.calc.beforeRead(p.period, actor);
    const payouts = await this.facts.payoutsOf(repId);
    const paid = await this.payroll.paidTo(repId);
    const out: PayeePeriod[] = [];
    for (const p of await this.facts.periods()) {
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
        paid: records.map((x) => ({ amount: x.amount, currency: x.currency, paidDate: x.paidDate, reference: x.reference })),
        reconciliation,
      });
    }
    return out;
  }
}
