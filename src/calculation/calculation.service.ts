import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { calculatePeriod } from '../core/calculation/calculate-period';
import {
  AssignmentFacts,
  BookingFacts,
  CalculationInput,
  CalculationResult,
  FxRateFacts,
  PayeeResult,
  PriorRecord,
  RepFacts,
} from '../core/calculation/calculation-types';
import { addMonths, isPeriod, Period, periodEnd, periodOf } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { canonicalJson, sha256Hex } from '../core/plans/canonical-json';
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

const CHUNK = 500;

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

  /** The first month anything can be earned: the earliest assignment start. */
  async firstPeriod(): Promise<Period | null> {
    const [row] = await this.db.query<{ first: string | null }>(`SELECT min(start_date)::text AS first FROM plan_assignments`);
    return row?.first ? periodOf(row.first) : null;
  }

  async currentRun(period: Period): Promise<{ id: string; stale: boolean } | null> {
    const [row] = await this.db.query<{ id: string; stale: boolean }>(`SELECT id::text AS id, stale FROM calculation_runs WHERE period = $1 AND superseded_by IS NULL`, [period]);
    return row ?? null;
  }

  /**
   * Calculates `period`, first calculating (in order) every earlier period that has no run yet or whose run went
   * stale. Re-running an open period replaces its current run; later periods become stale.
   */
  async calculate(period: string, actor: Actor, onProgress?: (p: Period) => void): Promise<RunSummary[]> {
    const target = CalculationService.assertPeriod(period);
    const first = await this.firstPeriod();
    const out: RunSummary[] = [];
    if (first && first < target) {
      for (let p = first; p < target; p = addMonths(p, 1)) {
        const run = await this.currentRun(p);
        if (!run || run.stale) {
          onProgress?.(p);
          out.push(await this.calculateOne(p, actor));
        }
      }
    }
    onProgress?.(target);
    out.push(await this.calculateOne(target, actor));
    return out;
  }

  /** Makes sure `period` has a fresh current run (calculating it and what it depends on if needed). */
  async ensureCalculated(period: string, actor: Actor): Promise<string> {
    const p = CalculationService.assertPeriod(period);
    const run = await this.currentRun(p);
    if (run && !run.stale) {
      // earlier stale periods also make this one stale; staleness is propagated when they are marked
      return run.id;
    }
    const runs = await this.calculate(p, actor);
    return runs[runs.length - 1].runId;
  }

  async loadInput(period: Period): Promise<CalculationInput> {
    const end = periodEnd(period);
    const reps = (
      await this.db.query<{ rep_id: string; manager_id: string | null; hire_date: string; termination_date: string | null; currency: string }>(
        `SELECT rep_id, manager_id, hire_date::text AS hire_date, termination_date::text AS termination_date, currency FROM reps ORDER BY rep_id`,
      )
    ).map<RepFacts>((r) => ({ repId: r.rep_id, managerId: r.manager_id, hireDate: r.hire_date, terminationDate: r.termination_date, currency: r.currency }));
    const assignments = (
      await this.db.query<{ rep_id: string; plan_id: string; start_date: string; end_date: string | null; annual_quota: string; target_variable: string; base_salary: string }>(
        `SELECT rep_id, plan_id, start_date::text AS start_date, end_date::text AS end_date, annual_quota::text AS annual_quota,
                target_variable::text AS target_variable, base_salary::text AS base_salary
           FROM plan_assignments WHERE start_date <= $1 ORDER BY rep_id, start_date, plan_id`,
        [end],
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
    const bookingRows = await this.db.query<{
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
        WHERE v.superseded_by IS NULL AND v.booked_date <= $1
        ORDER BY v.booking_id, c.rep_id`,
      [end],
    );
    const byId = new Map<string, BookingFacts>();
    for (const r of bookingRows) {
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
      }
      b.credits.push({ repId: r.rep_id, splitPct: new Decimal(r.split_pct) });
    }
    const fxRates = (
      await this.db.query<{ rate_date: string; from_currency: string; to_currency: string; rate: string }>(
        `SELECT rate_date::text AS rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date <= $1 ORDER BY from_currency, to_currency, rate_date`,
        [end],
      )
    ).map<FxRateFacts>((f) => ({ date: f.rate_date, from: f.from_currency, to: f.to_currency, rate: new Decimal(f.rate) }));
    return { period, reps, assignments, bookings: [...byId.values()], fxRates, plans: await this.plans.allVersions(), prior: await this.loadPrior(period) };
  }

  /** What the current runs of earlier periods recorded, per payee. */
  async loadPrior(period: Period): Promise<Map<string, PriorRecord>> {
    const prior = new Map<string, PriorRecord>();
    const get = (repId: string) => {
      let p = prior.get(repId);
      if (!p) prior.set(repId, (p = { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() }));
      return p;
    };
    const earned = await this.db.query<{ rep_id: string; earned: string }>(
      `SELECT p.rep_id, sum(p.earned)::text AS earned FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND p.period < $1 GROUP BY p.rep_id`,
      [period],
    );
    for (const e of earned) get(e.rep_id).earnedBefore = new Decimal(e.earned);
    const balances = await this.db.query<{ rep_id: string; balance: string }>(
      `SELECT p.rep_id, p.balance::text AS balance FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND p.period = $1`,
      [addMonths(period, -1)],
    );
    for (const b of balances) get(b.rep_id).balanceBefore = new Decimal(b.balance);
    const lines = await this.db.query<{ rep_id: string; component_key: string; ref: string | null; kind: string; amount: string; precise: string }>(
      `SELECT l.rep_id, l.component_key, l.ref, (l.kind = 'rounding') AS is_rounding, l.kind,
              sum(l.amount)::text AS amount, sum(l.amount_precise)::text AS precise
         FROM payout_lines l JOIN calculation_runs r ON r.id = l.run_id
        WHERE r.superseded_by IS NULL AND l.period < $1 AND l.component_key IS NOT NULL
        GROUP BY l.rep_id, l.component_key, l.ref, l.kind`,
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

  /** Fingerprint of everything a run read: plan hashes, booking versions, FX rates, reps, assignments, prior records. */
  static fingerprint(input: CalculationInput): { hash: string; summary: Record<string, unknown> } {
    const doc = {
      period: input.period,
      plans: input.plans.map((p) => `${p.planId}@v${p.version}:${p.hash}`),
      reps: input.reps.map((r) => [r.repId, r.managerId, r.hireDate, r.terminationDate, r.currency]),
      assignments: input.assignments.map((a) => [a.repId, a.planId, a.startDate, a.endDate, a.annualQuota.toFixed(), a.targetVariable.toFixed(), a.baseSalary.toFixed()]),
      bookings: input.bookings.map((b) => [b.bookingId, b.version]),
      bookingContent: sha256Hex(canonicalJson(input.bookings)),
      fx: sha256Hex(canonicalJson(input.fxRates.map((f) => [f.date, f.from, f.to, f.rate.toFixed()]))),
      prior: [...input.prior.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, p]) => [id, p.earnedBefore.toFixed(), p.balanceBefore.toFixed()]),
    };
    return {
      hash: sha256Hex(canonicalJson(doc)),
      summary: { plans: doc.plans, reps: doc.reps.length, assignments: doc.assignments.length, bookingVersions: doc.bookings.length, bookingContent: doc.bookingContent, fx: doc.fx },
    };
  }

  static resultHash(result: CalculationResult): string {
    return sha256Hex(
      canonicalJson(
        result.payees.map((p) => ({
          repId: p.repId,
          currency: p.currency,
          earnedToDate: p.earnedToDate.toFixed(2),
          earned: p.earned.toFixed(2),
          draw: p.draw.toFixed(2),
          payout: p.payout.toFixed(2),
          balance: p.balance.toFixed(2),
          lines: p.lines.map((l) => [l.kind, l.componentKey, l.ref, l.originPeriod, l.amount.toFixed(2), l.amountPrecise.toFixed()]),
        })),
      ),
    );
  }

  async calculateOne(period: Period, actor: Actor): Promise<RunSummary> {
    const started = Date.now();
    const input = await this.loadInput(period);
    const result = await calculatePeriod(input);
    const fp = CalculationService.fingerprint(input);
    const resultHash = CalculationService.resultHash(result);
    const total = result.payees.reduce((s, p) => s.plus(p.payout), ZERO);
    const runId = await this.db.tx(async (em) => {
      const [old] = await em.query(`SELECT id::text AS id FROM calculation_runs WHERE period = $1 AND superseded_by IS NULL FOR UPDATE`, [period]);
      // the unique "current run" index allows one row with superseded_by NULL: mark the old one first
      if (old) await em.query(`UPDATE calculation_runs SET superseded_by = id WHERE id = $1`, [old.id]);
      const [run] = await em.query(
        `INSERT INTO calculation_runs (period, inputs_hash, result_hash, inputs, payee_count, total_payout, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [period, fp.hash, resultHash, JSON.stringify(fp.summary), result.payees.length, total.toFixed(2), actor.label],
      );
      if (old) await em.query(`UPDATE calculation_runs SET superseded_by = $1 WHERE id = $2`, [run.id, old.id]);
      await this.persistPayees(em, run.id, result.payees);
      const later = await em.query(`UPDATE calculation_runs SET stale = true WHERE period > $1 AND superseded_by IS NULL AND NOT stale RETURNING period`, [period]);
      await this.audit.record(em, actor, {
        action: 'calculation.run',
        entityType: 'period',
        entityId: period,
        before: old ? { runId: old.id } : undefined,
        after: { runId: run.id, payees: result.payees.length, totalPayout: total.toFixed(2), inputsHash: fp.hash, resultHash, staleLaterPeriods: (later[0] ?? []).length ?? 0 },
      });
      return run.id as string;
    });
    this.logger.log(`calculated ${period}: ${result.payees.length} payees, total ${total.toFixed(2)} in ${Date.now() - started} ms`);
    return { runId, period, payees: result.payees.length, totalPayout: total.toFixed(2), inputsHash: fp.hash, resultHash };
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

  /** Payouts of the current run of a period (optionally only some reps). */
  async payouts(period: Period, repIds: Set<string> | null): Promise<PayoutRow[]> {
    const rows = await this.db.query<PayoutRow & { run_id: string }>(
      `SELECT p.rep_id, p.period, p.currency, p.earned_to_date::text AS earned_to_date, p.earned::text AS earned, p.draw::text AS draw,
              p.payout::text AS payout, p.balance_before::text AS balance_before, p.balance::text AS balance, p.plans, r.id::text AS run_id
         FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND r.superseded_by IS NULL ORDER BY p.rep_id`,
      [period],
    );
    return rows.filter((r) => !repIds || repIds.has(r.rep_id));
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
