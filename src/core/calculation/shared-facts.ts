import { DateRange, IsoDate, intersect } from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal } from '../money/decimal';
import { CreditSource, FlatRateComponentSpec, PerDealSpiffSpec } from '../plans/plan-types';
import { inEffect } from '../plans/plan-versions';
import { RuleEvaluator } from '../rules/rule-evaluator';
import { CompiledPlan, Segment } from './segment';
import { ActivityFacts, BookingFacts, CalculationInput, ObjectiveFacts, PaymentFacts, PlanVersionFacts, RepFacts } from './calculation-types';
import { CreditItem, byBookingOrder, creditBookings } from './crediting';
import { Hierarchy, membersOf, readersOf, reportsIndex, teamSources } from './teams';
import { EvaluationCache } from './evaluation-cache';
import { FxTable } from './fx-table';
import { ISO_MINOR_UNITS, MinorUnits } from '../money/minor-units';

export type { CompiledPlan, Segment } from './segment';

/** A plan version with its rules compiled once (crediting, per-deal SPIFs, flat-rate overrides). */
export function compilePlan(p: PlanVersionFacts): CompiledPlan {
  return {
    facts: p,
    doc: p.document,
    crediting: new RuleEvaluator(p.document.crediting.rules.map((r) => ({ id: r.id, priority: r.priority ?? 0, conditions: r.conditions }))),
    spiffs: new Map(
      p.document.components
        .filter((c): c is PerDealSpiffSpec => c.type === 'spiff' && c.mode === 'perDeal')
        .map((c) => [c.id, new RuleEvaluator([{ id: c.id, priority: 0, conditions: c.conditions }])]),
    ),
    rateRules: new Map(
      p.document.components
        .filter((c): c is FlatRateComponentSpec => c.type === 'flatRate' && !!c.rates?.length)
        .map((c) => [c.id, new RuleEvaluator((c.rates ?? []).map((r) => ({ id: r.id, priority: r.priority ?? 0, conditions: r.conditions })))]),
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
  readonly creditsOf = new Map<string, { booking: BookingFacts; splitPct: Decimal; splitType?: 'revenue' | 'overlay' }[]>();
  readonly cache = new EvaluationCache();
  readonly minorUnits: MinorUnits;
  private readonly itemsMemo = new Map<string, Promise<CreditItem[]>>();
  private readonly hierarchy: Hierarchy;
  private readonly paymentsByBooking = new Map<string, PaymentFacts[]>();
  /** Every booking read here by id (for the contracts renewals renew), and the renewed contracts no one here is credited on. */
  private readonly bookingsById = new Map<string, BookingFacts>();
  /** A payee's activities by kind, sorted by date, and their objective results by objective and window. */
  readonly activitiesOf = new Map<string, ActivityFacts[]>();
  readonly objectivesOf = new Map<string, ObjectiveFacts[]>();
  private readonly reportIds: Map<string, string[]>;
  /** The team sources some plan reads (none: cancellation days stay the payee's and direct reports'). */
  private readonly teamSources: Set<CreditSource>;

  constructor(input: Pick<CalculationInput, 'reps' | 'assignments' | 'bookings' | 'fxRates' | 'plans' | 'minorUnits' | 'payments' | 'activities' | 'objectives' | 'renewedContracts'>, lastEnd: IsoDate) {
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
    this.hierarchy = { managerOf: new Map(input.reps.map((r) => [r.repId, r.managerId])) };
    for (const p of input.payments ?? []) if (p.paidDate <= lastEnd) this.paymentsByBooking.set(p.bookingId, [...(this.paymentsByBooking.get(p.bookingId) ?? []), p]);
    for (const a of input.activities ?? []) if (a.date <= lastEnd) this.activitiesOf.set(a.repId, [...(this.activitiesOf.get(a.repId) ?? []), a]);
    for (const o of input.objectives ?? []) this.objectivesOf.set(o.repId, [...(this.objectivesOf.get(o.repId) ?? []), o]);
    this.reportIds = reportsIndex(this.hierarchy);
    this.teamSources = teamSources(input.plans.map((p) => p.document));
    const plansById = new Map<string, CompiledPlan[]>();
    for (const p of input.plans) {
      const list = plansById.get(p.planId) ?? [];
      list.push(compilePlan(p));
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
      const effective = inEffect(versions.map((v) => ({ version: v.facts.version, document: v.doc })));
      for (const plan of versions) {
        const dates = effective.get(plan.facts.version);
        if (!dates) continue; // superseded from its first day by a later version
        const range = intersect(intersect({ from: a.startDate, to: a.endDate }, employment) ?? { from: '9999-12-31', to: '0000-01-01' }, dates);
        if (!range) continue;
        const list = this.segmentsOf.get(a.repId) ?? [];
        list.push({ assignment: a, plan, range });
        this.segmentsOf.set(a.repId, list);
      }
    }
    // indexed only when a plan credits renewals on their uplift (a million bookings need no second index otherwise)
    const uplift = input.plans.some((p) => p.document.crediting.rules.some((r) => r.uplift));
    for (const b of uplift ? (input.renewedContracts ?? []) : []) this.bookingsById.set(b.bookingId, b);
    for (const b of input.bookings) {
      if (uplift) this.bookingsById.set(b.bookingId, b);
      if (b.bookedDate > lastEnd) continue; // not yet effective for any period calculated here
      for (const c of b.credits) {
        const list = this.creditsOf.get(c.repId) ?? [];
        list.push(c.splitType === 'overlay' ? { booking: b, splitPct: c.splitPct, splitType: c.splitType } : { booking: b, splitPct: c.splitPct });
        this.creditsOf.set(c.repId, list);
      }
    }
  }

  /**
   * Every booking credited to a payee, per measure, with its crediting (memoised per payee): their own, and those of
   * their reports or team that rules with `from` credit to them.
   */
  creditItems(repId: string): Promise<CreditItem[]> {
    let p = this.itemsMemo.get(repId);
    if (!p) {
      p = this.credit(repId);
      this.itemsMemo.set(repId, p);
    }
    return p;
  }

  private async credit(repId: string): Promise<CreditItem[]> {
    const rep = this.reps.get(repId) as RepFacts;
    const segments = this.segmentsOf.get(repId) ?? [];
    const lookups = { paymentsOf: (bookingId: string) => this.paymentsByBooking.get(bookingId) ?? [], bookingById: (bookingId: string) => this.bookingsById.get(bookingId) };
    const own = await creditBookings(rep, segments, this.creditsOf.get(repId) ?? [], this.fx, 'self', lookups);
    const sources = new Set<CreditSource>();
    for (const s of segments) for (const r of s.plan.doc.crediting.rules) if (r.from && r.from !== 'self') sources.add(r.from);
    if (!sources.size) return own;
    const all = [...own];
    for (const source of sources) {
      const credits = this.membersOf(repId, source).flatMap((m) => (this.creditsOf.get(m) ?? []).map((c) => ({ ...c, memberId: m })));
      all.push(...(await creditBookings(rep, segments, credits, this.fx, source, lookups)));
    }
    return all.sort(byBookingOrder);
  }

  /** The reps whose bookings `source` reads for a payee (see teams.ts). */
  membersOf(repId: string, source: CreditSource): string[] {
    return membersOf(repId, source, this.hierarchy, this.reportIds);
  }

  /**
   * The sorted days on which a booking credited to the payee (or, for a manager, to a report) was cancelled or had a
   * credit note or refund, and the termination days of both (a plan may claw back on termination): the only days
   * after a window's end on which what counts in it can change.
   */
  cancellationDays(repId: string): IsoDate[] {
    return this.cache.cancellationDays(repId, () => {
      const set = new Set<IsoDate>();
      const readers = this.teamSources.size ? readersOf([repId], new Set([...this.teamSources, 'directReports']), this.hierarchy) : [repId, ...(this.reportsOf.get(repId) ?? []).map((r) => r.repId)];
      for (const id of readers) {
        for (const { booking } of this.creditsOf.get(id) ?? []) {
          if (booking.cancelledDate) set.add(booking.cancelledDate);
          // a credit note or refund takes back from a share earned in an earlier window (payments.ts)
          for (const p of this.paymentsByBooking.get(booking.bookingId) ?? []) if (p.kind !== 'payment') set.add(p.paidDate);
        }
        const left = this.reps.get(id)?.terminationDate;
        if (left) set.add(left);
      }
      return [...set].sort();
    });
  }
}
