import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { addMonths, isPeriod, Period, periodEnd, periodOf } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { canonicalJson, sha256Hex } from '../core/plans/canonical-json';
import { AppConfig } from '../infra/env';
import { Db } from '../infra/db.service';
import { APP_CONFIG } from '../infra/tokens';
import { PlansService } from '../plans/plans.service';
import { CalcQueue } from './calc-queue';
import { PeriodLifecycle } from './period-lifecycle.service';
import { RunsRepository } from './runs.repository';
import { combineResultHash, InputSnapshot, Query, reader, ShardJob, ShardRunner } from './shard-runner';
import { figuresHash, HASH_VERSION } from '../core/calculation/result-hash';
import { payeesChangedBetween, planShards, withManagers } from './calc-planning';
import { explainTrace } from '../core/explain/line-words';

export type { InputSnapshot } from './shard-runner';

export interface RunSummary {
  runId: string;
  period: Period;
  payees: number;
  totalPayout: string;
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

interface SharedFactsRows {
  reps: { repId: string; row: InputSnapshot['reps'][number] }[];
  assignments: InputSnapshot['assignments'];
  fx: InputSnapshot['fx'];
  plans: string[];
}

/** Loads the facts, runs the pure core, and persists each period's run with its inputs fingerprint and result hash. */
@Injectable()
export class CalculationService {
  private readonly logger = new Logger(CalculationService.name);

  private readonly shardSize: number;
  private readonly incrementalEnabled: boolean;
  /** Booking credit rows a shard loads at most (unless one payee alone needs more): bounds a shard's memory. */
  private readonly shardCredits: number;

  constructor(
    private readonly db: Db,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
    private readonly shards: ShardRunner,
    private readonly queue: CalcQueue,
    private readonly lifecycle: PeriodLifecycle,
    private readonly runsRepo: RunsRepository,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.shardSize = cfg.calcShardSize;
    this.incrementalEnabled = cfg.calcIncremental;
    this.shardCredits = cfg.calcShardCredits;
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
   * Before a calculated period is read: if an earlier period was recalculated since, recalculate this one first
   * (results of stale runs are never served). Approved and closed periods are frozen and served as they are.
   */
  async refreshIfStale(period: Period, actor: Actor): Promise<void> {
    if (!(await this.lifecycle.needsRefresh(period))) return;
    await this.calculate(period, { ...actor, label: `${actor.label} (automatic recalculation of a stale period)` });
  }

  /**
   * Calculates consecutive periods: pending runs with their input snapshots first, then the payees in shards (each
   * shard computes all the periods for its payees in one pass), then each period is committed in order in the
   * caller's transaction: its run becomes current, later periods go stale, the step is audited.
   */
  private async calculateRange(em: EntityManager, periods: Period[], actor: Actor, onProgress?: (p: Period) => void, opts: CalculateOptions = {}): Promise<RunSummary[]> {
    const started = Date.now();
    const lastEnd = periodEnd(periods[periods.length - 1]);
    const facts = await this.loadSharedFacts(em, lastEnd);
    const [{ watermark }] = await em.query(`SELECT coalesce(max(id), 0)::text AS watermark FROM booking_versions`);
    const runs: { period: Period; runId: string; snapshot: InputSnapshot }[] = [];
    // Workers read the pending runs from their own connections: with the queue they are committed at once (a run
    // that never commits stays pending: never current, never read).
    const writer = this.queue.enabled ? this.db.manager : em;
    for (const period of periods) {
      const snapshot = await this.snapshotFor(em, facts, period);
      // Pending: it points at itself, so no reader takes it for the current run until it is committed.
      const [run] = await writer.query(
        `WITH n AS (SELECT nextval(pg_get_serial_sequence('calculation_runs', 'id')) AS id)
         INSERT INTO calculation_runs (id, superseded_by, period, inputs_hash, result_hash, inputs, snapshot, booking_watermark, payee_count, total_payout, actor, committed, hash_version)
         SELECT n.id, n.id, $1, $2, $2, '{}'::jsonb, $3, $4, 0, 0, $5, false, $6 FROM n RETURNING id::text AS id`,
        [period, PENDING_HASH, JSON.stringify(snapshot), watermark, actor.label, HASH_VERSION],
      );
      runs.push({ period, runId: run.id, snapshot });
    }
    const allReps = facts.reps.map((r) => r.repId).sort();
    const incremental = opts.incremental === false ? null : await this.incrementalPlan(em, runs, allReps, facts, watermark);
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
      for (const r of runs) {
        await em.query(
          `INSERT INTO payouts (run_id, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows, payee_hash, lines_run_id)
           SELECT $1, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows, payee_hash,
                  coalesce(lines_run_id, run_id)
             FROM payouts WHERE run_id = $2 AND NOT (rep_id = ANY($3::text[]))`,
          [r.runId, incremental.oldRuns.get(r.period), dirty],
        );
      }
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
    const counts = await em.query(
      `SELECT c.rep_id, count(*)::int AS n FROM booking_credits c JOIN booking_versions v ON v.id = c.booking_version_id
        WHERE v.id <= $1::bigint AND (v.superseded_by IS NULL OR v.superseded_by > $1::bigint) AND v.booked_date <= $2::date
          AND ($3::text[] IS NULL OR c.rep_id = ANY($3::text[]))
        GROUP BY c.rep_id`,
      // every payee's weight for a full calculation; only the few payees' (and their reports') for an incremental one
      [watermark, end, repIds.length * 2 < facts.reps.length ? [...new Set([...repIds, ...facts.reps.filter((r) => r.row[1] !== null && wanted.has(r.row[1] as string)).map((r) => r.repId)])] : null],
    );
    const own = new Map<string, number>(counts.map((c: { rep_id: string; n: number }) => [c.rep_id, c.n]));
    return planShards(
      facts.reps.map((r) => ({ repId: r.repId, managerId: r.row[1] })),
      own,
      wanted,
      { size: this.shardSize, credits: this.shardCredits },
    );
  }

  /**
   * Incremental recalculation: when every period being recalculated has a committed current run computed on the
   * same plans and FX, on top of the same earlier results (chain of result hashes), only the payees whose own facts
   * changed are recalculated: credited on a booking version imported since (or on the version it replaced), reps or
   * assignment rows changed, adjustments changed, and the direct managers of those (overrides read reports'
   * bookings). Everyone else's results are copied. Null when a full recalculation is needed (or cheaper).
   */
  private async incrementalPlan(
    em: EntityManager,
    runs: { period: Period; snapshot: InputSnapshot }[],
    allReps: string[],
    facts: SharedFactsRows,
    watermark: string,
  ): Promise<{ dirty: Set<string>; oldRuns: Map<Period, string> } | null> {
    if (!this.incrementalEnabled) return null;
    const old = await em.query(
      `SELECT id::text AS id, period, snapshot, booking_watermark::text AS watermark, result_hash, inputs->'priorHashes' AS prior
         FROM calculation_runs WHERE period = ANY($1::text[]) AND superseded_by IS NULL AND committed AND hash_version = $2`,
      [runs.map((r) => r.period), HASH_VERSION],
    );
    type OldRun = { id: string; snapshot: InputSnapshot; watermark: string | null; result_hash: string; prior: [string, string, string][] | null };
    const byPeriod = new Map<string, OldRun>(old.map((o: OldRun & { period: string }) => [o.period.trim(), o]));
    if (runs.some((r) => !byPeriod.get(r.period)?.watermark || !byPeriod.get(r.period)?.prior)) return null;
    // The runs the recalculated periods build on: current runs before the range, then the old runs being replaced.
    const before = await em.query(
      `SELECT period, id::text AS id, result_hash FROM calculation_runs WHERE superseded_by IS NULL AND period < $1 ORDER BY period`,
      [runs[0].period],
    );
    const basis = new Map<string, { id: string; hash: string }>(before.map((b: { period: string; id: string; result_hash: string }) => [b.period.trim(), { id: b.id, hash: b.result_hash.trim() }]));
    const dirty = new Set<string>();
    const compared = new Set<string>();
    let minWatermark = BigInt(watermark);
    for (const r of runs) {
      const o = byPeriod.get(r.period) as OldRun & { watermark: string; prior: [string, string, string][] };
      const recorded = new Map(o.prior.map(([period, id, hash]) => [period, { id, hash }]));
      if (recorded.size !== basis.size) return null;
      for (const [period, now] of basis) {
        const then = recorded.get(period);
        if (!then) return null;
        if (then.hash === now.hash || compared.has(`${then.id}:${now.id}`)) continue;
        // An earlier period was recalculated since: the payees whose results there changed read another prior.
        compared.add(`${then.id}:${now.id}`);
        const [{ unhashed }] = await em.query(`SELECT count(*)::int AS unhashed FROM payouts WHERE run_id IN ($1, $2) AND payee_hash IS NULL`, [then.id, now.id]);
        if (unhashed > 0) return null; // runs from before payee hashes: cannot tell who changed
        const moved = await em.query(
          `SELECT coalesce(a.rep_id, b.rep_id) AS rep_id
             FROM (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $1) a FULL JOIN (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $2) b ON a.rep_id = b.rep_id
            WHERE a.payee_hash IS DISTINCT FROM b.payee_hash`,
          [then.id, now.id],
        );
        for (const m of moved) dirty.add(m.rep_id);
      }
      basis.set(r.period, { id: o.id, hash: o.result_hash.trim() });
      const changed = payeesChangedBetween(o.snapshot, r.snapshot);
      if (!changed) return null;
      for (const id of changed) dirty.add(id);
      if (BigInt(o.watermark) < minWatermark) minWatermark = BigInt(o.watermark);
    }
    const changed = await em.query(
      `SELECT DISTINCT c.rep_id FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
        WHERE v.id <= $1::bigint AND (v.id > $2::bigint OR (v.superseded_by IS NOT NULL AND v.superseded_by > $2::bigint AND v.superseded_by <= $1::bigint))`,
      [watermark, minWatermark.toString()],
    );
    for (const c of changed) dirty.add(c.rep_id);
    const all = withManagers(dirty, new Map(facts.reps.map((r) => [r.repId, r.row[1]])));
    // Past a third of the payees, recalculating everyone is as fast and simpler to reason about.
    if (all.size * 3 > allReps.length) return null;
    return { dirty: all, oldRuns: new Map(runs.map((r) => [r.period, (byPeriod.get(r.period) as { id: string }).id])) };
  }

  /** Makes a pending run current: its hashes from the stored payee hashes, stale marking, the audit event. */
  private async commitRun(em: EntityManager, period: Period, runId: string, snapshot: InputSnapshot, watermark: string, actor: Actor, recalculated: number): Promise<RunSummary> {
    const payees = await em.query(
      `SELECT rep_id, payee_hash, payout::text AS payout FROM payouts WHERE run_id = $1 ORDER BY rep_id`,
      [runId],
    );
    const resultHash = combineResultHash(payees.map((p: { rep_id: string; payee_hash: string }) => [p.rep_id, p.payee_hash]));
    const total = payees.reduce((s: Decimal, p: { payout: string }) => s.plus(p.payout), ZERO);
    const inputsHash = await CalculationService.fingerprint(reader(em), period, snapshot, watermark);
    const priorHashes = (await this.runsRepo.currentRunsBefore(em, period)).map((r) => [r.period, r.id, r.resultHash]);
    await em.query(
      `UPDATE calculation_runs SET inputs_hash = $2, result_hash = $3, payee_count = $4, total_payout = $5, inputs = $6 WHERE id = $1`,
      [
        runId,
        inputsHash,
        resultHash,
        payees.length,
        total.toFixed(2),
        JSON.stringify({ plans: snapshot.plans, bookingWatermark: watermark, adjustments: snapshot.adjustments.length, priorHashes }),
      ],
    );
    // It becomes current; later periods read its results, so they go stale (the lifecycle's one rule).
    const { replaced, stalePeriods } = await this.lifecycle.commit(em, period, runId);
    await this.audit.record(em, actor, {
      action: 'calculation.run',
      entityType: 'period',
      entityId: period,
      before: replaced ? { runId: replaced } : undefined,
      after: { runId, payees: payees.length, recalculated, totalPayout: total.toFixed(2), inputsHash, resultHash, stalePeriods },
    });
    return { runId, period, payees: payees.length, totalPayout: total.toFixed(2), inputsHash, resultHash, recalculated };
  }

  /** Reps, assignments, FX (to the last period's end) and plan versions: small, read once per calculation. */
  private async loadSharedFacts(em: EntityManager, lastEnd: string): Promise<SharedFactsRows> {
    const q = reader(em);
    const reps = await q<{ rep_id: string; manager_id: string | null; hire_date: string; termination_date: string | null; currency: string }>(
      `SELECT rep_id, manager_id, hire_date::text AS hire_date, termination_date::text AS termination_date, currency FROM reps ORDER BY rep_id`,
    );
    const assignments = await q<{ rep_id: string; plan_id: string; start_date: string; end_date: string | null; annual_quota: string; target_variable: string; base_salary: string }>(
      `SELECT rep_id, plan_id, start_date::text AS start_date, end_date::text AS end_date, annual_quota::text AS annual_quota,
              target_variable::text AS target_variable, base_salary::text AS base_salary
         FROM plan_assignments ORDER BY rep_id, start_date, plan_id`,
    );
    const fx = await q<{ rate_date: string; from_currency: string; to_currency: string; rate: string }>(
      `SELECT rate_date::text AS rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date <= $1 ORDER BY from_currency, to_currency, rate_date`,
      [lastEnd],
    );
    const plans = await this.plans.allVersions();
    return {
      reps: reps.map((r) => ({ repId: r.rep_id, row: [r.rep_id, r.manager_id, r.hire_date, r.termination_date, r.currency] })),
      assignments: assignments.map((a) => [a.rep_id, a.plan_id, a.start_date, a.end_date, a.annual_quota, a.target_variable, a.base_salary]),
      fx: fx.map((f) => [f.rate_date, f.from_currency, f.to_currency, f.rate]),
      plans: plans.map((p) => p.hash),
    };
  }

  private async snapshotFor(em: EntityManager, facts: SharedFactsRows, period: Period): Promise<InputSnapshot> {
    const end = periodEnd(period);
    const adjustments = await em.query(
      `SELECT id::text AS id, rep_id, amount::text AS amount, reason_code, note, origin_period, origin_ref FROM adjustments WHERE period = $1 ORDER BY id`,
      [period],
    );
    return {
      reps: facts.reps.map((r) => r.row),
      assignments: facts.assignments,
      fx: facts.fx.filter((f) => f[0] <= end),
      plans: facts.plans,
      adjustments: adjustments.map((a: Record<string, string | null>) => [a.id, a.rep_id, a.amount, a.reason_code, a.note, a.origin_period, a.origin_ref]),
    };
  }

  /**
   * Fingerprint of everything a run read: its snapshot (reps, assignments, FX, plan hashes, adjustments), the booking
   * watermark (booking versions are immutable), and the result hashes of the current runs of earlier periods (which
   * fix the prior records it read).
   */
  static async fingerprint(q: Query, period: Period, snapshot: InputSnapshot, watermark: string | null, bookingVersionIds?: string[]): Promise<string> {
    const earlier = await q<{ period: string; result_hash: string }>(
      `SELECT period, result_hash FROM calculation_runs WHERE superseded_by IS NULL AND period < $1 ORDER BY period`,
      [period],
    );
    return sha256Hex(
      canonicalJson({
        period,
        snapshot,
        bookings: watermark !== null ? { watermark } : { versionIds: sha256Hex((bookingVersionIds ?? []).join(',')) },
        prior: earlier.map((r) => [r.period, r.result_hash]),
      }),
    );
  }

  /**
   * Recalculates a run from what it stored (snapshot, booking watermark or version ids, plan hashes) and the current
   * runs before it, shard by shard, without writing; returns both pairs of hashes. A run hashed with version 2 is
   * compared by its result hash (figures and structured traces). A run hashed with version 1 (before traces were
   * typed: its hash covered description text no later engine writes) is compared by its figures: every payee figure
   * and every line's kind, key, reference, origin and amounts, recalculated against the stored rows.
   */
  async recalculateRun(runId: string): Promise<{ period: Period; storedResultHash: string; resultHash: string; storedInputsHash: string; inputsHash: string; method: 'result hash' | 'figures' }> {
    const [run] = await this.db.query<{ period: string; result_hash: string; inputs_hash: string; snapshot: InputSnapshot; ids: string[] | null; watermark: string | null; hash_version: number }>(
      `SELECT period, result_hash, inputs_hash, snapshot, booking_version_ids::text[] AS ids, booking_watermark::text AS watermark, hash_version FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${runId} not found`);
    const byFigures = Number(run.hash_version) === 1;
    const repIds = run.snapshot.reps.map(([id]) => id).sort();
    const hashes: [string, string][] = [];
    await this.db.tx(async (em) => {
      for (let i = 0; i < repIds.length; i += this.shardSize) {
        const [outcome] = await this.shards.run(
          em,
          { runs: [{ period: run.period, runId }], repIds: repIds.slice(i, i + this.shardSize), bookingWatermark: run.watermark, bookingVersionIds: run.ids ?? [] },
          { persist: false, figures: byFigures },
        );
        hashes.push(...(byFigures ? (outcome.figureHashes ?? []) : outcome.payeeHashes));
      }
    });
    return {
      period: run.period,
      storedResultHash: byFigures ? await this.storedFiguresHash(runId) : run.result_hash,
      resultHash: combineResultHash(hashes),
      storedInputsHash: run.inputs_hash,
      inputsHash: await CalculationService.fingerprint((sql, params) => this.db.query(sql, params), run.period, run.snapshot, run.watermark, run.ids ?? []),
      method: byFigures ? 'figures' : 'result hash',
    };
  }

  /** The figures hash of a run's stored payouts and lines (for runs hashed with version 1). */
  private async storedFiguresHash(runId: string): Promise<string> {
    const payouts = await this.db.query<{ rep_id: string; currency: string; earned_to_date: string; earned: string; draw: string; payout: string; balance: string }>(
      `SELECT rep_id, currency, earned_to_date::text AS earned_to_date, earned::text AS earned, draw::text AS draw, payout::text AS payout, balance::text AS balance
         FROM payouts WHERE run_id = $1 ORDER BY rep_id`,
      [runId],
    );
    const lines = await this.db.query<{ rep_id: string; kind: string; component_key: string | null; ref: string | null; origin_period: string | null; amount: string; amount_precise: string }>(
      `SELECT rep_id, kind, component_key, ref, origin_period, amount::text AS amount, amount_precise::text AS amount_precise FROM run_lines WHERE run_id = $1 ORDER BY rep_id, line_no`,
      [runId],
    );
    const linesOf = new Map<string, typeof lines>();
    for (const l of lines) linesOf.set(l.rep_id, [...(linesOf.get(l.rep_id) ?? []), l]);
    return combineResultHash(
      payouts.map((p): [string, string] => [
        p.rep_id,
        figuresHash({
          repId: p.rep_id,
          currency: p.currency.trim(),
          earnedToDate: new Decimal(p.earned_to_date).toFixed(2),
          earned: new Decimal(p.earned).toFixed(2),
          draw: new Decimal(p.draw).toFixed(2),
          payout: new Decimal(p.payout).toFixed(2),
          balance: new Decimal(p.balance).toFixed(2),
          lines: (linesOf.get(p.rep_id) ?? []).map((l) => ({
            kind: l.kind,
            componentKey: l.component_key,
            ref: l.ref,
            originPeriod: l.origin_period === null ? null : l.origin_period.trim(),
            amount: new Decimal(l.amount).toFixed(2),
            amountPrecise: new Decimal(l.amount_precise).toFixed(),
          })),
        }),
      ]),
    );
  }

  /** Payouts of the current run of a period (optionally only some reps), paginated by rep id. */
  async payouts(period: Period, repIds: Set<string> | null, page: { after?: string; limit?: number } = {}): Promise<PayoutRow[]> {
    const limit = Math.min(page.limit ?? 100_000, 100_000);
    const rows = await this.db.query<PayoutRow>(
      `SELECT p.rep_id, p.period, p.currency, p.earned_to_date::text AS earned_to_date, p.earned::text AS earned, p.draw::text AS draw,
              p.payout::text AS payout, p.balance_before::text AS balance_before, p.balance::text AS balance, p.plans, r.id::text AS run_id
         FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND r.superseded_by IS NULL AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) AND ($3::text IS NULL OR p.rep_id > $3)
        ORDER BY p.rep_id LIMIT $4`,
      [period, repIds ? [...repIds] : null, page.after ?? null, limit],
    );
    return rows;
  }

  /** A payee's lines of the period's current run, each with its trace and the trace in words (`explanation`). */
  async lines(period: Period, repId: string): Promise<LineRow[]> {
    const rows = await this.db.query<Omit<LineRow, 'explanation'> & { currency: string }>(
      `SELECT l.line_no, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount::text AS amount, l.amount_precise::text AS amount_precise,
              l.description, l.trace, l.cause, p.currency
         FROM run_lines l JOIN calculation_runs r ON r.id = l.run_id JOIN payouts p ON p.run_id = l.run_id AND p.rep_id = l.rep_id
        WHERE r.period = $1 AND r.superseded_by IS NULL AND l.rep_id = $2 ORDER BY l.line_no`,
      [period, repId],
    );
    return rows.map(({ currency, ...l }) => ({ ...l, explanation: explainTrace((l.trace ?? {}) as Record<string, unknown>, currency.trim()) }));
  }
}

export interface PayoutRow {
  rep_id: string;
  period: string;
  currency: string;
  earned_to_date: string;
  earned: string;
  draw: string;
  payout: string;
  balance_before: string;
  balance: string;
  plans: unknown;
  run_id: string;
}

export interface LineRow {
  line_no: number;
  kind: string;
  component_key: string | null;
  ref: string | null;
  booking_id: string | null;
  origin_period: string | null;
  amount: string;
  amount_precise: string;
  description: string;
  trace: unknown;
  cause: string | null;
  /** The trace in words (the engine's one wording module, explain/line-words.ts). */
  explanation: string;
}
