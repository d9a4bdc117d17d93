import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { calculatePeriods } from '../core/calculation/calculate-period';
import {
  AdjustmentFacts,
  BookingFacts,
  CalculationResult,
  PayeeResult,
  PlanVersionFacts,
  PriorRecord,
} from '../core/calculation/calculation-types';
import { addMonths, Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, WideDecimal, ZERO } from '../core/money/decimal';
import { describeLine } from '../core/explain/line-words';
import { combineResultHash, figuresHash, figuresOf, payeeHash } from '../core/calculation/result-hash';
import { PlanDocument } from '../core/plans/plan-types';

export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;
export const reader = (em: EntityManager): Query => (sql, params = []) => em.query(sql, params);

/** The inputs a run read, kept with the run so a period can be recalculated byte for byte. */
export interface InputSnapshot {
  reps: [string, string | null, string, string | null, string][];
  assignments: [string, string, string, string | null, string, string, string][];
  fx: [string, string, string, string][];
  plans: string[];
  adjustments: [string, string, string, string, string, string | null, string | null][];
}

/**
 * One unit of calculation work: consecutive periods for a set of payees. Everything it reads but the bookings and
 * the prior records comes from the runs' stored snapshots, so any process (the close itself, a worker on another
 * machine, verify) computes the same thing.
 */
export interface ShardJob {
  /** Pending runs of consecutive periods, ascending. */
  runs: { period: Period; runId: string }[];
  repIds: string[];
  /** Booking versions visible: id <= watermark and not superseded at or below it. */
  bookingWatermark: string | null;
  /** Explicit booking version ids (runs made before watermarks existed; verify only). */
  bookingVersionIds?: string[];
}

export interface ShardPeriodOutcome {
  period: Period;
  payees: number;
  totalPayout: string;
  payeeHashes: [string, string][];
  /** Figures-only hashes (verify of runs hashed with version 1), when asked for. */
  figureHashes?: [string, string][];
}

export { combineResultHash, payeeHash };

const INSERT_CHUNK = 1000;

/** Loads one shard's facts, runs the pure core over its periods, and writes (or only hashes) the results. */
@Injectable()
export class ShardRunner {
  private readonly logger = new Logger(ShardRunner.name);

  async run(em: EntityManager, job: ShardJob, opts: { persist: boolean; figures?: boolean } = { persist: true }): Promise<ShardPeriodOutcome[]> {
    const started = Date.now();
    const q = reader(em);
    const periods = job.runs.map((r) => r.period);
    const last = job.runs[job.runs.length - 1];
    // Reps, assignments, FX and plans from the last period's snapshot (they cover every earlier one); adjustments per period.
    const [lastRow] = await q<{ snapshot: InputSnapshot }>(`SELECT snapshot FROM calculation_runs WHERE id = $1`, [last.runId]);
    if (!lastRow) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${last.runId} not found`);
    const lastSnap = lastRow.snapshot;
    const adjustmentRows = await q<{ id: string; adjustments: InputSnapshot['adjustments'] }>(
      `SELECT id::text AS id, snapshot->'adjustments' AS adjustments FROM calculation_runs WHERE id = ANY($1::bigint[])`,
      [job.runs.map((r) => r.runId)],
    );
    const adjustmentsOf = new Map(adjustmentRows.map((r) => [r.id, r.adjustments]));
    const reps = lastSnap.reps.map(([repId, managerId, hireDate, terminationDate, currency]) => ({ repId, managerId, hireDate, terminationDate, currency }));
    const shard = new Set(job.repIds);
    // A manager's override reads the bookings credited to their direct reports.
    const readers = new Set(job.repIds);
    for (const r of reps) if (r.managerId && shard.has(r.managerId)) readers.add(r.repId);
    const adjustments = new Map<Period, AdjustmentFacts[]>();
    for (const r of job.runs) {
      adjustments.set(
        r.period,
        (adjustmentsOf.get(r.runId) ?? [])
          .filter(([, repId]) => shard.has(repId))
          .map(([id, repId, amount, reasonCode, note, originPeriod, originRef]) => ({ id, repId, amount: new Decimal(amount), reasonCode, note, originPeriod, originRef })),
      );
    }
    const input = {
      periods,
      reps,
      assignments: lastSnap.assignments.map(([repId, planId, startDate, endDate, q, v, b]) => ({
        repId,
        planId,
        startDate,
        endDate,
        annualQuota: new Decimal(q),
        targetVariable: new Decimal(v),
        baseSalary: new Decimal(b),
      })),
      bookings: await loadBookings(q, [...readers], periodEnd(last.period), job),
      fxRates: lastSnap.fx.map(([date, from, to, rate]) => ({ date, from, to, rate: new Decimal(rate) })),
      plans: await loadPlans(q, lastSnap.plans),
      prior: await loadPrior(q, periods[0], job.repIds),
      adjustments,
      onlyRepIds: shard,
    };
    const loaded = Date.now();
    const out: ShardPeriodOutcome[] = [];
    let k = 0;
    let writeMs = 0;
    for await (const result of calculatePeriods(input)) {
      const run = job.runs[k++];
      const hashes = result.payees.map((p): [string, string] => [p.repId, payeeHash(p)]);
      const w = Date.now();
      if (opts.persist) await persistPayees(em, run.runId, result, hashes);
      writeMs += Date.now() - w;
      out.push({
        period: run.period,
        payees: result.payees.length,
        totalPayout: result.payees.reduce((s, p) => s.plus(p.payout), ZERO).toFixed(2),
        payeeHashes: hashes,
        ...(opts.figures ? { figureHashes: result.payees.map((p): [string, string] => [p.repId, figuresHash(figuresOf(p))]) } : {}),
      });
    }
    this.logger.debug(
      `shard ${job.repIds[0]}..${job.repIds[job.repIds.length - 1]}: ${input.bookings.length} bookings, load ${loaded - started} ms, calculate ${Date.now() - loaded - writeMs} ms, write ${writeMs} ms`,
    );
    return out;
  }
}

export async function loadPlans(q: Query, hashes: string[]): Promise<PlanVersionFacts[]> {
  const rows = await q<{ plan_id: string; version: number; content_hash: string; document: PlanDocument }>(
    `SELECT plan_id, version, content_hash, document FROM plan_versions WHERE content_hash = ANY($1::text[])`,
    [hashes],
  );
  const byHash = new Map(rows.map((r) => [r.content_hash.trim(), r]));
  return hashes.map((hash) => {
    const p = byHash.get(hash);
    if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `plan version ${hash} used by the run is missing`);
    return { planId: p.plan_id, version: Number(p.version), hash, document: p.document };
  });
}

/** Bookings (every credit of each) credited to any of `repIds`, as visible at the job's watermark, booked by `end`. */
export async function loadBookings(q: Query, repIds: string[] | null, end: string, job: Pick<ShardJob, 'bookingWatermark' | 'bookingVersionIds'>): Promise<BookingFacts[]> {
  const visible =
    job.bookingWatermark !== null
      ? `v.id <= $3::bigint AND (v.superseded_by IS NULL OR v.superseded_by > $3::bigint)`
      : `v.id = ANY($3::bigint[])`;
  const rows = await q<{
    booking_id: string;
    version: number;
    customer_id: string;
    type: string;
    product: string;
    amount: string;
    currency: string;
    term_months: number;
    booked_date: string;
    cancelled_date: string | null;
    rep_id: string;
    split_pct: string;
  }>(
    `SELECT v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency,
            v.term_months, v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, c.rep_id, c.split_pct::text AS split_pct
       FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
      WHERE ${visible} AND v.booked_date <= $2::date
        AND ($1::text[] IS NULL OR v.id IN (SELECT booking_version_id FROM booking_credits WHERE rep_id = ANY($1::text[])))
      ORDER BY v.booking_id, c.rep_id`,
    [repIds, end, job.bookingWatermark !== null ? job.bookingWatermark : `{${(job.bookingVersionIds ?? []).join(',')}}`],
  );
  const out: BookingFacts[] = [];
  let b: BookingFacts | undefined;
  for (const r of rows) {
    if (!b || b.bookingId !== r.booking_id) {
      b = {
        bookingId: r.booking_id,
        version: Number(r.version),
        customerId: r.customer_id,
        type: r.type,
        product: r.product,
        amount: new Decimal(r.amount),
        currency: r.currency,
        termMonths: Number(r.term_months),
        bookedDate: r.booked_date,
        cancelledDate: r.cancelled_date,
        credits: [],
      };
      out.push(b);
    }
    b.credits.push({ repId: r.rep_id, splitPct: new Decimal(r.split_pct) });
  }
  return out;
}

/**
 * What the current runs of earlier periods recorded, per payee (optionally only some payees). Recorded precise
 * amounts are summed exactly per reference (rounding lines apart) and kept exact (WideDecimal); the core's chained
 * `priorAfter` keeps the same exact sums, so a period reads the same prior either way.
 */
export async function loadPrior(q: Query, period: Period, repIds: string[] | null = null): Promise<Map<string, PriorRecord>> {
  const prior = new Map<string, PriorRecord>();
  const get = (repId: string) => {
    let p = prior.get(repId);
    if (!p) prior.set(repId, (p = { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() }));
    return p;
  };
  const earlier = `SELECT id FROM calculation_runs WHERE superseded_by IS NULL AND period < $1`;
  const earned = await q<{ rep_id: string; earned: string }>(
    `SELECT p.rep_id, sum(p.earned)::text AS earned FROM payouts p
      WHERE p.run_id IN (${earlier}) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) GROUP BY p.rep_id ORDER BY p.rep_id`,
    [period, repIds],
  );
  for (const e of earned) get(e.rep_id).earnedBefore = new Decimal(e.earned);
  const balances = await q<{ rep_id: string; balance: string }>(
    `SELECT p.rep_id, p.balance::text AS balance FROM payouts p
      WHERE p.run_id IN (SELECT id FROM calculation_runs WHERE superseded_by IS NULL AND period = $1) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[]))
      ORDER BY p.rep_id`,
    [addMonths(period, -1), repIds],
  );
  for (const b of balances) get(b.rep_id).balanceBefore = new Decimal(b.balance);
  const lines = await q<{ rep_id: string; component_key: string; ref: string | null; rounding: boolean; amount: string; precise: string }>(
    `SELECT l.rep_id, l.component_key, l.ref, (l.kind = 'rounding') AS rounding, sum(l.amount)::text AS amount, sum(l.amount_precise)::text AS precise
       FROM run_lines l
      WHERE l.run_id IN (${earlier}) AND l.component_key IS NOT NULL AND ($2::text[] IS NULL OR l.rep_id = ANY($2::text[]))
      GROUP BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')
      ORDER BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')`,
    [period, repIds],
  );
  for (const l of lines) {
    const p = get(l.rep_id);
    let k = p.keys.get(l.component_key);
    if (!k) p.keys.set(l.component_key, (k = { rounded: ZERO, byRef: new Map() }));
    k.rounded = k.rounded.plus(l.amount);
    if (!l.rounding && l.ref) k.byRef.set(l.ref, new WideDecimal(l.precise));
  }
  return prior;
}

async function persistPayees(em: EntityManager, runId: string, result: CalculationResult, hashes: [string, string][]): Promise<void> {
  const payees = result.payees;
  for (let i = 0; i < payees.length; i += INSERT_CHUNK) {
    const chunk = payees.slice(i, i + INSERT_CHUNK);
    const cols: unknown[][] = Array.from({ length: 14 }, () => []);
    chunk.forEach((p, j) => {
      const row = [
        runId,
        p.repId,
        p.period,
        p.currency,
        p.earnedToDate.toFixed(2),
        p.earnedBefore.toFixed(2),
        p.earned.toFixed(2),
        p.balanceBefore.toFixed(2),
        p.draw.toFixed(2),
        p.payout.toFixed(2),
        p.balance.toFixed(2),
        JSON.stringify(p.plans),
        JSON.stringify(p.windows),
        hashes[i + j][1],
      ];
      row.forEach((v, c) => cols[c].push(v));
    });
    await em.query(
      `INSERT INTO payouts (run_id, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows, payee_hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::char(7)[], $4::char(3)[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[],
                            $10::numeric[], $11::numeric[], $12::jsonb[], $13::jsonb[], $14::char(64)[])`,
      cols,
    );
  }
  const cols: unknown[][] = Array.from({ length: 14 }, () => []);
  const flush = async () => {
    if (!cols[0].length) return;
    await em.query(
      `INSERT INTO payout_lines (run_id, rep_id, line_no, period, kind, component_key, ref, booking_id, origin_period, amount, amount_precise, description, trace, cause)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::char(7)[], $5::text[], $6::text[], $7::text[], $8::text[], $9::char(7)[],
                            $10::numeric[], $11::numeric[], $12::text[], $13::jsonb[], $14::text[])`,
      cols,
    );
    for (const c of cols) c.length = 0;
  };
  for (const p of payees) {
    let n = 0;
    for (const l of p.lines) {
      // The description is written once, in the words of the day (explain/line-words.ts); the hash never covers it.
      const row = [runId, p.repId, ++n, p.period, l.kind, l.componentKey, l.ref, l.bookingId, l.originPeriod, l.amount.toFixed(2), l.amountPrecise.toFixed(), describeLine(l, p.currency), JSON.stringify(l.trace), l.cause];
      row.forEach((v, c) => cols[c].push(v));
      if (cols[0].length >= INSERT_CHUNK * 5) await flush();
    }
  }
  await flush();
}
