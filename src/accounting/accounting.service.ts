import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { CalculationService } from '../calculation/calculation.service';
import { AccountingPolicy, policyHash } from '../core/accounting/accounting-policy';
import { BookingTerms, CloseAccounting, CostLine, Schedule, accountForClose, componentOf, endPeriod, remainingAfter } from '../core/accounting/cost-schedules';
import { JournalRow, RollForward, StoredWriteOff, journalEntries, journalRows, rollForward, ties } from '../core/accounting/roll-forward';
import { Period } from '../core/calendar/dates';
import { csvLine } from '../core/csv/write-csv';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO, roundHalfUp } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { ACCOUNTING_POLICY } from './accounting-policy.provider';

type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

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

interface ScheduleRow {
  id: string;
  period: string;
  rep_id: string;
  booking_id: string;
  booking_version_id: string;
  run_id: string;
  line_no: number;
  line_kind: string;
  component_key: string | null;
  currency: string;
  treatment: 'capitalised' | 'reduction';
  cost: string;
  start_period: string;
  end_period: string;
  months: number;
  monthly: string;
  last_month: string;
  basis: string;
  reduces_id: string | null;
  note: string;
  written_off_in: string | null;
  write_off: string | null;
}

const SCHEDULE_COLUMNS = `s.id::text AS id, s.period, s.rep_id, s.booking_id, s.booking_version_id::text AS booking_version_id, s.run_id::text AS run_id,
  s.line_no, s.line_kind, s.component_key, s.currency, s.treatment, s.cost::text AS cost, s.start_period, s.end_period, s.months,
  s.monthly::text AS monthly, s.last_month::text AS last_month, s.basis, s.reduces_id::text AS reduces_id, s.note,
  w.period AS written_off_in, w.amount::text AS write_off`;

/**
 * Commission expense accounting (ASC 340-40 / IFRS 15). A close turns the closed run's lines into schedules in its own
 * transaction (`recordClose`); the roll-forward, the journal and the schedule listing read only what closes stored.
 */
@Injectable()
export class AccountingService {
  private readonly units: MinorUnits;

  constructor(
    private readonly db: Db,
    private readonly recon: ReconciliationService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Inject(ACCOUNTING_POLICY) private readonly policy: AccountingPolicy,
  ) {
    this.units = new MinorUnits(cfg.currencyMinorUnits);
  }

  /**
   * Called by the close of `period`, inside its transaction and lock: accounts for every closed period not yet
   * processed, oldest first (a store that had closed periods before this feature catches up on its next close).
   */
  async recordClose(em: EntityManager, period: Period, actor: Actor): Promise<{ period: Period; schedules: number; writeOffs: number }[]> {
    const q: Query = (sql, params = []) => em.query(sql, params);
    const todo = await q<{ period: string; run_id: string }>(
      `SELECT p.period, r.id::text AS run_id FROM periods p JOIN calculation_runs r ON r.period = p.period AND r.superseded_by IS NULL
        WHERE p.status = 'closed' AND p.period <= $1 AND NOT EXISTS (SELECT 1 FROM cost_periods c WHERE c.period = p.period) ORDER BY p.period`,
      [period],
    );
    const done: { period: Period; schedules: number; writeOffs: number }[] = [];
    for (const t of todo) {
      const r = await this.processPeriod(q, t.period, t.run_id, actor);
      done.push({ period: t.period, schedules: r.schedules.length, writeOffs: r.writeOffs.length });
    }
    return done;
  }

  private async processPeriod(q: Query, p: Period, runId: string, actor: Actor): Promise<CloseAccounting> {
    const lines = (
      await q<{ rep_id: string; line_no: number; kind: string; component_key: string | null; booking_id: string | null; currency: string; amount: string; draw_kind: string | null }>(
        `SELECT l.rep_id, l.line_no, l.kind, l.component_key, l.booking_id, po.currency, l.amount::text AS amount,
                CASE WHEN l.kind = 'draw' THEN l.trace->>'drawKind' END AS draw_kind
           FROM run_lines l JOIN payouts po ON po.run_id = l.run_id AND po.rep_id = l.rep_id
          WHERE l.run_id = $1 AND l.amount <> 0`,
        [runId],
      )
    ).map<CostLine>((l) => ({
      runId,
      repId: l.rep_id,
      lineNo: Number(l.line_no),
      kind: l.kind,
      componentKey: l.component_key,
      bookingId: l.booking_id,
      currency: l.currency.trim(),
      amount: new Decimal(l.amount),
      ...(l.draw_kind ? { drawKind: l.draw_kind } : {}),
    }));
    const open = (
      await q<ScheduleRow>(
        `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id
          WHERE s.end_period >= $1 AND w.schedule_id IS NULL ORDER BY s.id`,
        [p],
      )
    ).map(toSchedule);
    const bookingIds = [...new Set([...lines.filter((l) => l.bookingId !== null).map((l) => l.bookingId!), ...open.map((s) => s.bookingId)])].sort();
    const bookings = await this.bookingsSeenBy(q, runId, bookingIds);
    const types = await this.componentTypes(q);
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

    await q(`INSERT INTO cost_periods (period, run_id, policy, policy_hash, actor) VALUES ($1, $2, $3::jsonb, $4, $5)`, [p, runId, JSON.stringify(this.policy), policyHash(this.policy), actor.label]);
    // Ids are taken first so a reduction can name a schedule of the same close.
    const ids: string[] = [];
    for (let i = 0; i < result.schedules.length; i += 10_000) {
      const n = Math.min(10_000, result.schedules.length - i);
      const rows = await q<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('cost_schedules', 'id'))::text AS id FROM generate_series(1, $1::int)`, [n]);
      ids.push(...rows.map((r) => r.id));
    }
    const idOf = (r: Schedule['ref']): string => ('id' in r ? r.id : ids[r.fresh]);
    for (let i = 0; i < result.schedules.length; i += 2_000) {
      const chunk = result.schedules.slice(i, i + 2_000).map((s) => ({
        id: idOf(s.ref),
        period: p,
        run_id: runId,
        rep_id: s.repId,
        line_no: s.line.lineNo,
        line_kind: s.line.kind,
        component_key: s.line.componentKey,
        booking_id: s.bookingId,
        booking_version_id: s.line.bookingVersionId,
        currency: s.currency,
        treatment: s.treatment,
        cost: s.cost.toFixed(),
        start_period: s.startPeriod,
        end_period: endPeriod(s),
        months: s.months,
        monthly: s.monthly.toFixed(),
        last_month: s.last.toFixed(),
        basis: s.basis,
        reduces_id: s.reduces ? idOf(s.reduces) : null,
        note: s.note,
      }));
      await q(
        `INSERT INTO cost_schedules (id, period, run_id, rep_id, line_no, line_kind, component_key, booking_id, booking_version_id, currency, treatment, cost,
                                     start_period, end_period, months, monthly, last_month, basis, reduces_id, note)
         SELECT id, period, run_id, rep_id, line_no, line_kind, component_key, booking_id, booking_version_id, currency, treatment, cost,
                start_period, end_period, months, monthly, last_month, basis, reduces_id, note
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, period text, run_id bigint, rep_id text, line_no integer, line_kind text, component_key text,
                booking_id text, booking_version_id bigint, currency text, treatment text, cost numeric, start_period text, end_period text, months integer,
                monthly numeric, last_month numeric, basis text, reduces_id bigint, note text)
          ORDER BY id`,
        [JSON.stringify(chunk)],
      );
    }
    for (let i = 0; i < result.writeOffs.length; i += 2_000) {
      const chunk = result.writeOffs.slice(i, i + 2_000).map((w) => ({ schedule_id: idOf(w.schedule), period: p, amount: w.amount.toFixed(), cancelled_date: w.cancelledDate }));
      await q(
        `INSERT INTO cost_write_offs (schedule_id, period, amount, cancelled_date)
         SELECT schedule_id, period, amount, cancelled_date FROM jsonb_to_recordset($1::jsonb) AS x(schedule_id bigint, period text, amount numeric, cancelled_date date)`,
        [JSON.stringify(chunk)],
      );
    }
    return result;
  }

  /** The bookings as the run saw them: the versions at or below its watermark (or its recorded version ids). */
  private async bookingsSeenBy(q: Query, runId: string, bookingIds: string[]): Promise<Map<string, BookingTerms>> {
    const out = new Map<string, BookingTerms>();
    if (!bookingIds.length) return out;
    const [run] = await q<{ watermark: string | null; ids: string[] | null }>(
      `SELECT booking_watermark::text AS watermark, booking_version_ids::text[] AS ids FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    const visible = run.watermark !== null ? `v.id <= $2::bigint AND (v.superseded_by IS NULL OR v.superseded_by > $2::bigint)` : `v.id = ANY($2::bigint[])`;
    const rows = await q<{ id: string; booking_id: string; type: BookingTerms['type']; product: string; term_months: number; cancelled_date: string | null }>(
      `SELECT v.id::text AS id, v.booking_id, v.type, v.product, v.term_months, v.cancelled_date::text AS cancelled_date
         FROM booking_versions v WHERE v.booking_id = ANY($1::text[]) AND ${visible}`,
      [bookingIds, run.watermark !== null ? run.watermark : `{${(run.ids ?? []).join(',')}}`],
    );
    for (const r of rows) {
      out.set(r.booking_id, { bookingId: r.booking_id, versionId: r.id, type: r.type, product: r.product, termMonths: Number(r.term_months), cancelledDate: r.cancelled_date });
    }
    return out;
  }

  /** Component types by "plan@vN:component", from the stored plan versions. */
  private async componentTypes(q: Query): Promise<Map<string, string>> {
    const rows = await q<{ plan_id: string; version: number; document: { components?: { id: string; type: string }[] } | string }>(`SELECT plan_id, version, document FROM plan_versions`);
    const out = new Map<string, string>();
    for (const r of rows) {
      const doc = typeof r.document === 'string' ? JSON.parse(r.document) : r.document;
      for (const c of doc.components ?? []) out.set(`${r.plan_id}@v${r.version}:${c.id}`, c.type);
    }
    return out;
  }

  /** The roll-forward of a processed period, per currency and in the reporting currency, with its checks. */
  async period(period: string): Promise<AccountingPeriodView> {
    const p = CalculationService.assertPeriod(period);
    const [cp] = await this.db.query<{ run_id: string; policy_hash: string; policy: AccountingPolicy | string }>(
      `SELECT run_id::text AS run_id, policy_hash, policy FROM cost_periods WHERE period = $1`,
      [p],
    );
    if (!cp) {
      const [s] = await this.db.query<{ status: string }>(`SELECT status FROM periods WHERE period = $1`, [p]);
      throw new CommissionError(
        CommissionErrorCode.CONFLICT,
        s?.status === 'closed' ? `period ${p} is closed but its accounting has not run yet; it runs with the next close` : `period ${p} is ${s?.status ?? 'open'}; the accounting covers closed periods only`,
      );
    }
    const schedules = (
      await this.db.query<ScheduleRow>(
        `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id AND w.period <= $1
          WHERE s.period <= $1 AND s.end_period >= $1`,
        [p],
      )
    ).map(toSchedule);
    const writeOffs: StoredWriteOff[] = (
      await this.db.query<{ schedule_id: string; amount: string }>(`SELECT schedule_id::text AS schedule_id, amount::text AS amount FROM cost_write_offs WHERE period = $1`, [p])
    ).map((w) => ({ scheduleId: w.schedule_id, period: p, amount: new Decimal(w.amount) }));
    const rf = rollForward(p, schedules, writeOffs);
    const totals = await this.periodTotals(cp.run_id);
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
      runId: cp.run_id,
      policyHash: cp.policy_hash,
      policy: typeof cp.policy === 'string' ? (JSON.parse(cp.policy) as AccountingPolicy) : cp.policy,
      byCurrency: rf.map((r) => view(r, this.units.of(r.currency))),
      reporting: {
        // converted figure by figure: the closing is their sum, and differs from the converted schedules' balances by
        // rounding only (each currency's figure is rounded once)
        ...view({ ...repFig, currency: conv.currency, closing: repClosing, scheduleBalances: repBalances, schedules: rf.reduce((s, r) => s + r.schedules, 0) }, rp),
        ratesAsOf: conv.asOf,
        rates: conv.rates().map((r) => ({ from: r.from, rate: r.rate, date: r.date })),
      },
      checks,
    };
  }

  /** Σ of the period's payout lines and of its payouts, per currency. */
  private async periodTotals(runId: string): Promise<Map<string, PeriodTotals>> {
    const out = new Map<string, PeriodTotals>();
    const of = (c: string) => {
      let t = out.get(c);
      if (!t) out.set(c, (t = { lines: ZERO, balanceLines: ZERO, payouts: ZERO }));
      return t;
    };
    // balance lines: what isBalanceLine (core/accounting/cost-schedules.ts) says, in SQL
    const lines = await this.db.query<{ currency: string; total: string; balance: string }>(
      `SELECT po.currency, sum(l.amount)::text AS total,
              coalesce(sum(l.amount) FILTER (WHERE l.kind IN ('balance_recovery', 'negative_carried_forward') OR (l.kind = 'draw' AND l.trace->>'drawKind' = 'recoverable')), 0)::text AS balance
         FROM run_lines l JOIN payouts po ON po.run_id = l.run_id AND po.rep_id = l.rep_id WHERE l.run_id = $1 GROUP BY po.currency`,
      [runId],
    );
    const payouts = await this.db.query<{ currency: string; total: string }>(`SELECT currency, sum(payout)::text AS total FROM payouts WHERE run_id = $1 GROUP BY currency`, [runId]);
    for (const r of lines) Object.assign(of(r.currency.trim()), { lines: new Decimal(r.total), balanceLines: new Decimal(r.balance) });
    for (const r of payouts) of(r.currency.trim()).payouts = new Decimal(r.total);
    return out;
  }

  /** The period's journal: balanced debit/credit rows per currency, with the reporting-currency amount of each. */
  async journal(period: string): Promise<{ period: Period; rows: JournalRow[]; balanced: boolean; checks: AccountingPeriodView['checks'] }> {
    const view = await this.period(period);
    const p = view.period;
    const totals = await this.periodTotals(view.runId);
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
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.period) where.push(`s.period = $${params.push(CalculationService.assertPeriod(filter.period))}`);
    if (filter.repId) where.push(`s.rep_id = $${params.push(filter.repId)}`);
    if (filter.bookingId) where.push(`s.booking_id = $${params.push(filter.bookingId)}`);
    const rows = await this.db.query<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id LIMIT 50001`,
      params,
    );
    if (rows.length > 50_000) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'more than 50,000 schedules match: narrow the listing with a period, a payee or a booking');
    const [latest] = await this.db.query<{ period: string | null }>(`SELECT max(period) AS period FROM cost_periods`);
    return rows.map((r) => {
      const s = toSchedule(r);
      const places = this.units.of(s.currency);
      return {
        id: r.id,
        period: r.period,
        repId: r.rep_id,
        bookingId: r.booking_id,
        bookingVersionId: r.booking_version_id,
        runId: r.run_id,
        lineNo: Number(r.line_no),
        lineKind: r.line_kind,
        componentKey: r.component_key,
        currency: s.currency,
        treatment: r.treatment,
        cost: s.cost.toFixed(places),
        startPeriod: r.start_period,
        endPeriod: r.end_period,
        months: Number(r.months),
        monthly: s.monthly.toFixed(places),
        lastMonth: s.last.toFixed(places),
        basis: r.basis,
        reducesId: r.reduces_id,
        note: r.note,
        writtenOffIn: r.written_off_in,
        writeOff: r.write_off === null ? null : new Decimal(r.write_off).toFixed(places),
        remaining: latest.period ? remainingAfter(s, latest.period).toFixed(places) : s.cost.toFixed(places),
        remainingAfter: latest.period,
      };
    });
  }
}

interface PeriodTotals {
  /** Σ of the period's payout lines. */
  lines: Decimal;
  /** Σ of its balance lines (recoverable draws, balances carried forward, recoveries). */
  balanceLines: Decimal;
  /** Σ of its payouts. */
  payouts: Decimal;
}

function toSchedule(r: ScheduleRow): Schedule {
  return {
    ref: { id: r.id },
    repId: r.rep_id,
    bookingId: r.booking_id,
    currency: r.currency,
    treatment: r.treatment,
    cost: new Decimal(r.cost),
    period: r.period,
    startPeriod: r.start_period,
    months: Number(r.months),
    monthly: new Decimal(r.monthly),
    last: new Decimal(r.last_month),
    writtenOffIn: r.written_off_in,
    reduces: r.reduces_id === null ? null : { id: r.reduces_id },
  };
}

function emptyRollForward(currency: string): RollForward {
  return { currency, opening: ZERO, additions: ZERO, reductions: ZERO, amortisation: ZERO, writeOffs: ZERO, closing: ZERO, current: ZERO, nonCurrent: ZERO, scheduleBalances: ZERO, schedules: 0 };
}
