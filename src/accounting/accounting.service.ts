import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { CalculationService } from '../calculation/calculation.service';
import { AccountingPolicy, policyHash } from '../core/accounting/accounting-policy';
import { CloseAccounting, accountForClose, componentOf, remainingAfter } from '../core/accounting/cost-schedules';
import { JournalRow, RollForward, journalEntries, journalRows, rollForward, ties } from '../core/accounting/roll-forward';
import { Period } from '../core/calendar/dates';
import { csvLine } from '../core/csv/write-csv';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO, roundHalfUp } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { AuditService } from '../audit/audit.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { Db } from '../infra/db.service';
import { AccountingRepository } from './accounting.repository';

/** A roll-forward figure in its currency's minor unit. */
export interface RollForwardView {
  currency: string;
  opening: string;
  additions: string;
  reductions: string;
  amortisation: string;
  writeOffs: string;
  closing: string;
  current: string;
  nonCurrent: string;
  /** Σ of the schedules' remaining balances: equal to `closing` when the asset reconciles. */
  scheduleBalances: string;
  ties: boolean;
  /** Capitalised schedules that still carry a balance. */
  openSchedules: number;
}

export interface AccountingPeriodView {
  period: Period;
  runId: string;
  policyHash: string;
  /** The policy the close applied (the journal posts to its accounts). */
  policy: AccountingPolicy;
  byCurrency: RollForwardView[];
  /** Every figure converted at the period-end rate and rounded once, half-up; closing = the sum of the others. */
  reporting: RollForwardView & { ratesAsOf: string; rates: { from: string; rate: string; date: string | null }[] };
  checks: { name: string; ok: boolean; detail: string }[];
}

export interface ScheduleView {
  id: string;
  period: Period;
  repId: string;
  bookingId: string;
  bookingVersionId: string;
  runId: string;
  lineNo: number;
  lineKind: string;
  componentKey: string | null;
  currency: string;
  treatment: 'capitalised' | 'reduction';
  cost: string;
  startPeriod: Period;
  endPeriod: Period;
  months: number;
  monthly: string;
  lastMonth: string;
  basis: string;
  reducesId: string | null;
  note: string;
  writtenOffIn: Period | null;
  writeOff: string | null;
  /** The balance left after the latest period the accounting has processed. */
  remaining: string;
  remainingAfter: Period | null;
}

/**
 * Commission expense accounting (ASC 340-40 / IFRS 15). A close turns the closed run's lines into schedules in its own
 * transaction (`recordClose`); the roll-forward, the journal and the schedule listing read only what closes stored.
 */
@Injectable()
export class AccountingService {
  private readonly units: MinorUnits;
  private readonly policy: AccountingPolicy;

  constructor(
    private readonly db: Db,
    private readonly repo: AccountingRepository,
    private readonly audit: AuditService,
    private readonly recon: ReconciliationService,
    private readonly lifecycle: PeriodLifecycle,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.units = new MinorUnits(cfg.currencyMinorUnits);
    this.policy = cfg.accountingPolicy;
  }

  /**
   * Called by the close of `period`, inside its transaction and lock: accounts for every closed period not yet
   * processed, oldest first (a store that had closed periods before this feature catches up on its next close).
   */
  async recordClose(em: EntityManager, period: Period, actor: Actor): Promise<{ period: Period; schedules: number; writeOffs: number }[]> {
    const done: { period: Period; schedules: number; writeOffs: number }[] = [];
    for (const t of await this.repo.closedWithoutAccounting(em, period)) {
      const r = await this.processPeriod(em, t.period, t.runId, actor);
      done.push({ period: t.period, schedules: r.schedules.length, writeOffs: r.writeOffs.length });
    }
    return done;
  }

  /**
   * Runs the accounting of every closed period that has none, without waiting for the next close: for a store that
   * closed periods before this feature existed. Under the lifecycle lock, so no close runs beside it; audited.
   */
  async catchUp(actor: Actor): Promise<{ period: Period; schedules: number; writeOffs: number }[]> {
    return this.db.tx(async (em) => {
      await PeriodLifecycle.lock(em);
      const last = await this.lifecycle.lastClosed(em);
      if (!last) return [];
      const done = await this.recordClose(em, last, actor);
      if (done.length) await this.audit.record(em, actor, { action: 'accounting.catch_up', entityType: 'period', entityId: last, after: { accounting: done } });
      return done;
    });
  }

  private async processPeriod(em: EntityManager, p: Period, runId: string, actor: Actor): Promise<CloseAccounting> {
    const lines = await this.repo.lines(em, runId);
    const negative = [...new Set(lines.filter((l) => l.bookingId !== null && l.amount.isNegative()).map((l) => l.bookingId!))];
    const open = await this.repo.openAt(em, p, { runId, bookingIds: negative });
    const bookingIds = [...new Set([...lines.filter((l) => l.bookingId !== null).map((l) => l.bookingId!), ...open.map((s) => s.bookingId)])].sort();
    const bookings = await this.repo.bookingsSeenBy(em, runId, bookingIds);
    const types = await this.repo.componentTypes(em);
    const result = accountForClose({
      period: p,
      lines,
      bookings,
      open,
      policy: this.policy,
      componentType: (key) => {
        const c = componentOf(key);
        return c ? (types.get(`${c.planId}@v${c.version}:${c.componentId}`) ?? null) : null;
      },
      places: (c) => this.units.of(c),
    });
    await this.repo.record(em, p, runId, { doc: this.policy, hash: policyHash(this.policy) }, actor.label, result.schedules, result.writeOffs);
    return result;
  }

  /** The roll-forward of a processed period, per currency and in the reporting currency, with its checks. */
  async period(period: string): Promise<AccountingPeriodView> {
    const p = CalculationService.assertPeriod(period);
    const cp = await this.repo.processed(p);
    if (!cp) {
      const status = await this.repo.periodStatus(p);
      throw new CommissionError(
        CommissionErrorCode.CONFLICT,
        status === 'closed' ? `period ${p} is closed but its accounting has not run yet; it runs with the next close` : `period ${p} is ${status}; the accounting covers closed periods only`,
      );
    }
    const schedules = await this.repo.asOf(p);
    const writeOffs = await this.repo.writeOffsIn(p);
    const rf = rollForward(p, schedules, writeOffs);
    const totals = await this.repo.totals(cp.runId);
    for (const c of totals.keys()) if (!rf.some((r) => r.currency === c)) rf.push(emptyRollForward(c));
    rf.sort((a, b) => (a.currency < b.currency ? -1 : 1));

    const conv = await this.recon.converter(p);
    const rp = this.units.of(conv.currency);
    const toRep = (field: keyof RollForward) => rf.reduce((s, r) => s.plus(roundHalfUp(conv.convert(r[field] as Decimal, r.currency), rp)), ZERO);
    const repFig = { opening: toRep('opening'), additions: toRep('additions'), reductions: toRep('reductions'), amortisation: toRep('amortisation'), writeOffs: toRep('writeOffs'), current: toRep('current') };
    const repClosing = repFig.opening.plus(repFig.additions).plus(repFig.reductions).minus(repFig.amortisation).minus(repFig.writeOffs);
    const repBalances = toRep('scheduleBalances');

    const checks: AccountingPeriodView['checks'] = [];
    for (const r of rf) {
      const places = this.units.of(r.currency);
      checks.push({
        name: `asset ${r.currency}`,
        ok: ties(r),
        detail: `closing asset ${r.closing.toFixed(places)} ${r.currency}; the schedules' remaining balances add up to ${r.scheduleBalances.toFixed(places)}`,
      });
      const t = totals.get(r.currency) ?? { lines: ZERO, balanceLines: ZERO, payouts: ZERO };
      checks.push({
        name: `payable ${r.currency}`,
        ok: t.lines.eq(t.payouts),
        detail: `the journal credits commissions payable with ${t.lines.toFixed(places)} ${r.currency} (the period's payout lines); the closed payouts add up to ${t.payouts.toFixed(places)}`,
      });
    }
    const view = (r: RollForward | (typeof repFig & { currency: string; closing: Decimal; scheduleBalances: Decimal; schedules: number }), places: number): RollForwardView => ({
      currency: r.currency,
      opening: r.opening.toFixed(places),
      additions: r.additions.toFixed(places),
      reductions: r.reductions.toFixed(places),
      amortisation: r.amortisation.toFixed(places),
      writeOffs: r.writeOffs.toFixed(places),
      closing: r.closing.toFixed(places),
      current: r.current.toFixed(places),
      nonCurrent: r.closing.minus(r.current).toFixed(places),
      scheduleBalances: r.scheduleBalances.toFixed(places),
      ties: r.closing.eq(r.scheduleBalances),
      openSchedules: r.schedules,
    });
    return {
      period: p,
      runId: cp.runId,
      policyHash: cp.policyHash,
      policy: cp.policy,
      byCurrency: rf.map((r) => view(r, this.units.of(r.currency))),
      reporting: {
        // converted figure by figure: the closing is their sum, and may differ from the converted schedules' balances
        // by rounding only (each currency's figure is rounded once); it ties when every currency ties
        ...view({ ...repFig, currency: conv.currency, closing: repClosing, scheduleBalances: repBalances, schedules: rf.reduce((s, r) => s + r.schedules, 0) }, rp),
        ties: rf.every(ties),
        ratesAsOf: conv.asOf,
        rates: conv.rates().map((r) => ({ from: r.from, rate: r.rate, date: r.date })),
      },
      checks,
    };
  }

  /** The period's journal: balanced debit/credit rows per currency, with the reporting-currency amount of each. */
  async journal(period: string): Promise<{ period: Period; rows: JournalRow[]; balanced: boolean; checks: AccountingPeriodView['checks'] }> {
    const view = await this.period(period);
    const p = view.period;
    const totals = await this.repo.totals(view.runId);
    const conv = await this.recon.converter(p);
    const entries = view.byCurrency.flatMap((r) => {
      const t = totals.get(r.currency);
      const figures = { additions: new Decimal(r.additions), reductions: new Decimal(r.reductions), amortisation: new Decimal(r.amortisation), writeOffs: new Decimal(r.writeOffs) };
      return journalEntries(r.currency, t?.lines ?? ZERO, figures, view.policy.balanceLines === 'advance' ? (t?.balanceLines ?? ZERO) : ZERO);
    });
    const rows = journalRows(p, entries, view.policy, (c) => this.units.of(c), (a, c) => conv.convert(a, c), conv.currency);
    const sums = new Map<string, Decimal>();
    for (const r of rows) {
      for (const [k, v] of [[r.currency, r.debit ? new Decimal(r.debit) : new Decimal(r.credit).negated()], [`reporting`, r.reportingDebit ? new Decimal(r.reportingDebit) : new Decimal(r.reportingCredit).negated()]] as const) {
        sums.set(k, (sums.get(k) ?? ZERO).plus(v));
      }
    }
    const balanced = [...sums.values()].every((v) => v.isZero());
    return { period: p, rows, balanced, checks: [...view.checks, { name: 'journal balances', ok: balanced, detail: balanced ? 'debits equal credits in every currency and in the reporting currency' : 'debits and credits differ' }] };
  }

  static journalCsv(rows: JournalRow[]): string {
    const head = 'period,entry,account,account_name,description,currency,debit,credit,reporting_currency,reporting_debit,reporting_credit';
    return [head, ...rows.map((r) => csvLine([r.period, r.entry, r.account, r.accountName, r.description, r.currency, r.debit, r.credit, r.reportingCurrency, r.reportingDebit, r.reportingCredit]))].join('\n') + '\n';
  }

  /** Schedules with their line, basis, write-off and the balance left after the latest processed period. */
  async schedules(filter: { period?: string; repId?: string; bookingId?: string }): Promise<ScheduleView[]> {
    const period = filter.period ? CalculationService.assertPeriod(filter.period) : undefined;
    const list = await this.repo.list({ period, repId: filter.repId, bookingId: filter.bookingId }, 50_001);
    if (list.length > 50_000) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'more than 50,000 schedules match: narrow the listing with a period, a payee or a booking');
    const latest = await this.repo.latestProcessed();
    return list.map((s) => {
      const places = this.units.of(s.currency);
      return {
        id: s.id,
        period: s.period,
        repId: s.repId,
        bookingId: s.bookingId,
        bookingVersionId: s.bookingVersionId,
        runId: s.runId,
        lineNo: s.lineNo,
        lineKind: s.lineKind,
        componentKey: s.componentKey,
        currency: s.currency,
        treatment: s.treatment,
        cost: s.cost.toFixed(places),
        startPeriod: s.startPeriod,
        endPeriod: s.endPeriod,
        months: s.months,
        monthly: s.monthly.toFixed(places),
        lastMonth: s.last.toFixed(places),
        basis: s.basis,
        reducesId: s.reduces && 'id' in s.reduces ? s.reduces.id : null,
        note: s.note,
        writtenOffIn: s.writtenOffIn,
        writeOff: s.writeOff === null ? null : s.writeOff.toFixed(places),
        remaining: latest ? remainingAfter(s, latest).toFixed(places) : s.cost.toFixed(places),
        remainingAfter: latest,
      };
    });
  }
}

function emptyRollForward(currency: string): RollForward {
  return { currency, opening: ZERO, additions: ZERO, reductions: ZERO, amortisation: ZERO, writeOffs: ZERO, closing: ZERO, current: ZERO, nonCurrent: ZERO, scheduleBalances: ZERO, schedules: 0 };
}
