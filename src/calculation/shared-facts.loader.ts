import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { periodEnd, Period } from '../core/calendar/dates';
import { teamSources } from '../core/calculation/teams';
import { CreditSource } from '../core/plans/plan-types';
import { MinorUnitOverrides } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlansService } from '../plans/plans.service';
import { CalcInputsRepository } from './calc-inputs.repository';
import { InputSnapshot } from './input-snapshot';

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
    const facts = CalcInputsRepository.of(em);
    const reps = await facts.reps();
    const assignments = await facts.assignments();
    const fx = await facts.fxRates(lastEnd);
    const plans = await this.plans.allVersions();
    const payments = await facts.payments(lastEnd);
    const activities = await facts.activities(lastEnd);
    const objectives = await facts.objectiveResults();
    return {
      reps: reps.map((row) => ({ repId: row[0], row })),
      assignments,
      fx,
      plans: plans.map((p) => p.hash),
      teamSources: teamSources(plans.map((p) => p.document)),
      uplift: plans.some((p) => p.document.crediting.rules.some((r) => r.uplift)),
      payments,
      activities,
      objectives,
    };
  }

  async snapshotFor(em: EntityManager, facts: SharedFactsRows, period: Period): Promise<InputSnapshot> {
    const end = periodEnd(period);
    const payments = facts.payments.filter((p) => p[4] <= end);
    const activities = facts.activities.filter((a) => a[3] <= end);
    const adjustments = await CalcInputsRepository.of(em).adjustments(period);
    return {
      reps: facts.reps.map((r) => r.row),
      assignments: facts.assignments,
      fx: facts.fx.filter((f) => f[0] <= end),
      plans: facts.plans,
      adjustments,
      // recorded only when configured, so a run without it reads (and fingerprints) as before
      ...(this.minorUnits.length ? { minorUnits: this.minorUnits } : {}),
      // the same for plan mechanics' facts: recorded when there are any up to the period's end
      ...(payments.length ? { payments } : {}),
      ...(activities.length ? { activities } : {}),
      ...(facts.objectives.length ? { objectives: facts.objectives } : {}),
    };
  }
}
