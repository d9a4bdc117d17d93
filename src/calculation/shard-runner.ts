import { readersOf, teamSources } from '../core/calculation/teams';
import { CreditSource } from '../core/plans/plan-types';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { combineResultHash, payeeHash } from '../core/calculation/result-hash';
import { addMonths, Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { PlanDocument } from '../core/plans/plan-types';
import { ComputePool } from './compute-pool';
import { copyInto } from '../infra/copy-into';
import { isEmbedded } from '../infra/database';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { ComputedPeriod, LINE_COLUMNS, PAYOUT_COLUMNS, PriorRows, ShardInput } from './shard-compute';

export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;
export const reader = (em: EntityManager): Query => (sql, params = []) => em.query(sql, params);

/** The inputs a run read, kept with the run so a period can be recalculated byte for byte. */
export interface InputSnapshot {
  reps: ShardInput['reps'];
  assignments: ShardInput['assignments'];
  fx: ShardInput['fx'];
  /** Plan version hashes. */
  plans: string[];
  /** [id, repId, amount, reasonCode, note, originPeriod, originRef] */
  adjustments: ShardInput['adjustments'][number][1];
  /** CURRENCY_MINOR_UNITS when the run was made (absent in runs from before minor units were per currency: ISO). */
  minorUnits?: ShardInput['minorUnits'];
  /** Payments, activities and objective results the run read (absent when there were none: older runs read as before). */
  payments?: NonNullable<ShardInput['payments']>;
  activities?: NonNullable<ShardInput['activities']>;
  objectives?: NonNullable<ShardInput['objectives']>;
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

/** What a shard's period came to, without the rows it wrote. */
export type ShardPeriodOutcome = Omit<ComputedPeriod, 'payoutCopy' | 'lineCopy'>;

export { combineResultHash, payeeHash };

/**
 * Runs shards: reads a shard's facts (this file), computes it on the compute pool (a worker thread, or the main
 * thread with CALC_THREADS=0), and writes its rows into the pending runs. Several shards are pipelined: the next
 * shard is read and the previous one written while a thread computes.
 */
@Injectable()
export class ShardRunner {
  private readonly logger = new Logger(ShardRunner.name);

  private readonly embedded: boolean;

  constructor(
    private readonly pool: ComputePool,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.embedded = isEmbedded(cfg);
  }

  /** One shard: read, compute (on this thread: there is nothing to overlap with), write (or only hash, for verify). */
  async run(em: EntityManager, job: ShardJob, opts: { persist: boolean; figures?: boolean } = { persist: true }): Promise<ShardPeriodOutcome[]> {
    const input = await this.load(em, job);
    const computed = await this.pool.compute(input, { runIds: opts.persist ? job.runs.map((r) => r.runId) : undefined, figures: opts.figures }, true);
    if (opts.persist) await this.persist(em, job, computed);
    return computed.map(outcome);
  }

  /** Every shard of a calculation, pipelined: at most (threads + 1) shards are read ahead of the one being written. */
  async runAll(em: EntityManager, jobs: ShardJob[]): Promise<void> {
    const started = Date.now();
    const ahead: { job: ShardJob; computed: Promise<ComputedPeriod[]> }[] = [];
    let loadMs = 0;
    let writeMs = 0;
    const writeOldest = async () => {
      const { job, computed } = ahead.shift() as (typeof ahead)[number];
      const rows = await computed;
      const w = Date.now();
      await this.persist(em, job, rows);
      writeMs += Date.now() - w;
    };
    for (const job of jobs) {
      const l = Date.now();
      const input = await this.load(em, job);
      loadMs += Date.now() - l;
      const computed = this.pool.compute(input, { runIds: job.runs.map((r) => r.runId) }, jobs.length === 1);
      computed.catch(() => undefined); // awaited in order below; a failure surfaces there
      ahead.push({ job, computed });
      while (ahead.length > this.pool.size) await writeOldest();
    }
    while (ahead.length) await writeOldest();
    this.logger.debug(`${jobs.length} shards in ${Date.now() - started} ms (read ${loadMs} ms, write ${writeMs} ms, ${this.pool.size} calculation threads)`);
  }

  /** Reads one shard's facts: everything but the bookings and prior records from the runs' stored snapshots. */
  async load(em: EntityManager, job: ShardJob): Promise<ShardInput> {
    const q = reader(em);
    const last = job.runs[job.runs.length - 1];
    const [lastRow] = await q<{ snapshot: InputSnapshot }>(`SELECT snapshot FROM calculation_runs WHERE id = $1`, [last.runId]);
    if (!lastRow) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${last.runId} not found`);
    const lastSnap = lastRow.snapshot;
    const adjustmentRows = await q<{ id: string; adjustments: InputSnapshot['adjustments'] }>(
      `SELECT id::text AS id, snapshot->'adjustments' AS adjustments FROM calculation_runs WHERE id = ANY($1::bigint[])`,
      [job.runs.map((r) => r.runId)],
    );
    const adjustmentsOf = new Map(adjustmentRows.map((r) => [r.id, r.adjustments]));
    return shardInputFrom(q, {
      periods: job.runs.map((r) => r.period),
      snapshot: lastSnap,
      adjustments: job.runs.map((r) => adjustmentsOf.get(r.runId) ?? []),
      repIds: job.repIds,
      bookings: job,
    });
  }

  private async persist(em: EntityManager, job: ShardJob, computed: ComputedPeriod[]): Promise<void> {
    computed.forEach((c, k) => {
      if (c.period !== job.runs[k].period) throw new CommissionError(CommissionErrorCode.CALCULATION_FAILED, `shard computed ${c.period} for run of ${job.runs[k].period}`);
    });
    for (const c of computed) {
      // payouts first: every line references its payout
      await copyInto(em, this.embedded, 'payouts', PAYOUT_COLUMNS, c.payoutCopy);
      await copyInto(em, this.embedded, 'payout_lines', LINE_COLUMNS, c.lineCopy);
    }
  }
}

function outcome(c: ComputedPeriod): ShardPeriodOutcome {
  return { period: c.period, payees: c.payees, payeeHashes: c.payeeHashes, ...(c.figureHashes ? { figureHashes: c.figureHashes } : {}) };
}

/** What a shard's input is cut from: the facts of its last period's snapshot, each period's adjustments, its payees. */
export interface ShardInputSpec {
  periods: Period[];
  /** The snapshot of the last period (reps, assignments, FX and plan mechanics' facts to its end). */
  snapshot: InputSnapshot;
  /** Each period's adjustments, in the order of `periods`. */
  adjustments: InputSnapshot['adjustments'][];
  repIds: string[];
  /** Which booking versions are visible. */
  bookings: Pick<ShardJob, 'bookingWatermark' | 'bookingVersionIds'>;
}

/**
 * Reads one shard's bookings and prior records and cuts the rest of its input from the snapshot: the calculation
 * (from the pending runs' snapshots) and the estimator (from snapshots it never stores) both start here.
 */
export async function shardInputFrom(q: Query, spec: ShardInputSpec): Promise<ShardInput> {
  const { periods, snapshot, repIds } = spec;
  const last = periods[periods.length - 1];
  const shard = new Set(repIds);
  // A manager's override reads the bookings credited to their direct reports; plans may read the reporting tree's
  // or the team's (core/calculation/teams.ts says whose).
  const plans = await loadPlans(q, snapshot.plans);
  const sources = new Set<CreditSource>([...teamSources(plans.map((p) => p.document)), 'directReports']);
  const readers = readersOf(repIds, sources, { managerOf: new Map(snapshot.reps.map(([repId, managerId]) => [repId, managerId])) });
  return {
    periods,
    // only the payees the shard reads: every shard indexing every payee would make a calculation quadratic
    reps: snapshot.reps.filter(([repId]) => readers.has(repId)),
    assignments: snapshot.assignments.filter(([repId]) => readers.has(repId)),
    fx: snapshot.fx,
    plans,
    ...(await bookingsAndRenewed(q, [...readers], periodEnd(last), spec.bookings, plans)),
    prior: await loadPrior(q, periods[0], repIds),
    adjustments: periods.map((p, k) => [p, (spec.adjustments[k] ?? []).filter(([, repId]) => shard.has(repId))]),
    repIds,
    minorUnits: snapshot.minorUnits ?? [],
    // the shard's readers' activities and results; payments are by booking, and few: all of them
    ...(snapshot.payments ? { payments: snapshot.payments } : {}),
    ...(snapshot.activities ? { activities: snapshot.activities.filter(([, repId]) => readers.has(repId)) } : {}),
    ...(snapshot.objectives ? { objectives: snapshot.objectives.filter(([repId]) => readers.has(repId)) } : {}),
  };
}

export async function loadPlans(q: Query, hashes: string[]): Promise<PlanVersionFacts[]> {
  const rows = await q<{ plan_id: string; version: number; content_hash: string; document: PlanDocument }>(
    `SELECT plan_id, version, content_hash, document FROM plan_versions WHERE content_hash = ANY($1::text[])`,
    [hashes],
  );
  const byHash = new Map(rows.map((r) => [r.content_hash, r]));
  return hashes.map((hash) => {
    const p = byHash.get(hash);
    if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `plan version ${hash} used by the run is missing`);
    return { planId: p.plan_id, version: Number(p.version), hash, document: p.document };
  });
}

/** Bookings (every credit of each) credited to any of `repIds`, as visible at the job's watermark, booked by `end`: one row per credit, by booking id. */
/** The shard's bookings, and (when a plan credits renewals on their uplift) the renewed contracts not among them. */
async function bookingsAndRenewed(q: Query, readers: string[], end: string, job: Pick<ShardJob, 'bookingWatermark' | 'bookingVersionIds'>, plans: PlanVersionFacts[]): Promise<Pick<ShardInput, 'bookings' | 'renewed'>> {
  const bookings = await loadBookings(q, readers, end, job);
  if (!plans.some((p) => p.document.crediting.rules.some((r) => r.uplift))) return { bookings };
  const have = new Set(bookings.map((b) => b[0]));
  const wanted = [...new Set(bookings.map((b) => b[13]).filter((id): id is string => !!id && !have.has(id)))];
  if (!wanted.length) return { bookings };
  const visible = job.bookingWatermark !== null ? `v.id <= $2::bigint AND (v.superseded_by IS NULL OR v.superseded_by > $2::bigint)` : `v.id = ANY($2::bigint[])`;
  const rows = await q<{ booking_id: string; version: number; customer_id: string; type: string; product: string; amount: string; currency: string; term_months: number; booked_date: string; cancelled_date: string | null; tax_rate: string | null }>(
    `SELECT v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency, v.term_months,
            v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, v.tax_rate::text AS tax_rate
       FROM booking_versions v WHERE v.booking_id = ANY($1::text[]) AND ${visible} ORDER BY v.booking_id`,
    [wanted, job.bookingWatermark !== null ? job.bookingWatermark : `{${(job.bookingVersionIds ?? []).join(',')}}`],
  );
  return {
    bookings,
    renewed: rows.map((r) => [r.booking_id, Number(r.version), r.customer_id, r.type, r.product, r.amount, r.currency, Number(r.term_months), r.booked_date, r.cancelled_date, r.tax_rate]),
  };
}

export async function loadBookings(q: Query, repIds: string[] | null, end: string, job: Pick<ShardJob, 'bookingWatermark' | 'bookingVersionIds'>): Promise<ShardInput['bookings']> {
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
    split_type: string;
    renews_booking_id: string | null;
    tax_rate: string | null;
  }>(
    `SELECT v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency,
            v.term_months, v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, c.rep_id, c.split_pct::text AS split_pct,
            c.split_type, v.renews_booking_id, v.tax_rate::text AS tax_rate
       FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
      WHERE ${visible} AND v.booked_date <= $2::date
        AND ($1::text[] IS NULL OR v.id IN (SELECT booking_version_id FROM booking_credits WHERE rep_id = ANY($1::text[])))
      ORDER BY v.booking_id, c.rep_id`,
    [repIds, end, job.bookingWatermark !== null ? job.bookingWatermark : `{${(job.bookingVersionIds ?? []).join(',')}}`],
  );
  return rows.map((r) => [
    r.booking_id,
    Number(r.version),
    r.customer_id,
    r.type,
    r.product,
    r.amount,
    r.currency,
    Number(r.term_months),
    r.booked_date,
    r.cancelled_date,
    r.rep_id,
    r.split_pct,
    r.split_type,
    r.renews_booking_id,
    r.tax_rate,
  ]);
}

/**
 * What the current runs of earlier periods recorded, per payee (optionally only some payees): Σ earned, the last
 * balance, and per window and reference the sums of rounded and precise amounts (rounding lines apart). The core
 * (shard-compute.ts buildPrior, and its chained `priorAfter`) turns them into exact prior records.
 */
export async function loadPrior(q: Query, period: Period, repIds: string[] | null = null): Promise<PriorRows> {
  const earlier = `SELECT id FROM current_runs WHERE period < $1`;
  const earned = await q<{ rep_id: string; earned: string }>(
    `SELECT p.rep_id, sum(p.earned)::text AS earned FROM payouts p
      WHERE p.run_id IN (${earlier}) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) GROUP BY p.rep_id ORDER BY p.rep_id`,
    [period, repIds],
  );
  const balances = await q<{ rep_id: string; balance: string }>(
    `SELECT p.rep_id, p.balance::text AS balance FROM payouts p
      WHERE p.run_id IN (SELECT id FROM current_runs WHERE period = $1) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[]))
      ORDER BY p.rep_id`,
    [addMonths(period, -1), repIds],
  );
  const lines = await q<{ rep_id: string; component_key: string; ref: string | null; rounding: boolean; amount: string; precise: string }>(
    `SELECT l.rep_id, l.component_key, l.ref, (l.kind = 'rounding') AS rounding, sum(l.amount)::text AS amount, sum(l.amount_precise)::text AS precise
       FROM run_lines l
      WHERE l.run_id IN (${earlier}) AND l.component_key IS NOT NULL AND ($2::text[] IS NULL OR l.rep_id = ANY($2::text[]))
      GROUP BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')
      ORDER BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')`,
    [period, repIds],
  );
  return {
    earned: earned.map((e) => [e.rep_id, e.earned]),
    balances: balances.map((b) => [b.rep_id, b.balance]),
    lines: lines.map((l) => [l.rep_id, l.component_key, l.ref, Boolean(l.rounding), l.amount, l.precise]),
  };
}
