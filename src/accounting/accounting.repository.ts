import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BookingVisibility, visibleAt } from '../calculation/calc-inputs.repository';
import { AccountingPolicy } from '../core/accounting/accounting-policy';
import { BookingTerms, CostLine, NewSchedule, Schedule, WriteOff, endPeriod } from '../core/accounting/cost-schedules';
import { StoredWriteOff } from '../core/accounting/roll-forward';
import { Period, periodEnd } from '../core/calendar/dates';
import { Decimal } from '../core/money/decimal';
import { Db, Query } from '../infra/db.service';

/** A schedule as stored, with what the listing shows beside the figures the core needs. */
export interface StoredSchedule extends Schedule {
  id: string;
  runId: string;
  lineNo: number;
  lineKind: string;
  componentKey: string | null;
  bookingVersionId: string;
  endPeriod: Period;
  basis: string;
  note: string;
  writeOff: Decimal | null;
}

/** Σ of a closed run's payout lines, of its balance lines and of its payouts, in one currency. */
export interface PeriodTotals {
  lines: Decimal;
  /** Recoverable draws, balances carried forward and their recoveries (what `isBalanceLine` names). */
  balanceLines: Decimal;
  payouts: Decimal;
}

export interface ProcessedPeriod {
  runId: string;
  policyHash: string;
  policy: AccountingPolicy;
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

function toSchedule(r: ScheduleRow): StoredSchedule {
  return {
    id: r.id,
    ref: { id: r.id },
    repId: r.rep_id,
    bookingId: r.booking_id,
    currency: r.currency,
    treatment: r.treatment,
    cost: new Decimal(r.cost),
    period: r.period,
    startPeriod: r.start_period,
    endPeriod: r.end_period,
    months: Number(r.months),
    monthly: new Decimal(r.monthly),
    last: new Decimal(r.last_month),
    writtenOffIn: r.written_off_in,
    writeOff: r.write_off === null ? null : new Decimal(r.write_off),
    reduces: r.reduces_id === null ? null : { id: r.reduces_id },
    runId: r.run_id,
    lineNo: Number(r.line_no),
    lineKind: r.line_kind,
    componentKey: r.component_key,
    bookingVersionId: r.booking_version_id,
    basis: r.basis,
    note: r.note,
  };
}

/** The accounting's tables (cost_periods, cost_schedules, cost_write_offs) and what it reads of runs and bookings. */
@Injectable()
export class AccountingRepository {
  constructor(private readonly db: Db) {}

  /** Closed periods up to `upTo` whose accounting has not run, oldest first, with their current run. */
  async closedWithoutAccounting(em: EntityManager, upTo: Period): Promise<{ period: Period; runId: string }[]> {
    const rows = await this.db.reader(em)<{ period: string; run_id: string }>(
      `SELECT p.period, r.id::text AS run_id FROM periods p JOIN current_runs r ON r.period = p.period
        WHERE p.status = 'closed' AND p.period <= $1 AND NOT EXISTS (SELECT 1 FROM cost_periods c WHERE c.period = p.period) ORDER BY p.period`,
      [upTo],
    );
    return rows.map((r) => ({ period: r.period, runId: r.run_id }));
  }

  /** The non-zero lines of a run, in the payee's currency (a draw line says whether it is recoverable). */
  async lines(em: EntityManager, runId: string): Promise<CostLine[]> {
    const rows = await this.db.reader(em)<{ rep_id: string; line_no: number; kind: string; component_key: string | null; booking_id: string | null; currency: string; amount: string; draw_kind: string | null }>(
      `SELECT l.rep_id, l.line_no, l.kind, l.component_key, l.booking_id, po.currency, l.amount::text AS amount,
              CASE WHEN l.kind = 'draw' THEN l.trace->>'drawKind' END AS draw_kind
         FROM run_lines l JOIN payouts po ON po.run_id = l.run_id AND po.rep_id = l.rep_id
        WHERE l.run_id = $1 AND l.amount <> 0`,
      [runId],
    );
    return rows.map((l) => ({
      runId,
      repId: l.rep_id,
      lineNo: Number(l.line_no),
      kind: l.kind,
      componentKey: l.component_key,
      bookingId: l.booking_id,
      currency: l.currency,
      amount: new Decimal(l.amount),
      ...(l.draw_kind ? { drawKind: l.draw_kind } : {}),
    }));
  }

  /**
   * The schedules a close can act on: those that amortise in `p` or later, were not written off, and belong to a
   * booking the close touches (one of `bookingIds`, the bookings of its negative lines) or to one cancelled by the end
   * of `p` as the run saw it. The others only amortise, which needs no row: a year's close reads a few, not all.
   */
  async openAt(em: EntityManager, p: Period, touched: { runId: string; bookingIds: string[] }): Promise<StoredSchedule[]> {
    const q = this.db.reader(em);
    const visible = visibleAt(await this.visibilityOf(q, touched.runId), 4);
    const rows = await q<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id
        WHERE s.end_period >= $1 AND w.schedule_id IS NULL
          AND (s.booking_id = ANY($2::text[])
               OR EXISTS (SELECT 1 FROM booking_versions v WHERE v.booking_id = s.booking_id AND v.cancelled_date <= $3::date AND ${visible.where}))
        ORDER BY s.id`,
      [p, touched.bookingIds, periodEnd(p), visible.param],
    );
    return rows.map(toSchedule);
  }

  /** The bookings as a run saw them: the versions at or below its watermark (or its recorded version ids). */
  async bookingsSeenBy(em: EntityManager, runId: string, bookingIds: string[]): Promise<Map<string, BookingTerms>> {
    const q = this.db.reader(em);
    const out = new Map<string, BookingTerms>();
    if (!bookingIds.length) return out;
    const visible = visibleAt(await this.visibilityOf(q, runId), 2);
    const rows = await q<{ id: string; booking_id: string; type: BookingTerms['type']; product: string; term_months: number; cancelled_date: string | null }>(
      `SELECT v.id::text AS id, v.booking_id, v.type, v.product, v.term_months, v.cancelled_date::text AS cancelled_date
         FROM booking_versions v WHERE v.booking_id = ANY($1::text[]) AND ${visible.where}`,
      [bookingIds, visible.param],
    );
    for (const r of rows) {
      out.set(r.booking_id, { bookingId: r.booking_id, versionId: r.id, type: r.type, product: r.product, termMonths: Number(r.term_months), cancelledDate: r.cancelled_date });
    }
    return out;
  }

  /** Which booking versions a run saw: those at or below its watermark, or (runs from before watermarks) its recorded ids. */
  private async visibilityOf(q: Query, runId: string): Promise<BookingVisibility> {
    const [run] = await q<{ watermark: string | null; ids: string[] | null }>(
      `SELECT booking_watermark::text AS watermark, booking_version_ids::text[] AS ids FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    return { bookingWatermark: run.watermark, bookingVersionIds: run.ids ?? [] };
  }

  /** Component types by "plan@vN:component", from the stored plan versions. */
  async componentTypes(em: EntityManager): Promise<Map<string, string>> {
    const rows = await this.db.reader(em)<{ plan_id: string; version: number; document: { components?: { id: string; type: string }[] } | string }>(
      `SELECT plan_id, version, document FROM plan_versions`,
    );
    const out = new Map<string, string>();
    for (const r of rows) {
      const doc = typeof r.document === 'string' ? JSON.parse(r.document) : r.document;
      for (const c of doc.components ?? []) out.set(`${r.plan_id}@v${r.version}:${c.id}`, c.type);
    }
    return out;
  }

  /**
   * Stores one close's accounting: the period with its policy, the new schedules (ids taken first, so a reduction can
   * name a schedule of the same close) and the write-offs.
   */
  async record(
    em: EntityManager,
    p: Period,
    runId: string,
    policy: { doc: AccountingPolicy; hash: string },
    actor: string,
    schedules: NewSchedule[],
    writeOffs: WriteOff[],
  ): Promise<void> {
    const q = this.db.reader(em);
    await q(`INSERT INTO cost_periods (period, run_id, policy, policy_hash, actor) VALUES ($1, $2, $3::jsonb, $4, $5)`, [p, runId, JSON.stringify(policy.doc), policy.hash, actor]);
    const ids: string[] = [];
    for (let i = 0; i < schedules.length; i += 10_000) {
      const n = Math.min(10_000, schedules.length - i);
      const rows = await q<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('cost_schedules', 'id'))::text AS id FROM generate_series(1, $1::int)`, [n]);
      ids.push(...rows.map((r) => r.id));
    }
    const idOf = (r: Schedule['ref']): string => ('id' in r ? r.id : ids[r.fresh]);
    for (let i = 0; i < schedules.length; i += 2_000) {
      const chunk = schedules.slice(i, i + 2_000).map((s) => ({
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
    for (let i = 0; i < writeOffs.length; i += 2_000) {
      const chunk = writeOffs.slice(i, i + 2_000).map((w) => ({ schedule_id: idOf(w.schedule), period: p, amount: w.amount.toFixed(), cancelled_date: w.cancelledDate }));
      await q(
        `INSERT INTO cost_write_offs (schedule_id, period, amount, cancelled_date)
         SELECT schedule_id, period, amount, cancelled_date FROM jsonb_to_recordset($1::jsonb) AS x(schedule_id bigint, period text, amount numeric, cancelled_date date)`,
        [JSON.stringify(chunk)],
      );
    }
  }

  /** The accounting of a processed period: its run and the policy applied; null when the accounting has not run. */
  async processed(p: Period): Promise<ProcessedPeriod | null> {
    const [row] = await this.db.query<{ run_id: string; policy_hash: string; policy: AccountingPolicy | string }>(
      `SELECT run_id::text AS run_id, policy_hash, policy FROM cost_periods WHERE period = $1`,
      [p],
    );
    if (!row) return null;
    return { runId: row.run_id, policyHash: row.policy_hash, policy: typeof row.policy === 'string' ? (JSON.parse(row.policy) as AccountingPolicy) : row.policy };
  }

  /** The latest period whose accounting has run. */
  async latestProcessed(): Promise<Period | null> {
    const [row] = await this.db.query<{ period: string | null }>(`SELECT max(period) AS period FROM cost_periods`);
    return row?.period ?? null;
  }

  /** The lifecycle status of a period (open when it has none). */
  async periodStatus(p: Period): Promise<string> {
    const [row] = await this.db.query<{ status: string }>(`SELECT status FROM periods WHERE period = $1`, [p]);
    return row?.status ?? 'open';
  }

  /** Schedules produced up to `p` that amortise in `p` or later, with the write-offs made up to `p` (as of `p`). */
  async asOf(p: Period): Promise<StoredSchedule[]> {
    const rows = await this.db.query<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id AND w.period <= $1
        WHERE s.period <= $1 AND s.end_period >= $1`,
      [p],
    );
    return rows.map(toSchedule);
  }

  async writeOffsIn(p: Period): Promise<StoredWriteOff[]> {
    const rows = await this.db.query<{ schedule_id: string; amount: string }>(`SELECT schedule_id::text AS schedule_id, amount::text AS amount FROM cost_write_offs WHERE period = $1`, [p]);
    return rows.map((w) => ({ scheduleId: w.schedule_id, period: p, amount: new Decimal(w.amount) }));
  }

  /** Σ of a run's lines, balance lines and payouts per currency. */
  async totals(runId: string): Promise<Map<string, PeriodTotals>> {
    const out = new Map<string, PeriodTotals>();
    const of = (c: string) => {
      let t = out.get(c);
      if (!t) out.set(c, (t = { lines: new Decimal(0), balanceLines: new Decimal(0), payouts: new Decimal(0) }));
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
    for (const r of lines) Object.assign(of(r.currency), { lines: new Decimal(r.total), balanceLines: new Decimal(r.balance) });
    for (const r of payouts) of(r.currency).payouts = new Decimal(r.total);
    return out;
  }

  /** Schedules by the close that produced them, payee and booking; at most `limit`. */
  async list(filter: { period?: Period; repId?: string; bookingId?: string }, limit: number): Promise<StoredSchedule[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.period) where.push(`s.period = $${params.push(filter.period)}`);
    if (filter.repId) where.push(`s.rep_id = $${params.push(filter.repId)}`);
    if (filter.bookingId) where.push(`s.booking_id = $${params.push(filter.bookingId)}`);
    const rows = await this.db.query<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM cost_schedules s LEFT JOIN cost_write_offs w ON w.schedule_id = s.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map(toSchedule);
  }
}
