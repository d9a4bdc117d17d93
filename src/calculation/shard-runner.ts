import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { combineResultHash, payeeHash } from '../core/calculation/result-hash';
import { readersOf, teamSources } from '../core/calculation/teams';
import { Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { CreditSource } from '../core/plans/plan-types';
import { BookingVisibility, CalcInputsRepository, Query, reader } from './calc-inputs.repository';
import { ComputePool } from './compute-pool';
import { PayoutsRepository } from './payouts.repository';
import { InputSnapshot } from './input-snapshot';
import { RunsRepository } from './runs.repository';
import { ComputedPeriod, ShardInput } from './shard-compute';

/**
 * One unit of calculation work: consecutive periods for a set of payees. Everything it reads but the bookings and
 * the prior records comes from the runs' stored snapshots, so any process (the close itself, a worker on another
 * machine, verify) computes the same thing.
 */
export interface ShardJob extends BookingVisibility {
  /** Pending runs of consecutive periods, ascending. */
  runs: { period: Period; runId: string }[];
  repIds: string[];
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

  constructor(
    private readonly pool: ComputePool,
    private readonly runs: RunsRepository,
    private readonly payouts: PayoutsRepository,
  ) {}

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
    const last = job.runs[job.runs.length - 1];
    const lastSnap = await this.runs.snapshotOf(em, last.runId);
    if (!lastSnap) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${last.runId} not found`);
    const adjustmentsOf = await this.runs.adjustmentsOf(em, job.runs.map((r) => r.runId));
    return shardInputFrom(reader(em), {
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
    for (const c of computed) await this.payouts.write(em, c.payoutCopy, c.lineCopy);
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
  bookings: BookingVisibility;
}

/**
 * Reads one shard's bookings and prior records and cuts the rest of its input from the snapshot: the calculation
 * (from the pending runs' snapshots) and the estimator (from snapshots it never stores) both start here.
 */
export async function shardInputFrom(q: Query, spec: ShardInputSpec): Promise<ShardInput> {
  const facts = new CalcInputsRepository(q);
  const { periods, snapshot, repIds } = spec;
  const last = periods[periods.length - 1];
  const shard = new Set(repIds);
  // A manager's override reads the bookings credited to their direct reports; plans may read the reporting tree's
  // or the team's (core/calculation/teams.ts says whose).
  const plans = await plansOf(facts, snapshot.plans);
  const sources = new Set<CreditSource>([...teamSources(plans.map((p) => p.document)), 'directReports']);
  const readers = readersOf(repIds, sources, { managerOf: new Map(snapshot.reps.map(([repId, managerId]) => [repId, managerId])) });
  return {
    periods,
    // only the payees the shard reads: every shard indexing every payee would make a calculation quadratic
    reps: snapshot.reps.filter(([repId]) => readers.has(repId)),
    assignments: snapshot.assignments.filter(([repId]) => readers.has(repId)),
    fx: snapshot.fx,
    plans,
    ...(await bookingsAndRenewed(facts, [...readers], periodEnd(last), spec.bookings, plans)),
    prior: await facts.prior(periods[0], repIds),
    adjustments: periods.map((p, k) => [p, (spec.adjustments[k] ?? []).filter(([, repId]) => shard.has(repId))]),
    repIds,
    minorUnits: snapshot.minorUnits ?? [],
    // the shard's readers' activities and results; payments are by booking, and few: all of them
    ...(snapshot.payments ? { payments: snapshot.payments } : {}),
    ...(snapshot.activities ? { activities: snapshot.activities.filter(([, repId]) => readers.has(repId)) } : {}),
    ...(snapshot.objectives ? { objectives: snapshot.objectives.filter(([repId]) => readers.has(repId)) } : {}),
  };
}

/** The plan versions of the hashes a run recorded, in that order; every one must be stored. */
async function plansOf(facts: CalcInputsRepository, hashes: string[]): Promise<PlanVersionFacts[]> {
  const byHash = new Map((await facts.planVersions(hashes)).map((p) => [p.hash, p]));
  return hashes.map((hash) => {
    const p = byHash.get(hash);
    if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `plan version ${hash} used by the run is missing`);
    return p;
  });
}

/**
 * The shard's bookings (every credit of each, credited to any of `readers`, booked by `end`), and (when a plan
 * credits renewals on their uplift) the renewed contracts not among them.
 */
async function bookingsAndRenewed(facts: CalcInputsRepository, readers: string[], end: string, visibility: BookingVisibility, plans: PlanVersionFacts[]): Promise<Pick<ShardInput, 'bookings' | 'renewed'>> {
  const bookings = await facts.bookings(readers, end, visibility);
  if (!plans.some((p) => p.document.crediting.rules.some((r) => r.uplift))) return { bookings };
  const have = new Set(bookings.map((b) => b[0]));
  const wanted = [...new Set(bookings.map((b) => b[13]).filter((id): id is string => !!id && !have.has(id)))];
  if (!wanted.length) return { bookings };
  return { bookings, renewed: await facts.contracts(wanted, visibility) };
}
