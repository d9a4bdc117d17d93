import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { periodEnd, Period } from '../core/calendar/dates';
import { teamSources } from '../core/calculation/teams';
import { CreditSource } from '../core/plans/plan-types';
import { MinorUnitOverrides } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlansService } from '../plans/plans.service';
import { InputSnapshot, reader } from './shard-runner';

/** The small facts every payee of a calculation shares, read once per calculation (or estimate). */
export interface SharedFactsRows {
  reps: { repId: string; row: InputSnapshot['reps'][number] }[];
  assignments: InputSnapshot['assignments'];
  fx: InputSnapshot['fx'];
  plans: string[];
  /** Whose bookings payees read besides their own (crediting rules with `from`, overrides over the tree). */
  teamSources: Set<CreditSource>;
  /** Some plan credits renewals on their uplift over the contract they renew. */
  uplift: boolean;
  /** Plan mechanics' facts to the last period's end (issue 15), in snapshot form. */
  payments: NonNullable<InputSnapshot['payments']>;
  activities: NonNullable<InputSnapshot['activities']>;
  objectives: NonNullable<InputSnapshot['objectives']>;
}

/**
 * Reads the facts a calculation starts from, as they are now, and cuts each period's input snapshot from them. The
 * calculation stores the snapshots with its runs; the estimator (estimates/) uses them without storing anything, so
 * an estimate reads exactly what a calculation started at the same moment would.
 */
@Injectable()
export class SharedFactsLoader {
  private readonly minorUnits: MinorUnitOverrides;

  constructor(
    private readonly plans: PlansService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.minorUnits = cfg.currencyMinorUnits;
  }

  /** Reps, assignments, FX (to the last period's end) and plan versions: small, read once per calculation. */
  async load(em: EntityManager, lastEnd: string): Promise<SharedFactsRows> {
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
    const payments = await q<{ payment_id: string; booking_id: string; amount: string; currency: string; paid_date: string; kind: string }>(
      `SELECT payment_id, booking_id, amount::text AS amount, currency, paid_date::text AS paid_date, kind FROM payments WHERE paid_date <= $1 ORDER BY payment_id`,
      [lastEnd],
    );
    const activities = await q<{ activity_id: string; rep_id: string; kind: string; activity_date: string; quantity: string }>(
      `SELECT activity_id, rep_id, kind, activity_date::text AS activity_date, quantity::text AS quantity FROM activities WHERE activity_date <= $1 ORDER BY activity_id`,
      [lastEnd],
    );
    const objectives = await q<{ rep_id: string; objective_id: string; window_key: string; score: string }>(
      `SELECT rep_id, objective_id, window_key, score::text AS score FROM objective_results ORDER BY rep_id, objective_id, window_key`,
    );
    return {
      reps: reps.map((r) => ({ repId: r.rep_id, row: [r.rep_id, r.manager_id, r.hire_date, r.termination_date, r.currency] })),
      assignments: assignments.map((a) => [a.rep_id, a.plan_id, a.start_date, a.end_date, a.annual_quota, a.target_variable, a.base_salary]),
      fx: fx.map((f) => [f.rate_date, f.from_currency, f.to_currency, f.rate]),
      plans: plans.map((p) => p.hash),
      teamSources: teamSources(plans.map((p) => p.document)),
      uplift: plans.some((p) => p.document.crediting.rules.some((r) => r.uplift)),
      payments: payments.map((p) => [p.payment_id, p.booking_id, p.amount, p.currency, p.paid_date, p.kind]),
      activities: activities.map((a) => [a.activity_id, a.rep_id, a.kind, a.activity_date, a.quantity]),
      objectives: objectives.map((o) => [o.rep_id, o.objective_id, o.window_key, o.score]),
    };
  }

  async snapshotFor(em: EntityManager, facts: SharedFactsRows, period: Period): Promise<InputSnapshot> {
    const end = periodEnd(period);
    const payments = facts.payments.filter((p) => p[4] <= end);
    const activities = facts.activities.filter((a) => a[3] <= end);
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
      // recorded only when configured, so a run without it reads (and fingerprints) as before
      ...(this.minorUnits.length ? { minorUnits: this.minorUnits } : {}),
      // the same for plan mechanics' facts: recorded when there are any up to the period's end
      ...(payments.length ? { payments } : {}),
      ...(activities.length ? { activities } : {}),
      ...(facts.objectives.length ? { objectives: facts.objectives } : {}),
    };
  }
}
