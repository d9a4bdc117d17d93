import { DateRange, IsoDate, intersect } from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal } from '../money/decimal';
import { PerDealSpiffSpec, PlanDocument } from '../plans/plan-types';
import { RuleEvaluator } from '../rules/rule-evaluator';
import { AssignmentFacts, BookingFacts, CalculationInput, PlanVersionFacts, RepFacts } from './calculation-types';
import { CreditItem, creditBookings } from './crediting';
import { EvaluationCache } from './evaluation-cache';
import { FxTable } from './fx-table';
import { ISO_MINOR_UNITS, MinorUnits } from '../money/minor-units';

/** A plan version with its rules compiled once. */
export interface CompiledPlan {
  facts: PlanVersionFacts;
  doc: PlanDocument;
  crediting: RuleEvaluator;
  spiffs: Map<string, RuleEvaluator>;
}

/** A payee's assignment to one plan version, clipped to the version's effective dates and to employment. */
export interface Segment {
  assignment: AssignmentFacts;
  plan: CompiledPlan;
  range: DateRange;
}

function compile(p: PlanVersionFacts): CompiledPlan {
  return {
    facts: p,
    doc: p.document,
    crediting: new RuleEvaluator(p.document.crediting.rules.map((r) => ({ id: r.id, priority: r.priority ?? 0, conditions: r.conditions }))),
    spiffs: new Map(
      p.document.components
        .filter((c): c is PerDealSpiffSpec => c.type === 'spiff' && c.mode === 'perDeal')
        .map((c) => [c.id, new RuleEvaluator([{ id: c.id, priority: 0, conditions: c.conditions }])]),
    ),
  };
}

/**
 * The facts every period of one calculation reads, indexed once: compiled plans, each payee's plan segments, the
 * bookings credited to each payee, their credit items (memoised), and the evaluation cache shared by consecutive
 * periods.
 */
export class SharedFacts {
  readonly reps = new Map<string, RepFacts>();
  readonly reportsOf = new Map<string, RepFacts[]>();
  readonly fx: FxTable;
  readonly segmentsOf = new Map<string, Segment[]>();
  readonly creditsOf = new Map<string, { booking: BookingFacts; splitPct: Decimal }[]>();
  readonly cache = new EvaluationCache();
  readonly minorUnits: MinorUnits;
  private readonly itemsMemo = new Map<string, Promise<CreditItem[]>>();

  constructor(input: Pick<CalculationInput, 'reps' | 'assignments' | 'bookings' | 'fxRates' | 'plans' | 'minorUnits'>, lastEnd: IsoDate) {
    this.fx = new FxTable(input.fxRates);
    this.minorUnits = input.minorUnits ?? ISO_MINOR_UNITS;
    for (const r of input.reps) this.reps.set(r.repId, r);
    for (const r of input.reps) {
      if (r.managerId) {
        const list = this.reportsOf.get(r.managerId) ?? [];
        list.push(r);
        this.reportsOf.set(r.managerId, list);
      }
    }
    const plansById = new Map<string, CompiledPlan[]>();
    for (const p of input.plans) {
      const list = plansById.get(p.planId) ?? [];
      list.push(compile(p));
      plansById.set(p.planId, list);
    }
    for (const list of plansById.values()) list.sort((a, b) => a.facts.version - b.facts.version);
    for (const a of [...input.assignments].sort((x, y) => (x.startDate < y.startDate ? -1 : x.startDate > y.startDate ? 1 : 0))) {
      const rep = this.reps.get(a.repId);
      if (!rep) continue;
      const versions = plansById.get(a.planId);
      if (!versions) {
        throw new CommissionError(CommissionErrorCode.PLAN_NOT_FOUND, `assignment of ${a.repId} names plan "${a.planId}", which is not loaded`);
      }
      const employment: DateRange = { from: rep.hireDate, to: rep.terminationDate };
      for (const plan of versions) {
        const range = intersect(intersect({ from: a.startDate, to: a.endDate }, employment) ?? { from: '9999-12-31', to: '0000-01-01' }, {
          from: plan.doc.effectiveFrom,
          to: plan.doc.effectiveTo,
        });
        if (!range) continue;
        const list = this.segmentsOf.get(a.repId) ?? [];
        list.push({ assignment: a, plan, range });
        this.segmentsOf.set(a.repId, list);
      }
    }
    for (const b of input.bookings) {
      if (b.bookedDate > lastEnd) continue; // not yet effective for any period calculated here
      for (const c of b.credits) {
        const list = this.creditsOf.get(c.repId) ?? [];
        list.push({ booking: b, splitPct: c.splitPct });
        this.creditsOf.set(c.repId, list);
      }
    }
  }

  /** Every booking credited to a payee, per measure, with its crediting (memoised per payee). */
  creditItems(repId: string): Promise<CreditItem[]> {
    let p = this.itemsMemo.get(repId);
    if (!p) {
      p = creditBookings(this.reps.get(repId) as RepFacts, this.segmentsOf.get(repId) ?? [], this.creditsOf.get(repId) ?? [], this.fx);
      this.itemsMemo.set(repId, p);
    }
    return p;
  }

  /**
   * The sorted days on which a booking credited to the payee (or, for a manager, to a report) was cancelled, and
   * the termination days of both (a plan may claw back on termination): the only days after a window's end on which
   * what counts in it can change.
   */
  cancellationDays(repId: string): IsoDate[] {
    return this.cache.cancellationDays(repId, () => {
      const set = new Set<IsoDate>();
      for (const id of [repId, ...(this.reportsOf.get(repId) ?? []).map((r) => r.repId)]) {
        for (const { booking } of this.creditsOf.get(id) ?? []) if (booking.cancelledDate) set.add(booking.cancelledDate);
        const left = this.reps.get(id)?.terminationDate;
        if (left) set.add(left);
      }
      return [...set].sort();
    });
  }
}
