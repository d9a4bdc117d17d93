import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { OPERATORS } from '../auth/roles.decorator';
import { Period, periodEnd } from '../core/calendar/dates';
import type { WindowSummary } from '../core/calculation/calculation-types';
import { Decimal, ZERO } from '../core/money/decimal';
import { canonicalJson, sha256Hex } from '../core/plans/canonical-json';
import { AppConfig } from '../infra/env';
import { Db } from '../infra/db.service';
import { APP_CONFIG } from '../infra/tokens';
import { CalcInputsRepository } from './calc-inputs.repository';
import { CalcQueue } from './calc-queue';
import { PeriodLifecycle } from './period-lifecycle.service';
import { ExplainedLine, Payout, PayoutsRepository } from './payouts.repository';
import { RunsRepository } from './runs.repository';
import { InputSnapshot } from './input-snapshot';
import { combineResultHash, ShardJob, ShardRunner } from './shard-runner';
import { HASH_VERSION } from '../core/calculation/result-hash';
import { planShards } from './calc-planning';
import { planIncremental } from './incremental-plan';
import { SharedFactsLoader, SharedFactsRows } from './shared-facts.loader';
import { explainTrace } from '../core/explain/line-words';
import { CurrencyTotals, TotalsByCurrency } from '../core/money/currency-totals';
import { MinorUnitOverrides, MinorUnits } from '../core/money/minor-units';

export type { ExplainedLine, Payout } from './payouts.repository';

export interface RunSummary {
  runId: string;
  period: Period;
  payees: number;
  /** The run's payouts added up per currency (never across currencies). */
  totals: CurrencyTotals;
  inputsHash: string;
  resultHash: string;
  /** Payees calculated by this run; the others' results were copied unchanged from the run it replaces. */
  recalculated: number;
}

export interface CalculateOptions {
  /** false: recalculate every payee even where an incremental recalculation would do. */
  incremental?: boolean;
}

export type { PeriodStatus } from './runs.repository';
export { LIFECYCLE_LOCK } from './period-lifecycle.service';


/** Placeholder hash of a pending run (not yet committed). */
const PENDING_HASH = '0'.repeat(64);


/** What a read is served: the current run, and whether its inputs changed since it was calculated (and when that was). */
export interface Freshness {
  stale: boolean;
  calculatedAt: string | null;
}

/** Loads the facts, runs the pure core, and persists each period's run with its inputs fingerprint and result hash. */
@Injectable()
export class CalculationService {
  private readonly logger = new Logger(CalculationService.name);

  private readonly shardSize: number;
  private readonly minorUnits: MinorUnitOverrides;
  private readonly incrementalEnabled: boolean;
  /** Booking credit rows a shard loads at most (unless one payee alone needs more): bounds a shard's memory. */
  private readonly shardCredits: number;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly shards: ShardRunner,
    private readonly queue: CalcQueue,
    private readonly lifecycle: PeriodLifecycle,
    private readonly runsRepo: RunsRepository,
    private readonly payoutsRepo: PayoutsRepository,
    private readonly sharedFacts: SharedFactsLoader,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.shardSize = cfg.calcShardSize;
    this.incrementalEnabled = cfg.calcIncremental;
    this.shardCredits = cfg.calcShardCredits;
    this.minorUnits = cfg.currencyMinorUnits;
  }

  /** Validates a period string (YYYY-MM); the lifecycle's rule, here for the many callers that only validate. */
  static assertPeriod(period: string): Period {
    return PeriodLifecycle.assertPeriod(period);
  }

  /**
   * Calculates `period`, first calculating (in order) every earlier period that is not closed and has no run yet or
   * a stale one. One transaction: a crash leaves nothing half-written. Approved and closed periods are refused.
   */
  async calculate(period: string, actor: Actor, onProgress?: (p: Period) => void, opts: CalculateOptions = {}): Promise<RunSummary[]> {
    const target = CalculationService.assertPeriod(period);
    return this.db.tx(async (em) => {
      await PeriodLifecycle.lock(em);
      return this.calculateWithin(em, target, actor, onProgress, opts);
    });
  }

  async calculateWithin(em: EntityManager, target: Period, actor: Actor, onProgress?: (p: Period) => void, opts: CalculateOptions = {}): Promise<RunSummary[]> {
    const periods = await this.lifecycle.periodsToCalculate(em, target);
    return this.calculateRange(em, periods, actor, onProgress, opts);
  }

  /** Makes sure `period` has a fresh current run (calculating it and what it depends on if needed). */
  async ensureCalculated(period: string, actor: Actor): Promise<string> {
    const p = CalculationService.assertPeriod(period);
    const s = await this.lifecycle.status(p);
    if (s.runId && (!s.stale || s.status === 'closed' || s.status === 'approved')) return s.runId;
    const runs = await this.calculate(p, actor);
    return runs[runs.length - 1].runId;
  }

  /**
   * Before a calculated period is read. A stale period (an earlier period or its facts changed since) is recalculated
   * first when the reader may calculate (finance, admin, the CLI), and the fresh run is served. Anyone else (a rep, a
   * manager, an auditor) only reads: they are served the last calculation, flagged stale with the time it was made, and
   * nothing is written in their name. Approved and closed periods are frozen and served as they are.
   */
  async beforeRead(period: Period, actor: Actor): Promise<Freshness> {
    let s = await this.lifecycle.status(period);
    const frozen = s.status === 'approved' || s.status === 'closed';
    if (s.runId && s.stale && !frozen && OPERATORS.includes(actor.role)) {
      await this.calculate(period, { ...actor, label: `${actor.label} (automatic recalculation of a stale period)` });
      s = await this.lifecycle.status(period);
    }
    return { stale: s.stale && !frozen, calculatedAt: s.calculatedAt };
  }

  /**
   * Removes the pending runs a killed close left behind (the caller holds the lifecycle lock). With the queue they are
   * removed in a transaction of their own, committed at once: shard workers must see them gone while this close runs
   * (and would wait on their row locks until it ends otherwise).
   */
  private async removeOrphanRuns(em: EntityManager, actor: Actor): Promise<void> {
    const remove = async (tx: EntityManager) => {
      const removed = await this.runsRepo.removeOrphans(tx);
      for (const o of removed) {
        await this.audit.record(tx, actor, { action: 'calculation.orphan_removed', entityType: 'calculation_run', entityId: o.runId, before: { period: o.period, payouts: o.payouts } });
        this.logger.warn(`removed run ${o.runId} of ${o.period} with ${o.payouts} payouts, left pending by a close that did not finish`);
      }
    };
    if (this.queue.enabled) await this.db.tx(remove);
    else await remove(em);
  }

  /**
   * Calculates consecutive periods: pending runs with their input snapshots first, then the payees in shards (each
   * shard computes all the periods for its payees in one pass), then each period is committed in order in the
   * caller's transaction: its run becomes current, later periods go stale, the step is audited.
   */
  private async calculateRange(em: EntityManager, periods: Period[], actor: Actor, onProgress?: (p: Period) => void, opts: CalculateOptions = {}): Promise<RunSummary[]> {
    const started = Date.now();
    const lastEnd = periodEnd(periods[periods.length - 1]);
    const facts = await this.sharedFacts.load(em, lastEnd);
    const watermark = await CalcInputsRepository.of(em).bookingWatermark();
    const runs: { period: Period; runId: string; snapshot: InputSnapshot }[] = [];
    // Workers read the pending runs from their own connections: with the queue they are committed at once (a run
    // that never commits stays pending: never current, never read).
    const writer = this.queue.enabled ? this.db.manager : em;
    await this.removeOrphanRuns(em, actor);
    for (const period of periods) {
      const snapshot = await this.sharedFacts.snapshotFor(em, facts, period);
      const runId = await this.runsRepo.insertPending(writer, { period, pendingHash: PENDING_HASH, snapshot, bookingWatermark: watermark, actor: actor.label, hashVersion: HASH_VERSION });
      runs.push({ period, runId, snapshot });
    }
    const allReps = facts.reps.map((r) => r.repId).sort();
    const incremental =
      opts.incremental === false || !this.incrementalEnabled
        ? null
        : await planIncremental(em, { runs: this.runsRepo, payouts: this.payoutsRepo }, runs, allReps, new Map(facts.reps.map((r) => [r.repId, r.row[1]])), watermark, facts.teamSources, facts.uplift);
    const repIds = incremental ? allReps.filter((id) => incremental.dirty.has(id)) : allReps;
    const jobs: ShardJob[] = (await this.planShards(em, facts, repIds, watermark, lastEnd)).map((shard) => ({
      runs: runs.map(({ period, runId }) => ({ period, runId })),
      repIds: shard,
      bookingWatermark: watermark,
    }));
    if (this.queue.enabled) await this.queue.runAll(jobs);
    else await this.shards.runAll(em, jobs);
    if (incremental) {
      // Payees no fact of theirs changed for: their results are the old runs' results. The payout rows are copied
      // and point at the lines already stored (immutable), which are not copied.
      const dirty = [...incremental.dirty];
      for (const r of runs) await this.payoutsRepo.copyUnchanged(em, r.runId, incremental.oldRuns.get(r.period) as string, dirty);
    }

    const out: RunSummary[] = [];
    for (const r of runs) {
      onProgress?.(r.period);
      out.push(await this.commitRun(em, r.period, r.runId, r.snapshot, watermark, actor, repIds.length));
    }
    this.logger.log(
      `calculated ${periods[0]}..${periods[periods.length - 1]} (${periods.length} periods, ${repIds.length} of ${allReps.length} payees in ${jobs.length} shards` +
        `${incremental ? ', the rest unchanged' : ''}) in ${Date.now() - started} ms`,
    );
    return out;
  }

  /**
   * Payee shards: teams kept together (a manager, then their reports, depth first), cut when a shard reaches
   * CALC_SHARD_SIZE payees or CALC_SHARD_CREDITS booking credits to load (a manager's override loads the reports'
   * bookings too). Memory per shard stays bounded whatever the shape of the organisation; the results do not depend
   * on the cut (each payee's hash is its own).
   */
  private async planShards(em: EntityManager, facts: SharedFactsRows, repIds: string[], watermark: string, end: string): Promise<string[][]> {
    const wanted = new Set(repIds);
    const own = await CalcInputsRepository.of(em).creditCounts(
      watermark,
      end,
      // every payee's weight for a full calculation; only the few payees' (and their reports') for an incremental one
      repIds.length * 2 < facts.reps.length ? [...new Set([...repIds, ...facts.reps.filter((r) => r.row[1] !== null && wanted.has(r.row[1] as string)).map((r) => r.repId)])] : null,
    );
    return planShards(
      facts.reps.map((r) => ({ repId: r.repId, managerId: r.row[1] })),
      own,
      wanted,
      { size: this.shardSize, credits: this.shardCredits },
    );
  }

  /** Makes a pending run current: its hashes from the stored payee hashes, stale marking, the audit event. */
  private async commitRun(em: EntityManager, period: Period, runId: string, snapshot: InputSnapshot, watermark: string, actor: Actor, recalculated: number): Promise<RunSummary> {
    const payees = await this.payoutsRepo.payeeResults(em, runId);
    const resultHash = combineResultHash(payees.map((p) => [p.repId, p.payeeHash]));
    // total_payout stays the column's plain sum (the close's own check that every payout was written); what anyone
    // reads is the total per currency
    const total = payees.reduce((s: Decimal, p) => s.plus(p.payout), ZERO);
    const byCurrency = new TotalsByCurrency();
    for (const p of payees) byCurrency.add(p.currency, p.payout);
    const totals = byCurrency.list(new MinorUnits(this.minorUnits));
    const before = await this.runsRepo.currentRunsBefore(period, em);
    const inputsHash = CalculationService.fingerprint(period, snapshot, before, watermark);
    const priorHashes = before.map((r) => [r.period, r.id, r.resultHash]);
    await this.runsRepo.recordResult(em, runId, {
      inputsHash,
      resultHash,
      payeeCount: payees.length,
      totalPayout: total.toFixed(2),
      inputs: { plans: snapshot.plans, bookingWatermark: watermark, adjustments: snapshot.adjustments.length, priorHashes },
    });
    // It becomes current; later periods read its results, so they go stale (the lifecycle's one rule).
    const { replaced, stalePeriods } = await this.lifecycle.commit(em, period, runId);
    await this.audit.record(em, actor, {
      action: 'calculation.run',
      entityType: 'period',
      entityId: period,
      before: replaced ? { runId: replaced } : undefined,
      after: { runId, payees: payees.length, recalculated, totals, inputsHash, resultHash, stalePeriods },
    });
    return { runId, period, payees: payees.length, totals, inputsHash, resultHash, recalculated };
  }

  /**
   * Fingerprint of everything a run read: its snapshot (reps, assignments, FX, plan hashes, adjustments), the booking
   * watermark (booking versions are immutable), and the result hashes of the current runs of earlier periods (which
   * fix the prior records it read; RunsRepository.currentRunsBefore).
   */
  static fingerprint(period: Period, snapshot: InputSnapshot, earlier: { period: Period; resultHash: string }[], watermark: string | null, bookingVersionIds?: string[]): string {
    return sha256Hex(
      canonicalJson({
        period,
        snapshot,
        bookings: watermark !== null ? { watermark } : { versionIds: sha256Hex((bookingVersionIds ?? []).join(',')) },
        prior: earlier.map((r) => [r.period, r.resultHash]),
      }),
    );
  }

  /** Payouts of the current run of a period (optionally only some reps), paginated by rep id. */
  payouts(period: Period, repIds: Set<string> | null, page: { after?: string; limit?: number } = {}): Promise<Payout[]> {
    return this.payoutsRepo.currentPayouts(period, repIds ? [...repIds] : null, page.after ?? null, Math.min(page.limit ?? 100_000, 100_000));
  }

  /** A payee's component windows of a period's current run: credit, quota, attainment, commission (as the engine summed them). */
  windows(period: Period, repId: string): Promise<WindowSummary[]> {
    return this.payoutsRepo.currentWindows(period, repId);
  }

  /** A payee's lines of the period's current run, each with its trace and the trace in words (`explanation`). */
  async lines(period: Period, repId: string): Promise<ExplainedLine[]> {
    const stored = await this.payoutsRepo.currentLines(period, repId);
    if (!stored) return [];
    return stored.lines.map((l) => ({ ...l, explanation: explainTrace((l.trace ?? {}) as Record<string, unknown>, stored.currency) }));
  }
}
