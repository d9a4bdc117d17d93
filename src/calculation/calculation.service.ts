import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { calculatePeriod } from '../core/calculation/calculate-period';
import {
  AdjustmentFacts,
  AssignmentFacts,
  BookingFacts,
  CalculationInput,
  CalculationResult,
  FxRateFacts,
  PayeeResult,
  PlanVersionFacts,
  PriorRecord,
  RepFacts,
} from '../core/calculation/calculation-types';
import { addMonths, isPeriod, Period, periodEnd, periodOf } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { canonicalJson, sha256Hex } from '../core/plans/canonical-json';
import { PlanDocument } from '../core/plans/plan-types';
import { Db } from '../infra/db.service';
import { PlansService } from '../plans/plans.service';

export interface RunSummary {
  runId: string;
  period: Period;
  payees: number;
  totalPayout: string;
  inputsHash: string;
  resultHash: string;
}

export type PeriodStatus = 'open' | 'calculated' | 'approved' | 'closed';

/** One advisory lock serialises every lifecycle mutation (calculate, approve, close) across processes. */
export const LIFECYCLE_LOCK = 727_001;

const CHUNK = 500;

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;
const reader = (em: EntityManager): Query => (sql, params = []) => em.query(sql, params);

/** The inputs a run read, kept with the run so a closed period can be recalculated byte for byte. */
export interface InputSnapshot {
  reps: [string, string | null, string, string | null, string][];
  assignments: [string, string, string, string | null, string, string, string][];
  fx: [string, string, string, string][];
  plans: string[];
  adjustments: [string, string, string, string, string, string | null, string | null][];
}

/** Loads the facts, runs the pure core, and persists each period's run with its inputs fingerprint and result hash. */
@Injectable()
export class CalculationService {
  private readonly logger = new Logger(CalculationService.name);

  constructor(
    private readonly db: Db,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
  ) {}

  static assertPeriod(period: string): Period {
    if (!isPeriod(period)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `period must be YYYY-MM, got "${period}"`);
    return period;
  }

  static async lock(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [LIFECYCLE_LOCK]);
  }

  /** The first month anything can be earned: the earliest assignment start. */
  async firstPeriod(em: EntityManager = this.db.manager): Promise<Period | null> {
    const [row] = await em.query(`SELECT min(start_date)::text AS first FROM plan_assignments`);
    return row?.first ? periodOf(row.first) : null;
  }

  async status(period: Period, em: EntityManager = this.db.manager): Promise<{ status: PeriodStatus; runId: string | null; stale: boolean }> {
    const [row] = await em.query(
      `SELECT p.status, r.id::text AS run_id, coalesce(r.stale, false) AS stale
         FROM (SELECT $1::char(7) AS period) x
         LEFT JOIN periods p ON p.period = x.period
         LEFT JOIN calculation_runs r ON r.period = x.period AND r.superseded_by IS NULL`,
      [period],
    );
    return { status: (row?.status as PeriodStatus) ?? 'open', runId: row?.run_id ?? null, stale: Boolean(row?.stale) };
  }

  async currentRun(period: Period): Promise<{ id: string; stale: boolean } | null> {
    const s = await this.status(period);
    return s.runId ? { id: s.runId, stale: s.stale } : null;
  }

  /**
   * Calculates `period`, first calculating (in order) every earlier period that is not closed and has no run yet or
   * a stale one. One transaction: a crash leaves nothing half-written. Approved and closed periods are refused.
   */
  async calculate(period: string, actor: Actor, onProgress?: (p: Period) => void): Promise<RunSummary[]> {
    const target = CalculationService.assertPeriod(period);
    return this.db.tx(async (em) => {
      await CalculationService.lock(em);
      return this.calculateWithin(em, target, actor, onProgress);
    });
  }

  async calculateWithin(em: EntityManager, target: Period, actor: Actor, onProgress?: (p: Period) => void): Promise<RunSummary[]> {
    const own = await this.status(target, em);
    if (own.status === 'closed') {
      throw new CommissionError(
        CommissionErrorCode.PERIOD_LOCKED,
        `period ${target} is closed and never changes; late facts flow into the first open period as prior-period adjustments`,
      );
    }
    if (own.status === 'approved') {
      throw new CommissionError(CommissionErrorCode.PERIOD_LOCKED, `period ${target} is approved; its result is frozen until it is closed`);
    }
    const out: RunSummary[] = [];
    const first = await this.firstPeriod(em);
    if (first && first < target) {
      for (let p = first; p < target; p = addMonths(p, 1)) {
        const s = await this.status(p, em);
        if (s.status === 'closed' || s.status === 'approved') continue;
        if (!s.runId || s.stale) {
          onProgress?.(p);
          out.push(await this.calculateOne(em, p, actor));
        }
      }
    }
    onProgress?.(target);
    out.push(await this.calculateOne(em, target, actor));
    return out;
  }

  /** Makes sure `period` has a fresh current run (calculating it and what it depends on if needed). */
  async ensureCalculated(period: string, actor: Actor): Promise<string> {
    const p = CalculationService.assertPeriod(period);
    const s = await this.status(p);
    if (s.runId && (!s.stale || s.status === 'closed' || s.status === 'approved')) return s.runId;
    const runs = await this.calculate(p, actor);
    return runs[runs.length - 1].runId;
  }

  /**
   * Before a calculated period is read: if an earlier period was recalculated since, recalculate this one first
   * (results of stale runs are never served). Approved and closed periods are frozen and served as they are.
   */
  async refreshIfStale(period: Period, actor: Actor): Promise<void> {
    const s = await this.status(period);
    if (!s.runId || !s.stale || s.status === 'approved' || s.status === 'closed') return;
    await this.calculate(period, { ...actor, label: `${actor.label} (automatic recalculation of a stale period)` });
  }

  async loadInput(em: EntityManager, period: Period): Promise<CalculationInput & { bookingVersionIds: string[] }> {
    const q = reader(em);
    const end = periodEnd(period);
    const reps = (
      await q<{ rep_id: string; manager_id: string | null; hire_date: string; termination_date: string | null; currency: string }>(
        `SELECT rep_id, manager_id, hire_date::text AS hire_date, termination_date::text AS termination_date, currency FROM reps ORDER BY rep_id`,
      )
    ).map<RepFacts>((r) => ({ repId: r.rep_id, managerId: r.manager_id, hireDate: r.hire_date, terminationDate: r.termination_date, currency: r.currency }));
    const assignments = (
      await q<{ rep_id: string; plan_id: string; start_date: string; end_date: string | null; annual_quota: string; target_variable: string; base_salary: string }>(
        `SELECT rep_id, plan_id, start_date::text AS start_date, end_date::text AS end_date, annual_quota::text AS annual_quota,
                target_variable::text AS target_variable, base_salary::text AS base_salary
           FROM plan_assignments ORDER BY rep_id, start_date, plan_id`,
      )
    ).map<AssignmentFacts>((a) => ({
      repId: a.rep_id,
      planId: a.plan_id,
      startDate: a.start_date,
      endDate: a.end_date,
      annualQuota: new Decimal(a.annual_quota),
      targetVariable: new Decimal(a.target_variable),
      baseSalary: new Decimal(a.base_salary),
    }));
    const { bookings, ids } = await this.loadBookings(
      q,
      `WHERE v.superseded_by IS NULL AND v.booked_date <= $1`,
      [end],
    );
    const fxRates = (
      await q<{ rate_date: string; from_currency: string; to_currency: string; rate: string }>(
        `SELECT rate_date::text AS rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date <= $1 ORDER BY from_currency, to_currency, rate_date`,
        [end],
      )
    ).map<FxRateFacts>((f) => ({ date: f.rate_date, from: f.from_currency, to: f.to_currency, rate: new Decimal(f.rate) }));
    const adjustments = (
      await q<{ id: string; rep_id: string; amount: string; reason_code: string; note: string; origin_period: string | null; origin_ref: string | null }>(
        `SELECT id::text AS id, rep_id, amount::text AS amount, reason_code, note, origin_period, origin_ref FROM adjustments WHERE period = $1 ORDER BY id`,
        [period],
      )
    ).map<AdjustmentFacts>((a) => ({
      id: a.id,
      repId: a.rep_id,
      amount: new Decimal(a.amount),
      reasonCode: a.reason_code,
      note: a.note,
      originPeriod: a.origin_period,
      originRef: a.origin_ref,
    }));
    return {
      period,
      reps,
      assignments,
      bookings,
      bookingVersionIds: ids,
      fxRates,
      adjustments,
      plans: await this.plans.allVersions(),
      prior: await this.loadPrior(em, period),
    };
  }

  private async loadBookings(q: Query, where: string, params: unknown[]): Promise<{ bookings: BookingFacts[]; ids: string[] }> {
    const rows = await q<{
      id: string;
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
      `SELECT v.id::text AS id, v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency,
              v.term_months, v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, c.rep_id, c.split_pct::text AS split_pct
         FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
        ${where}
        ORDER BY v.booking_id, c.rep_id`,
      params,
    );
    const byId = new Map<string, BookingFacts>();
    const ids: string[] = [];
    for (const r of rows) {
      let b = byId.get(r.booking_id);
      if (!b) {
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
        byId.set(r.booking_id, b);
        ids.push(r.id);
      }
      b.credits.push({ repId: r.rep_id, splitPct: new Decimal(r.split_pct) });
    }
    return { bookings: [...byId.values()], ids };
  }

  /** What the current runs of earlier periods recorded, per payee. */
  async loadPrior(em: EntityManager, period: Period): Promise<Map<string, PriorRecord>> {
    const q = reader(em);
    const prior = new Map<string, PriorRecord>();
    const get = (repId: string) => {
      let p = prior.get(repId);
      if (!p) prior.set(repId, (p = { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() }));
      return p;
    };
    const earned = await q<{ rep_id: string; earned: string }>(
      `SELECT p.rep_id, sum(p.earned)::text AS earned FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND p.period < $1 GROUP BY p.rep_id ORDER BY p.rep_id`,
      [period],
    );
    for (const e of earned) get(e.rep_id).earnedBefore = new Decimal(e.earned);
    const balances = await q<{ rep_id: string; balance: string }>(
      `SELECT p.rep_id, p.balance::text AS balance FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND p.period = $1 ORDER BY p.rep_id`,
      [addMonths(period, -1)],
    );
    for (const b of balances) get(b.rep_id).balanceBefore = new Decimal(b.balance);
    const lines = await q<{ rep_id: string; component_key: string; ref: string | null; kind: string; amount: string; precise: string }>(
      `SELECT l.rep_id, l.component_key, l.ref, l.kind, sum(l.amount)::text AS amount, sum(l.amount_precise)::text AS precise
         FROM payout_lines l JOIN calculation_runs r ON r.id = l.run_id
        WHERE r.superseded_by IS NULL AND l.period < $1 AND l.component_key IS NOT NULL
        GROUP BY l.rep_id, l.component_key, l.ref, l.kind
        ORDER BY l.rep_id, l.component_key, l.ref, l.kind`,
      [period],
    );
    for (const l of lines) {
      const p = get(l.rep_id);
      let k = p.keys.get(l.component_key);
      if (!k) p.keys.set(l.component_key, (k = { rounded: ZERO, byRef: new Map() }));
      k.rounded = k.rounded.plus(l.amount);
      if (l.kind !== 'rounding' && l.ref) k.byRef.set(l.ref, (k.byRef.get(l.ref) ?? ZERO).plus(l.precise));
    }
    return prior;
  }

  static snapshot(input: CalculationInput): InputSnapshot {
    return {
      reps: input.reps.map((r) => [r.repId, r.managerId, r.hireDate, r.terminationDate, r.currency]),
      assignments: input.assignments.map((a) => [a.repId, a.planId, a.startDate, a.endDate, a.annualQuota.toFixed(), a.targetVariable.toFixed(), a.baseSalary.toFixed()]),
      fx: input.fxRates.map((f) => [f.date, f.from, f.to, f.rate.toFixed()]),
      plans: input.plans.map((p) => p.hash),
      adjustments: (input.adjustments ?? []).map((a) => [a.id, a.repId, a.amount.toFixed(), a.reasonCode, a.note, a.originPeriod, a.originRef]),
    };
  }

  /** Fingerprint of everything a run read: plan hashes, booking versions, FX rates, reps, assignments, adjustments, prior records. */
  static fingerprint(input: CalculationInput): string {
    const prior = [...input.prior.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, p]) => [
        id,
        p.earnedBefore.toFixed(),
        p.balanceBefore.toFixed(),
        [...p.keys.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.rounded.toFixed(), [...v.byRef.entries()].sort().map(([r, d]) => [r, d.toFixed()])]),
      ]);
    return sha256Hex(canonicalJson({ period: input.period, snapshot: CalculationService.snapshot(input), bookings: input.bookings, prior }));
  }

  static resultHash(result: CalculationResult): string {
    return sha256Hex(
      canonicalJson(
        result.payees.map((p) => ({
          repId: p.repId,
          currency: p.currency,
          earnedToDate: p.earnedToDate.toFixed(2),
          earned: p.earned.toFixed(2),
          adjustments: p.adjustments.toFixed(2),
          draw: p.draw.toFixed(2),
          payout: p.payout.toFixed(2),
          balance: p.balance.toFixed(2),
          lines: p.lines.map((l) => [l.kind, l.componentKey, l.ref, l.originPeriod, l.amount.toFixed(2), l.amountPrecise.toFixed(), l.description, l.trace]),
        })),
      ),
    );
  }

  async calculateOne(em: EntityManager, period: Period, actor: Actor): Promise<RunSummary> {
    const started = Date.now();
    const input = await this.loadInput(em, period);
    const result = await calculatePeriod(input);
    const inputsHash = CalculationService.fingerprint(input);
    const resultHash = CalculationService.resultHash(result);
    const total = result.payees.reduce((s, p) => s.plus(p.payout), ZERO);
    const [old] = await em.query(`SELECT id::text AS id FROM calculation_runs WHERE period = $1 AND superseded_by IS NULL`, [period]);
    // one current run per period (unique index): the old one points at itself for a moment, then at its successor
    if (old) await em.query(`UPDATE calculation_runs SET superseded_by = id WHERE id = $1`, [old.id]);
    const [run] = await em.query(
      `INSERT INTO calculation_runs (period, inputs_hash, result_hash, inputs, snapshot, booking_version_ids, payee_count, total_payout, actor)
       VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7, $8, $9) RETURNING id::text AS id`,
      [
        period,
        inputsHash,
        resultHash,
        JSON.stringify({ plans: input.plans.map((p) => `${p.planId}@v${p.version}:${p.hash}`), bookingVersions: input.bookingVersionIds.length, adjustments: input.adjustments?.length ?? 0 }),
        JSON.stringify(CalculationService.snapshot(input)),
        `{${input.bookingVersionIds.join(',')}}`,
        result.payees.length,
        total.toFixed(2),
        actor.label,
      ],
    );
    if (old) await em.query(`UPDATE calculation_runs SET superseded_by = $1 WHERE id = $2`, [run.id, old.id]);
    await this.persistPayees(em, run.id, result.payees);
    await em.query(
      `INSERT INTO periods (period, status, current_run_id) VALUES ($1, 'calculated', $2)
       ON CONFLICT (period) DO UPDATE SET status = 'calculated', current_run_id = EXCLUDED.current_run_id, updated_at = now()`,
      [period, run.id],
    );
    // Later periods read this one's results: they go stale (approved ones fall back to calculated). Closed ones never change.
    const stale = await em.query(
      `UPDATE calculation_runs r SET stale = true
        WHERE r.period > $1 AND r.superseded_by IS NULL AND NOT r.stale
          AND NOT EXISTS (SELECT 1 FROM periods p WHERE p.period = r.period AND p.status = 'closed')
        RETURNING r.period`,
      [period],
    );
    const stalePeriods: string[] = (Array.isArray(stale[0]) ? stale[0] : stale).map((r: { period: string }) => r.period);
    if (stalePeriods.length) {
      await em.query(`UPDATE periods SET status = 'calculated', approved_at = NULL, approved_by = NULL, updated_at = now() WHERE period = ANY($1) AND status = 'approved'`, [stalePeriods]);
    }
    await this.audit.record(em, actor, {
      action: 'calculation.run',
      entityType: 'period',
      entityId: period,
      before: old ? { runId: old.id } : undefined,
      after: { runId: run.id, payees: result.payees.length, totalPayout: total.toFixed(2), inputsHash, resultHash, stalePeriods },
    });
    this.logger.log(`calculated ${period}: ${result.payees.length} payees, total ${total.toFixed(2)} in ${Date.now() - started} ms`);
    return { runId: run.id, period, payees: result.payees.length, totalPayout: total.toFixed(2), inputsHash, resultHash };
  }

  /**
   * Recalculates a run from the inputs it stored (reps, assignments, FX, adjustments, plan hashes, booking version ids)
   * and the closed runs before it; returns both hashes.
   */
  async recalculateRun(runId: string): Promise<{ period: Period; storedResultHash: string; resultHash: string; storedInputsHash: string; inputsHash: string }> {
    const [run] = await this.db.query<{ period: string; result_hash: string; inputs_hash: string; snapshot: InputSnapshot; ids: string[] }>(
      `SELECT period, result_hash, inputs_hash, snapshot, booking_version_ids::text[] AS ids FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${runId} not found`);
    const snap = run.snapshot;
    const plans: PlanVersionFacts[] = [];
    for (const hash of snap.plans) {
      const [p] = await this.db.query<{ plan_id: string; version: number; document: PlanDocument }>(`SELECT plan_id, version, document FROM plan_versions WHERE content_hash = $1`, [hash]);
      if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `plan version ${hash} used by run ${runId} is missing`);
      plans.push({ planId: p.plan_id, version: p.version, hash, document: p.document });
    }
    const { bookings } = await this.loadBookings((sql, params) => this.db.query(sql, params), `WHERE v.id = ANY($1::bigint[])`, [run.ids ?? []]);
    const input: CalculationInput = {
      period: run.period,
      reps: snap.reps.map(([repId, managerId, hireDate, terminationDate, currency]) => ({ repId, managerId, hireDate, terminationDate, currency })),
      assignments: snap.assignments.map(([repId, planId, startDate, endDate, q, v, b]) => ({
        repId,
        planId,
        startDate,
        endDate,
        annualQuota: new Decimal(q),
        targetVariable: new Decimal(v),
        baseSalary: new Decimal(b),
      })),
      bookings,
      fxRates: snap.fx.map(([date, from, to, rate]) => ({ date, from, to, rate: new Decimal(rate) })),
      adjustments: snap.adjustments.map(([id, repId, amount, reasonCode, note, originPeriod, originRef]) => ({ id, repId, amount: new Decimal(amount), reasonCode, note, originPeriod, originRef })),
      plans,
      prior: await this.db.tx((em) => this.loadPrior(em, run.period)),
    };
    const result = await calculatePeriod(input);
    return {
      period: run.period,
      storedResultHash: run.result_hash,
      resultHash: CalculationService.resultHash(result),
      storedInputsHash: run.inputs_hash,
      inputsHash: CalculationService.fingerprint(input),
    };
  }

  private async persistPayees(em: EntityManager, runId: string, payees: PayeeResult[]): Promise<void> {
    for (let i = 0; i < payees.length; i += CHUNK) {
      const chunk = payees.slice(i, i + CHUNK);
      const params: unknown[] = [];
      const rows = chunk.map((p) => {
        const base = params.length;
        params.push(
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
        );
        return `(${Array.from({ length: 13 }, (_, k) => `$${base + k + 1}`).join(',')})`;
      });
      await em.query(
        `INSERT INTO payouts (run_id, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows) VALUES ${rows.join(',')}`,
        params,
      );
    }
    const lines = payees.flatMap((p) => p.lines.map((l, n) => ({ p, l, n: n + 1 })));
    for (let i = 0; i < lines.length; i += CHUNK) {
      const params: unknown[] = [];
      const rows = lines.slice(i, i + CHUNK).map(({ p, l, n }) => {
        const base = params.length;
        params.push(runId, p.repId, n, p.period, l.kind, l.componentKey, l.ref, l.bookingId, l.originPeriod, l.amount.toFixed(2), l.amountPrecise.toFixed(), l.description, JSON.stringify(l.trace));
        return `(${Array.from({ length: 13 }, (_, k) => `$${base + k + 1}`).join(',')})`;
      });
      await em.query(
        `INSERT INTO payout_lines (run_id, rep_id, line_no, period, kind, component_key, ref, booking_id, origin_period, amount, amount_precise, description, trace) VALUES ${rows.join(',')}`,
        params,
      );
    }
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

  async lines(period: Period, repId: string): Promise<LineRow[]> {
    return this.db.query<LineRow>(
      `SELECT l.line_no, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount::text AS amount, l.amount_precise::text AS amount_precise,
              l.description, l.trace
         FROM payout_lines l JOIN calculation_runs r ON r.id = l.run_id
        WHERE r.period = $1 AND r.superseded_by IS NULL AND l.rep_id = $2 ORDER BY l.line_no`,
      [period, repId],
    );
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
}
