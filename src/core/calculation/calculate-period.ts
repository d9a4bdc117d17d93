import {
  CalendarWindow,
  DateRange,
  IsoDate,
  Period,
  daysBetween,
  daysInRange,
  inclusiveDays,
  intersect,
  monthsBetween,
  periodEnd,
  periodOf,
  periodStart,
  periodsBetween,
  previousPeriod,
  rangeContains,
  windowsBetween,
} from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal, HUNDRED, ONE, WideDecimal, ZERO, max, roundHalfUp } from '../money/decimal';
import {
  ComponentSpec,
  OverrideComponentSpec,
  PerDealSpiffSpec,
  PlanDocument,
  QuotaSpec,
  ThresholdSpiffSpec,
  TieredComponentSpec,
} from '../plans/plan-types';
import { RuleEvaluator } from '../rules/rule-evaluator';
import {
  AdjustmentFacts,
  AssignmentFacts,
  BookingFacts,
  CalculationInput,
  CalculationResult,
  LineKind,
  PayeeResult,
  PayoutLine,
  PlanVersionFacts,
  PriorRecord,
  RepFacts,
  Trace,
  WindowSummary,
} from './calculation-types';
import { FxTable } from './fx-table';
import { bandsBetween, boundary, marginal, marginalAmount, reachedTier, resolveTiers } from './tiers';

/** A payee's assignment to one plan version, clipped to the version's effective dates and to employment. */
interface Segment {
  assignment: AssignmentFacts;
  plan: CompiledPlan;
  range: DateRange;
}

interface CompiledPlan {
  facts: PlanVersionFacts;
  doc: PlanDocument;
  crediting: RuleEvaluator;
  spiffs: Map<string, RuleEvaluator>;
}

/** One booking credited to a payee under one measure of one plan segment. */
interface CreditItem {
  booking: BookingFacts;
  repId: string;
  segment: Segment;
  measure: string;
  ruleId: string;
  splitPct: Decimal;
  creditPct: Decimal;
  baseKind: string;
  /** Commissionable base in booking currency (ACV/TCV/first year), before split and credit %. */
  base: Decimal;
  /** base × split × credit %, booking currency. */
  creditBookingCcy: Decimal;
  fxRate: Decimal;
  fxDate: IsoDate | null;
  /** In payee currency. */
  credit: Decimal;
  trace?: Trace;
  ruleFacts?: Record<string, string>;
}

/** Traces are built only for the lines a period emits: most window evaluations explain nothing new. */
type LazyTrace = () => Trace;

interface Attribution {
  amount: Decimal;
  trace: LazyTrace;
  bookingId: string | null;
  booking?: BookingFacts;
}

interface WindowEvaluation {
  total: Decimal;
  attributions: Map<string, Attribution>;
  summary: { quota: Decimal | null; credit: Decimal; attainment: Decimal | null; trace: Trace };
}

const ROUNDING_REF = '~rounding';

/** ACV = amount × 12 / term when the term exceeds 12 months, else the amount. */
export function acvOf(amount: Decimal, termMonths: number): Decimal {
  return termMonths > 12 ? amount.times(12).dividedBy(termMonths) : amount;
}

function firstYearOf(amount: Decimal, termMonths: number): Decimal {
  return termMonths > 12 ? amount.times(12).dividedBy(termMonths) : amount;
}

function bookingFacts(b: BookingFacts, splitPct: Decimal): Record<string, string> {
  return {
    bookingId: b.bookingId,
    type: b.type,
    product: b.product,
    customerId: b.customerId,
    currency: b.currency,
    amount: b.amount.toFixed(),
    acv: acvOf(b.amount, b.termMonths).toFixed(),
    tcv: b.amount.toFixed(),
    firstYear: firstYearOf(b.amount, b.termMonths).toFixed(),
    termMonths: String(b.termMonths),
    splitPct: splitPct.toFixed(),
    bookedDate: b.bookedDate,
  };
}

function str(d: Decimal | null): string | null {
  return d === null ? null : d.toFixed();
}

/**
 * Calculates one period (calendar month) for every payee: E(m) from all facts effective by the month's last day,
 * the cumulative true-up against what earlier periods recorded, draws and the recoverable balance, and payout lines
 * that each carry their explanation and sum exactly to the payout. Pure: same input, same output.
 */
export async function calculatePeriod(input: CalculationInput): Promise<CalculationResult> {
  const facts = new SharedFacts(input, periodEnd(input.period));
  return new PeriodCalculator(input.period, facts, input.prior, input.adjustments ?? [], input.onlyRepIds).run();
}

/** Several consecutive periods in one pass: what each period reads of the one before comes from memory. */
export interface MultiPeriodInput extends Omit<CalculationInput, 'period' | 'adjustments'> {
  /** Consecutive months, ascending. Bookings may run to the last one's end. */
  periods: Period[];
  /** What the current runs of the periods before the first one recorded (as `prior` of a single period). */
  prior: Map<string, PriorRecord>;
  adjustments?: Map<Period, AdjustmentFacts[]>;
}

/**
 * Calculates consecutive periods, yielding each result in order. Identical, period by period, to calling
 * `calculatePeriod` for each month with the prior records the previous month's run would have stored, but crediting
 * every booking once and evaluating each component window once per distinct set of counting bookings.
 */
export async function* calculatePeriods(input: MultiPeriodInput): AsyncGenerator<CalculationResult> {
  const periods = input.periods;
  for (let k = 1; k < periods.length; k++) {
    if (periods[k] !== nextPeriod(periods[k - 1])) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `periods must be consecutive months, got ${periods[k - 1]} then ${periods[k]}`);
  }
  if (!periods.length) return;
  const facts = new SharedFacts(input, periodEnd(periods[periods.length - 1]));
  let prior = input.prior;
  for (const period of periods) {
    const result = await new PeriodCalculator(period, facts, prior, input.adjustments?.get(period) ?? [], input.onlyRepIds).run();
    yield result;
    prior = priorAfter(prior, result);
    facts.forgetOpenBefore(periodEnd(period)); // the next period reads evaluations as of this end and its own

  }
}

function nextPeriod(p: Period): Period {
  const [y, m] = p.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The prior records the next period reads once `result` is stored: exactly what the service's SQL aggregate over
 * stored runs returns. Recorded precise amounts are summed exactly (WideDecimal), as PostgreSQL's numeric sum is, so
 * a chained run and a run reading the database agree to the last digit.
 */
export function priorAfter(prior: Map<string, PriorRecord>, result: CalculationResult): Map<string, PriorRecord> {
  const next = new Map<string, PriorRecord>();
  // A payee without a payout this period starts the next one with no balance, as the stored runs would say.
  for (const [repId, p] of prior) next.set(repId, { earnedBefore: p.earnedBefore, balanceBefore: ZERO, keys: p.keys });
  for (const payee of result.payees) {
    const old = prior.get(payee.repId);
    // Records of windows without new lines stay the same objects (the core recognises them as unchanged).
    const keys = new Map(old?.keys ?? []);
    const copied = new Set<string>();
    for (const l of payee.lines) {
      if (l.componentKey === null) continue;
      let k = keys.get(l.componentKey);
      if (!copied.has(l.componentKey)) {
        copied.add(l.componentKey);
        k = { rounded: k?.rounded ?? ZERO, byRef: new Map(k?.byRef ?? []) };
        keys.set(l.componentKey, k);
      }
      const rec = k as { rounded: Decimal; byRef: Map<string, Decimal> };
      rec.rounded = rec.rounded.plus(l.amount);
      if (l.kind !== 'rounding' && l.ref) rec.byRef.set(l.ref, new WideDecimal(rec.byRef.get(l.ref) ?? 0).plus(l.amountPrecise));
    }
    next.set(payee.repId, { earnedBefore: (old?.earnedBefore ?? ZERO).plus(payee.earned), balanceBefore: payee.balance, keys });
  }
  return next;
}

/** Compiled plans, payees' plan segments and credited bookings: built once, shared by consecutive periods. */
class SharedFacts {
  readonly reps = new Map<string, RepFacts>();
  readonly reportsOf = new Map<string, RepFacts[]>();
  readonly fx: FxTable;
  readonly plansById = new Map<string, CompiledPlan[]>();
  readonly segmentsOf = new Map<string, Segment[]>();
  readonly creditsOf = new Map<string, { booking: BookingFacts; splitPct: Decimal }[]>();
  readonly itemsMemo = new Map<string, Promise<CreditItem[]>>();
  /** Window evaluations by payee, window key, effective as-of date and base-rate segment. */
  readonly evaluations = new Map<string, Promise<WindowEvaluation>>();
  /** Evaluations of windows still open on their as-of date, by that date: no later period asks for them again. */
  readonly openEvaluations = new Map<IsoDate, string[]>();

  /** Forgets open-window evaluations as of days before `day` (a period only reads its own end and the previous one). */
  forgetOpenBefore(day: IsoDate): void {
    for (const [asOf, keys] of this.openEvaluations) {
      if (asOf >= day) continue;
      for (const k of keys) this.evaluations.delete(k);
      this.openEvaluations.delete(asOf);
    }
  }
  /**
   * Prior records (by identity) known to produce no lines against an evaluation: a record is replaced by a new
   * object when a period adds lines to it, so while it stays the same object and the evaluation is the same, the
   * window's lines stay empty.
   */
  readonly inSync = new WeakMap<object, WindowEvaluation>();
  /** Window quotas by payee, plan version, window and allocation. */
  readonly quotas = new Map<string, { quota: Decimal; trace: Trace }>();
  /** Per payee: the sorted days on which a booking it (or, for a manager, a report) was credited for was cancelled. */
  readonly cancellationDays = new Map<string, IsoDate[]>();

  constructor(input: Pick<CalculationInput, 'reps' | 'assignments' | 'bookings' | 'fxRates' | 'plans'>, lastEnd: IsoDate) {
    this.fx = new FxTable(input.fxRates);
    for (const r of input.reps) this.reps.set(r.repId, r);
    for (const r of input.reps) {
      if (r.managerId) {
        const list = this.reportsOf.get(r.managerId) ?? [];
        list.push(r);
        this.reportsOf.set(r.managerId, list);
      }
    }
    for (const p of input.plans) {
      const compiled: CompiledPlan = {
        facts: p,
        doc: p.document,
        crediting: new RuleEvaluator(
          p.document.crediting.rules.map((r) => ({ id: r.id, priority: r.priority ?? 0, conditions: r.conditions })),
        ),
        spiffs: new Map(
          p.document.components
            .filter((c): c is PerDealSpiffSpec => c.type === 'spiff' && c.mode === 'perDeal')
            .map((c) => [c.id, new RuleEvaluator([{ id: c.id, priority: 0, conditions: c.conditions }])]),
        ),
      };
      const list = this.plansById.get(p.planId) ?? [];
      list.push(compiled);
      this.plansById.set(p.planId, list);
    }
    for (const list of this.plansById.values()) list.sort((a, b) => a.facts.version - b.facts.version);
    for (const a of [...input.assignments].sort((x, y) => (x.startDate < y.startDate ? -1 : x.startDate > y.startDate ? 1 : 0))) {
      const rep = this.reps.get(a.repId);
      if (!rep) continue;
      const versions = this.plansById.get(a.planId);
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
}

class PeriodCalculator {
  private readonly end: IsoDate;
  private readonly prevEnd: IsoDate;
  private readonly reps: Map<string, RepFacts>;
  private readonly reportsOf: Map<string, RepFacts[]>;
  private readonly fx: FxTable;
  private readonly segmentsOf: Map<string, Segment[]>;
  private readonly creditsOf: Map<string, { booking: BookingFacts; splitPct: Decimal }[]>;
  private readonly itemsMemo: Map<string, Promise<CreditItem[]>>;

  constructor(
    private readonly period: Period,
    private readonly facts: SharedFacts,
    private readonly prior: Map<string, PriorRecord>,
    private readonly adjustments: AdjustmentFacts[],
    private readonly onlyRepIds: Set<string> | undefined,
  ) {
    this.end = periodEnd(period);
    this.prevEnd = periodEnd(previousPeriod(period));
    this.reps = facts.reps;
    this.reportsOf = facts.reportsOf;
    this.fx = facts.fx;
    this.segmentsOf = facts.segmentsOf;
    this.creditsOf = facts.creditsOf;
    this.itemsMemo = facts.itemsMemo;
  }

  async run(): Promise<CalculationResult> {
    const payeeIds = new Set<string>();
    for (const [repId, segs] of this.segmentsOf) if (segs.some((s) => s.range.from <= this.end)) payeeIds.add(repId);
    for (const repId of this.prior.keys()) if (this.reps.has(repId)) payeeIds.add(repId);
    for (const a of this.adjustments) if (this.reps.has(a.repId)) payeeIds.add(a.repId);
    const ids = [...payeeIds].filter((id) => !this.onlyRepIds || this.onlyRepIds.has(id)).sort();
    const payees: PayeeResult[] = [];
    for (const id of ids) payees.push(await this.payee(this.reps.get(id) as RepFacts));
    return { period: this.period, payees };
  }

  // ---------------------------------------------------------------- crediting

  /** Every booking credited to a rep, per measure, with its crediting trace (memoised per rep). */
  private creditItems(repId: string): Promise<CreditItem[]> {
    let p = this.itemsMemo.get(repId);
    if (!p) {
      p = this.computeCreditItems(repId);
      this.itemsMemo.set(repId, p);
    }
    return p;
  }

  private async computeCreditItems(repId: string): Promise<CreditItem[]> {
    const rep = this.reps.get(repId) as RepFacts;
    const segments = this.segmentsOf.get(repId) ?? [];
    const out: CreditItem[] = [];
    for (const { booking, splitPct } of this.creditsOf.get(repId) ?? []) {
      const segment = segments.find((s) => rangeContains(s.range, booking.bookedDate));
      if (!segment) continue; // booked on a day the payee was not active on any plan
      const facts = bookingFacts(booking, splitPct);
      const verdicts = await segment.plan.crediting.evaluate(facts);
      const taken = new Set<string>();
      for (const v of verdicts) {
        if (!v.passed) continue;
        const rule = segment.plan.doc.crediting.rules.find((r) => r.id === v.id);
        if (!rule || taken.has(rule.measure)) continue;
        taken.add(rule.measure);
        const baseKind = segment.plan.doc.crediting.base;
        const base = baseKind === 'tcv' ? booking.amount : acvOf(booking.amount, booking.termMonths);
        const creditPct = new Decimal(rule.creditPct);
        const creditBookingCcy = base.times(splitPct).dividedBy(HUNDRED).times(creditPct).dividedBy(HUNDRED);
        const fx = this.fx.rateOrThrow(booking.currency, rep.currency, booking.bookedDate);
        out.push({
          booking,
          repId,
          segment,
          measure: rule.measure,
          ruleId: rule.id,
          splitPct,
          creditPct,
          baseKind,
          base,
          creditBookingCcy,
          fxRate: fx.rate,
          fxDate: fx.date,
          credit: creditBookingCcy.times(fx.rate),
        });
      }
    }
    return out.sort(byBookingOrder);
  }

  /** Does the booking still count as of `asOf`? A cancellation inside the plan's clawback window stops it counting. */
  private counts(booking: BookingFacts, plan: PlanDocument, asOf: IsoDate): boolean {
    if (booking.bookedDate > asOf) return false;
    if (!booking.cancelledDate || booking.cancelledDate > asOf || !plan.clawback) return true;
    return daysBetween(booking.bookedDate, booking.cancelledDate) > plan.clawback.windowDays;
  }

  /** The booking facts the plan's rules read, per credited booking (built once). */
  private ruleFacts(i: CreditItem): Record<string, string> {
    return (i.ruleFacts ??= bookingFacts(i.booking, i.splitPct));
  }

  /** A credited booking's trace: built once and shared (callers spread it into new objects, never change it). */
  private creditTrace(i: CreditItem): Trace {
    return (i.trace ??= this.buildCreditTrace(i));
  }

  private buildCreditTrace(i: CreditItem): Trace {
    return {
      bookingId: i.booking.bookingId,
      bookingVersion: i.booking.version,
      bookedDate: i.booking.bookedDate,
      cancelledDate: i.booking.cancelledDate,
      type: i.booking.type,
      product: i.booking.product,
      rule: i.ruleId,
      measure: i.measure,
      amount: i.booking.amount.toFixed(),
      bookingCurrency: i.booking.currency,
      termMonths: i.booking.termMonths,
      baseKind: i.baseKind,
      base: i.base.toFixed(),
      splitPct: i.splitPct.toFixed(),
      creditPct: i.creditPct.toFixed(),
      fxRate: i.fxRate.toFixed(),
      fxDate: i.fxDate,
      credit: i.credit.toFixed(),
    };
  }

  // ---------------------------------------------------------------- quota

  private rampFactor(rep: RepFacts, plan: PlanDocument, p: Period): { factor: Decimal; tenureMonth: number } {
    const tenureMonth = monthsBetween(periodOf(rep.hireDate), p) + 1;
    const ramp = plan.ramp;
    if (!ramp || tenureMonth < 1) return { factor: ONE, tenureMonth };
    const listed = ramp.byTenureMonth[tenureMonth - 1];
    return { factor: new Decimal(listed ?? ramp.thereafter), tenureMonth };
  }

  /** The window's quota from the segments of one plan version, with a month-by-month trace (the same in every period). */
  private windowQuota(rep: RepFacts, segments: Segment[], w: CalendarWindow, spec: QuotaSpec): { quota: Decimal; trace: Trace } {
    const memoKey = `${rep.repId}|${segments[0].plan.facts.hash}|${w.key}|${spec.allocation}|${spec.ramp}`;
    let q = this.facts.quotas.get(memoKey);
    if (!q) this.facts.quotas.set(memoKey, (q = this.computeWindowQuota(rep, segments, w, spec)));
    return q;
  }

  private computeWindowQuota(rep: RepFacts, segments: Segment[], w: CalendarWindow, spec: QuotaSpec): { quota: Decimal; trace: Trace } {
    const doc = segments[0].plan.doc;
    const clip = intersect({ from: w.start, to: w.end }, { from: doc.effectiveFrom, to: doc.effectiveTo }) as DateRange;
    let quota = ZERO;
    const steps: Trace[] = [];
    if (spec.allocation === 'monthly') {
      for (const p of periodsBetween(clip.from, clip.to as IsoDate)) {
        const dim = inclusiveDays(periodStart(p), periodEnd(p));
        for (const s of segments) {
          const active = daysInRange(s.range, periodStart(p), periodEnd(p));
          if (active === 0) continue;
          const { factor, tenureMonth } = spec.ramp ? this.rampFactor(rep, doc, p) : { factor: ONE, tenureMonth: monthsBetween(periodOf(rep.hireDate), p) + 1 };
          const q = s.assignment.annualQuota.dividedBy(12).times(factor).times(active).dividedBy(dim);
          quota = quota.plus(q);
          steps.push({ month: p, tenureMonth, ramp: factor.toFixed(), activeDays: active, daysInMonth: dim, annualQuota: s.assignment.annualQuota.toFixed(), quota: q.toFixed() });
        }
      }
    } else {
      const months = monthsBetween(periodOf(w.start), periodOf(w.end)) + 1;
      const days = inclusiveDays(w.start, w.end);
      for (const s of segments) {
        const active = daysInRange(s.range, clip.from, clip.to as IsoDate);
        if (active === 0) continue;
        const q = s.assignment.annualQuota.times(months).dividedBy(12).times(active).dividedBy(days);
        quota = quota.plus(q);
        steps.push({ window: w.key, months, activeDays: active, daysInWindow: days, annualQuota: s.assignment.annualQuota.toFixed(), quota: q.toFixed() });
      }
    }
    return { quota, trace: { allocation: spec.allocation, ramp: spec.ramp, steps } };
  }

  /** Base rate V/Q of the assignment in force at the window's (or period's) end. */
  private baseRate(segments: Segment[], w: CalendarWindow): { rate: Decimal; trace: Trace } {
    const at = w.end < this.end ? w.end : this.end;
    const candidates = segments.filter((s) => s.range.from <= at);
    const s = candidates.length ? candidates[candidates.length - 1] : segments[0];
    const q = s.assignment.annualQuota;
    const v = s.assignment.targetVariable;
    const rate = q.isZero() ? ZERO : v.dividedBy(q);
    return { rate, trace: { targetVariable: v.toFixed(), annualQuota: q.toFixed(), baseRate: rate.toFixed() } };
  }

  // ---------------------------------------------------------------- components

  /**
   * A window's evaluation depends on the as-of date only through which bookings count: once the window has ended,
   * only a cancellation can change that. So the as-of date is moved back to the window's end or the last
   * cancellation day before it, and the evaluation is shared by every period (and every previous-period comparison)
   * that sees the same bookings. The base-rate segment, which depends on the period, is part of the key.
   */
  private evaluateCached(rep: RepFacts, segments: Segment[], c: ComponentSpec, w: CalendarWindow, key: string, asOf: IsoDate): Promise<WindowEvaluation> {
    let effective = asOf;
    if (asOf > w.end) {
      const cancelled = this.lastCancellationOnOrBefore(rep.repId, asOf);
      effective = cancelled !== null && cancelled > w.end ? cancelled : w.end;
    }
    const at = w.end < this.end ? w.end : this.end;
    const baseSegment = segments.filter((s) => s.range.from <= at).length;
    const cacheKey = `${rep.repId}|${key}|${effective}|${baseSegment}`;
    let e = this.facts.evaluations.get(cacheKey);
    if (!e) {
      e = this.evaluateWindow(rep, segments, c, w, effective);
      this.facts.evaluations.set(cacheKey, e);
      if (effective < w.end) {
        const open = this.facts.openEvaluations.get(effective) ?? [];
        open.push(cacheKey);
        this.facts.openEvaluations.set(effective, open);
      }
    }
    return e;
  }

  private lastCancellationOnOrBefore(repId: string, day: IsoDate): IsoDate | null {
    let days = this.facts.cancellationDays.get(repId);
    if (!days) {
      const set = new Set<IsoDate>();
      for (const id of [repId, ...(this.reportsOf.get(repId) ?? []).map((r) => r.repId)]) {
        for (const { booking } of this.creditsOf.get(id) ?? []) if (booking.cancelledDate) set.add(booking.cancelledDate);
      }
      days = [...set].sort();
      this.facts.cancellationDays.set(repId, days);
    }
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid] <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : days[lo - 1];
  }

  private async evaluateWindow(
    rep: RepFacts,
    segments: Segment[],
    c: ComponentSpec,
    w: CalendarWindow,
    asOf: IsoDate,
  ): Promise<WindowEvaluation> {
    switch (c.type) {
      case 'tiered':
        return this.tiered(rep, segments, c, w, asOf);
      case 'flatRate': {
        const items = await this.windowItems(rep.repId, segments, c.measure, w, asOf);
        const rate = new Decimal(c.rate);
        const attributions = new Map<string, Attribution>();
        let credit = ZERO;
        for (const i of items) {
          credit = credit.plus(i.credit);
          addAttribution(attributions, i.booking.bookingId, i.credit.times(rate), () => ({ ...this.creditTrace(i), rate: rate.toFixed() }), i.booking);
        }
        return capped({ total: credit.times(rate), attributions, summary: { quota: null, credit, attainment: null, trace: { rate: rate.toFixed() } } }, c.payoutCap);
      }
      case 'spiff':
        return c.mode === 'perDeal' ? this.perDealSpiff(rep, segments, c, w, asOf) : this.thresholdSpiff(rep, segments, c, w, asOf);
      case 'override':
        return this.override(rep, segments, c, w, asOf);
    }
  }

  private async windowItems(repId: string, segments: Segment[], measure: string, w: CalendarWindow, asOf: IsoDate): Promise<CreditItem[]> {
    const plan = segments[0].plan;
    return (await this.creditItems(repId)).filter(
      (i) =>
        i.segment.plan === plan &&
        i.measure === measure &&
        i.booking.bookedDate >= w.start &&
        i.booking.bookedDate <= w.end &&
        this.counts(i.booking, plan.doc, asOf),
    );
  }

  private async tiered(rep: RepFacts, segments: Segment[], c: TieredComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await this.windowItems(rep.repId, segments, c.measure, w, asOf);
    const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
    const quota = c.quota ? this.windowQuota(rep, segments, w, c.quota) : null;
    const unit = c.rateUnit === 'baseRate' ? this.baseRate(segments, w) : { rate: ONE, trace: { rateUnit: 'absolute' } };
    const scale = c.tierBasis === 'attainment' ? (quota?.quota ?? ZERO) : ONE;
    const attainment = quota && !quota.quota.isZero() ? credit.dividedBy(quota.quota) : null;
    const summaryTrace: Trace = {
      method: c.method,
      measurement: c.measurement,
      tierBasis: c.tierBasis,
      quota: quota?.trace ?? null,
      rateUnit: unit.trace,
      gate: c.gate ?? null,
      attainmentCap: c.attainmentCap ?? null,
      payoutCap: c.payoutCap ?? null,
    };
    const summary = { quota: quota?.quota ?? null, credit, attainment, trace: summaryTrace };
    const attributions = new Map<string, Attribution>();
    if (c.tierBasis === 'attainment' && scale.lessThanOrEqualTo(0)) {
      summaryTrace.note = 'no quota in this window: nothing is payable on attainment tiers';
      for (const i of items) addAttribution(attributions, i.booking.bookingId, ZERO, () => this.creditTrace(i), i.booking);
      return { total: ZERO, attributions, summary };
    }
    const tiers = resolveTiers(c.tiers, scale, unit.rate, c.interpolation === 'linear');
    const cap = c.attainmentCap !== undefined ? boundary(new Decimal(c.attainmentCap).times(scale)) : null;
    const gate = c.gate !== undefined ? boundary(new Decimal(c.gate).times(scale)) : null;
    let total = ZERO;

    if (c.measurement === 'perDeal') {
      for (const i of items) {
        const y = i.credit;
        let amount = ZERO;
        let detail: Trace;
        if (gate && y.lessThan(gate)) detail = { gateMet: false };
        else if (c.method === 'marginal') {
          const m = marginal(tiers, y, cap);
          amount = m.amount;
          detail = { bands: m.bands, capHit: cap !== null && y.greaterThan(cap) };
        } else {
          const counted = cap !== null && y.greaterThan(cap) ? cap : y;
          const reached = reachedTier(tiers, counted);
          amount = reached && counted.greaterThan(0) ? counted.times(reached.rate) : ZERO;
          detail = { tier: reached ? reached.tier.index + 1 : null, tierLabel: reached?.tier.label ?? null, rate: str(reached?.rate ?? null), capHit: cap !== null && y.greaterThan(cap) };
        }
        total = total.plus(amount);
        const d = detail;
        addAttribution(attributions, i.booking.bookingId, amount, () => ({ ...this.creditTrace(i), ...d }), i.booking);
      }
      return capped({ total, attributions, summary }, c.payoutCap);
    }

    const gateMet = !gate || credit.greaterThanOrEqualTo(gate);
    summaryTrace.gateMet = gateMet;
    if (c.method === 'marginal') {
      const whole = marginal(tiers, credit, cap);
      total = gateMet ? whole.amount : ZERO;
      summaryTrace.bands = whole.bands;
      summaryTrace.capHit = cap !== null && credit.greaterThan(cap);
      // Bookings fill the bands in booked order, so each booking's share is the commission its credit added.
      let position = ZERO;
      let below = ZERO; // marginal amount at `position`
      for (const i of items) {
        const next = position.plus(i.credit);
        const upTo = marginalAmount(tiers, next, cap);
        const before = position;
        addAttribution(
          attributions,
          i.booking.bookingId,
          gateMet ? upTo.minus(below) : ZERO,
          () => ({
            ...this.creditTrace(i),
            positionBefore: before.toFixed(),
            positionAfter: next.toFixed(),
            bands: bandsBetween(tiers, before, next, cap).bands,
            capHit: cap !== null && next.greaterThan(cap),
            gateMet,
          }),
          i.booking,
        );
        position = next;
        below = upTo;
      }
    } else {
      const counted = cap !== null && credit.greaterThan(cap) ? cap : credit;
      const reached = gateMet && counted.greaterThan(0) ? reachedTier(tiers, counted) : null;
      const rate = reached?.rate ?? ZERO;
      const factor = credit.isZero() ? ZERO : counted.dividedBy(credit);
      total = counted.greaterThan(0) ? counted.times(rate) : ZERO;
      summaryTrace.tier = reached ? reached.tier.index + 1 : null;
      summaryTrace.tierLabel = reached?.tier.label ?? null;
      summaryTrace.rate = rate.toFixed();
      summaryTrace.capHit = cap !== null && credit.greaterThan(cap);
      const tier = summaryTrace.tier;
      const tierLabel = summaryTrace.tierLabel;
      for (const i of items) {
        const amount = total.isZero() ? ZERO : i.credit.times(factor).times(rate);
        addAttribution(
          attributions,
          i.booking.bookingId,
          amount,
          () => ({ ...this.creditTrace(i), tier, tierLabel, rate: rate.toFixed(), gateMet, windowAttainment: str(attainment) }),
          i.booking,
        );
      }
    }
    return capped({ total, attributions, summary }, c.payoutCap);
  }

  private async perDealSpiff(rep: RepFacts, segments: Segment[], c: PerDealSpiffSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const plan = segments[0].plan;
    const evaluator = plan.spiffs.get(c.id) as RuleEvaluator;
    const amount = new Decimal(c.amount);
    const attributions = new Map<string, Attribution>();
    let total = ZERO;
    const seen = new Set<string>();
    for (const i of await this.creditItems(rep.repId)) {
      const b = i.booking;
      if (i.segment.plan !== plan || seen.has(b.bookingId)) continue;
      seen.add(b.bookingId);
      if (b.bookedDate < w.start || b.bookedDate > w.end || b.bookedDate < c.from || b.bookedDate > c.to) continue;
      if (!this.counts(b, plan.doc, asOf)) continue;
      const [verdict] = await evaluator.evaluate(this.ruleFacts(i));
      if (!verdict.passed) continue;
      const pay = c.splitAdjusted ? amount.times(i.splitPct).dividedBy(HUNDRED) : amount;
      total = total.plus(pay);
      addAttribution(
        attributions,
        b.bookingId,
        pay,
        () => ({ ...this.creditTrace(i), spiff: c.id, spiffAmount: amount.toFixed(), splitAdjusted: c.splitAdjusted, conditions: verdict.conditions }),
        b,
      );
    }
    return { total, attributions, summary: { quota: null, credit: ZERO, attainment: null, trace: { spiff: c.id, from: c.from, to: c.to } } };
  }

  private async thresholdSpiff(rep: RepFacts, segments: Segment[], c: ThresholdSpiffSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = (await this.windowItems(rep.repId, segments, c.measure, w, asOf)).filter((i) => i.booking.bookedDate >= c.from && i.booking.bookedDate <= c.to);
    const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
    const quota = this.windowQuota(rep, segments, w, c.quota);
    const attainment = quota.quota.isZero() ? null : credit.dividedBy(quota.quota);
    const reached = !quota.quota.isZero() && credit.greaterThanOrEqualTo(boundary(quota.quota.times(c.attainment)));
    const total = reached ? new Decimal(c.amount) : ZERO;
    const attributions = new Map<string, Attribution>();
    if (reached) attributions.set(`threshold:${c.id}`, { amount: total, bookingId: null, trace: () => ({ spiff: c.id, threshold: c.attainment, attainment: str(attainment), credit: credit.toFixed(), quota: quota.quota.toFixed() }) });
    return { total, attributions, summary: { quota: quota.quota, credit, attainment, trace: { threshold: c.attainment, reached, quota: quota.trace } } };
  }

  private async override(rep: RepFacts, segments: Segment[], c: OverrideComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const rate = new Decimal(c.rate);
    const attributions = new Map<string, Attribution>();
    let credit = ZERO;
    for (const report of this.reportsOf.get(rep.repId) ?? []) {
      for (const i of await this.creditItems(report.repId)) {
        const b = i.booking;
        if (i.measure !== i.segment.plan.doc.quotaMeasure) continue;
        if (b.bookedDate < w.start || b.bookedDate > w.end) continue;
        if (!segments.some((s) => rangeContains(s.range, b.bookedDate))) continue; // manager active that day too
        if (!this.counts(b, i.segment.plan.doc, asOf)) continue;
        const fx = this.fx.rateOrThrow(b.currency, rep.currency, b.bookedDate);
        const teamCredit = i.creditBookingCcy.times(fx.rate);
        credit = credit.plus(teamCredit);
        const ref = `${b.bookingId}/${report.repId}`;
        attributions.set(ref, {
          amount: teamCredit.times(rate),
          bookingId: b.bookingId,
          booking: b,
          trace: () => ({
            ...this.creditTrace(i),
            report: report.repId,
            reportPlan: i.segment.plan.facts.planId,
            fxRate: fx.rate.toFixed(),
            fxDate: fx.date,
            credit: teamCredit.toFixed(),
            overrideRate: rate.toFixed(),
          }),
        });
      }
    }
    return { total: credit.times(rate), attributions, summary: { quota: null, credit, attainment: null, trace: { rate: rate.toFixed(), source: c.source } } };
  }

  // ---------------------------------------------------------------- payee

  private async payee(rep: RepFacts): Promise<PayeeResult> {
    const prior: PriorRecord = this.prior.get(rep.repId) ?? { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() };
    const allSegments = this.segmentsOf.get(rep.repId) ?? [];
    const segments = allSegments.filter((s) => s.range.from <= this.end);
    const byPlan = new Map<CompiledPlan, Segment[]>();
    for (const s of segments) byPlan.set(s.plan, [...(byPlan.get(s.plan) ?? []), s]);

    const lines: PayoutLine[] = [];
    const windows: WindowSummary[] = [];
    const seenKeys = new Set<string>();
    let earnedToDate = ZERO;
    let earned = ZERO;

    for (const [plan, segs] of byPlan) {
      const doc = plan.doc;
      const first = segs.reduce((a, s) => (s.range.from < a ? s.range.from : a), segs[0].range.from);
      for (const c of doc.components) {
        for (const w of windowsBetween(c.window, first, this.end)) {
          // The window's quota counts every assignment of the plan in the window, also one that starts later
          // (Eq is a whole-year figure); credit only comes from bookings already effective.
          const inWindow = allSegments.filter((s) => s.plan === plan && intersect(s.range, { from: w.start, to: w.end }));
          if (!inWindow.length) continue;
          const key = `${doc.id}@v${doc.version}:${c.id}:${w.key}`;
          seenKeys.add(key);
          const now = await this.evaluateCached(rep, inWindow, c, w, key, this.end);
          const prev = w.start <= this.prevEnd ? await this.evaluateCached(rep, inWindow, c, w, key, this.prevEnd) : null;
          const rounded = roundHalfUp(now.total);
          earnedToDate = earnedToDate.plus(rounded);
          const rec = prior.keys.get(key);
          // Unchanged since a period that found this window's record in line with the same evaluation: no lines.
          if (!(prev === now && rec && this.facts.inSync.get(rec) === now)) {
            const keyLines = this.keyLines(key, c, now, prev, rec, rounded);
            if (!keyLines.length && prev === now && rec) this.facts.inSync.set(rec, now);
            for (const l of keyLines) earned = earned.plus(l.amount);
            lines.push(...keyLines);
          }
          windows.push({
            componentKey: key,
            planId: doc.id,
            planVersion: doc.version,
            componentId: c.id,
            componentType: c.type,
            window: w.key,
            windowStart: w.start,
            windowEnd: w.end,
            quota: str(now.summary.quota),
            credit: now.summary.credit.toFixed(),
            attainment: str(now.summary.attainment),
            commissionPrecise: now.total.toFixed(),
            commission: rounded.toFixed(2),
            trace: now.summary.trace,
          });
        }
      }
    }
    // Keys recorded earlier that no longer exist (e.g. an assignment removed): reverse what they paid.
    for (const [key, rec] of prior.keys) {
      if (seenKeys.has(key)) continue;
      const keyLines = this.keyLines(key, null, { total: ZERO, attributions: new Map(), summary: { quota: null, credit: ZERO, attainment: null, trace: {} } }, null, rec, ZERO);
      for (const l of keyLines) earned = earned.plus(l.amount);
      lines.push(...keyLines);
    }

    const expected = earnedToDate.minus(prior.earnedBefore);
    if (!expected.equals(earned)) {
      throw new CommissionError(
        CommissionErrorCode.CALCULATION_FAILED,
        `internal invariant broken for ${rep.repId} ${this.period}: lines earn ${earned.toFixed()} but E(m) − earned before = ${expected.toFixed()}`,
      );
    }

    // Manual adjustments are paid as booked; they stay outside E(m) so a later true-up never reverses them.
    let adjusted = ZERO;
    for (const a of this.adjustments.filter((x) => x.repId === rep.repId).sort((p, q) => (BigInt(p.id) < BigInt(q.id) ? -1 : BigInt(p.id) > BigInt(q.id) ? 1 : 0))) {
      const amount = roundHalfUp(a.amount);
      adjusted = adjusted.plus(amount);
      lines.push({
        kind: 'adjustment',
        componentKey: null,
        ref: `adj:${a.id}`,
        bookingId: null,
        originPeriod: a.originPeriod,
        amount,
        amountPrecise: a.amount,
        description: `adjustment ${a.id} (${a.reasonCode})${a.originPeriod ? ` for ${a.originPeriod}` : ''}${a.originRef ? `, ${a.originRef}` : ''}: ${a.note}`,
        trace: { adjustmentId: a.id, reasonCode: a.reasonCode, note: a.note, originPeriod: a.originPeriod, originRef: a.originRef, amount: a.amount.toFixed() },
      });
    }

    // Draws and the recoverable balance: x = earned + adjustments − b(m−1); payout = max(x, g, 0); b(m) = payout − x.
    const draw = this.drawFor(rep, byPlan);
    const b0 = prior.balanceBefore;
    const x = earned.plus(adjusted).minus(b0);
    const g = draw.amount;
    const payout = max(x, g, ZERO);
    const balance = draw.kind === 'nonRecoverable' && g.greaterThan(max(x, ZERO)) ? max(x, ZERO).minus(x) : payout.minus(x);
    if (!b0.isZero()) {
      lines.push(balanceLine('balance_recovery', b0.negated(), `recovery of outstanding balance ${b0.toFixed(2)} (draws and clawbacks not yet earned back)`, { balanceBefore: b0.toFixed(2) }));
    }
    if (payout.greaterThan(x)) {
      if (g.greaterThan(0) && payout.equals(g)) {
        const topUp = g.minus(max(x, ZERO));
        lines.push(balanceLine('draw', topUp, `${draw.kind === 'recoverable' ? 'recoverable' : 'non-recoverable'} draw: guaranteed ${g.toFixed(2)} for tenure month ${draw.tenureMonth}`, { ...draw.trace, earnedNet: x.toFixed(2) }));
        if (x.lessThan(0)) lines.push(balanceLine('negative_carried_forward', x.negated(), `net ${x.toFixed(2)} carried forward as balance owed`, { earnedNet: x.toFixed(2) }));
      } else {
        lines.push(balanceLine('negative_carried_forward', x.negated(), `net ${x.toFixed(2)} carried forward as balance owed`, { earnedNet: x.toFixed(2) }));
      }
    }
    const lineTotal = lines.reduce((s, l) => s.plus(l.amount), ZERO);
    if (!lineTotal.equals(payout)) {
      throw new CommissionError(CommissionErrorCode.CALCULATION_FAILED, `internal invariant broken for ${rep.repId}: lines sum to ${lineTotal.toFixed()} but payout is ${payout.toFixed()}`);
    }
    return {
      repId: rep.repId,
      period: this.period,
      currency: rep.currency,
      plans: [...byPlan.keys()].map((p) => ({ planId: p.facts.planId, version: p.facts.version, hash: p.facts.hash })),
      earnedToDate,
      earnedBefore: prior.earnedBefore,
      earned,
      balanceBefore: b0,
      draw: g,
      adjustments: adjusted,
      payout,
      balance,
      lines,
      windows,
    };
  }

  /** Lines of one component window: this period's changes, prior-period adjustments and one rounding line. */
  private keyLines(
    key: string,
    c: ComponentSpec | null,
    now: WindowEvaluation,
    prev: WindowEvaluation | null,
    rec: { rounded: Decimal; byRef: Map<string, Decimal> } | undefined,
    rounded: Decimal,
  ): PayoutLine[] {
    const out: PayoutLine[] = [];
    const refs = new Set<string>([...now.attributions.keys(), ...(prev?.attributions.keys() ?? []), ...(rec?.byRef.keys() ?? [])]);
    const kind: LineKind = c?.type === 'spiff' ? 'spiff' : c?.type === 'override' ? 'override' : 'commission';
    const label = c?.label ?? c?.id ?? key;
    for (const ref of [...refs].sort()) {
      const n = now.attributions.get(ref);
      const p = prev?.attributions.get(ref);
      const r = rec?.byRef.get(ref) ?? ZERO;
      const nowAmt = n?.amount ?? ZERO;
      const prevAmt = p?.amount ?? ZERO;
      const booking = n?.booking ?? p?.booking;
      const bookingId = n?.bookingId ?? p?.bookingId ?? (ref.startsWith('threshold:') ? null : ref.split('/')[0]);
      const priorPart = prevAmt.eq(r) ? ZERO : prevAmt.minus(r);
      const currentPart = nowAmt.eq(prevAmt) ? ZERO : nowAmt.minus(prevAmt);
      if (!priorPart.isZero()) {
        const origin = booking ? this.originPeriod(booking) : previousPeriod(this.period);
        // Why an earlier period changed: reconciliation treats a cancellation as policy, anything else as an error.
        const cause =
          booking?.cancelledDate && booking.cancelledDate <= this.prevEnd && prevAmt.isZero()
            ? 'cancellation'
            : r.isZero()
              ? 'backdated'
              : booking && booking.version > 1
                ? 'amended'
                : 'recalculation';
        out.push({
          kind: 'prior_period_adjustment',
          componentKey: key,
          ref,
          bookingId,
          originPeriod: origin,
          amount: roundHalfUp(priorPart),
          amountPrecise: priorPart,
          description: `prior-period adjustment for ${origin}: ${label}${bookingId ? `, booking ${bookingId}` : ''} (recorded ${r.toFixed(2)}, now ${prevAmt.toFixed(2)})`,
          trace: { ...(p ? p.trace() : n ? n.trace() : {}), cause, recorded: r.toFixed(), recalculated: prevAmt.toFixed() },
        });
      }
      if (!currentPart.isZero()) {
        // A booking that stopped counting this period because it was cancelled (by whichever plan credited it: an
        // override follows the report's plan) is a clawback.
        const claw =
          !!booking?.cancelledDate && booking.cancelledDate <= this.end && booking.cancelledDate > this.prevEnd && nowAmt.isZero() && !prevAmt.isZero();
        out.push({
          kind: claw ? 'clawback' : kind,
          componentKey: key,
          ref,
          bookingId,
          originPeriod: claw && booking ? periodOf(booking.bookedDate) : null,
          amount: roundHalfUp(currentPart),
          amountPrecise: currentPart,
          description: claw
            ? `clawback: booking ${bookingId} cancelled ${booking?.cancelledDate} within the clawback window (${label})`
            : `${label}${bookingId ? `: booking ${bookingId}` : ''}`,
          trace: { ...(n ? n.trace() : p ? p.trace() : {}), windowAmountBefore: prevAmt.toFixed(), windowAmountNow: nowAmt.toFixed() },
        });
      }
    }
    const target = rounded.minus(rec?.rounded ?? ZERO);
    const sumRounded = out.reduce((s, l) => s.plus(l.amount), ZERO);
    const diff = target.minus(sumRounded);
    if (!diff.isZero()) {
      out.push({
        kind: 'rounding',
        componentKey: key,
        ref: ROUNDING_REF,
        bookingId: null,
        originPeriod: null,
        amount: diff,
        amountPrecise: diff,
        description: `rounding: ${label} is rounded once per window (window total ${rounded.toFixed(2)})`,
        trace: { windowTotalPrecise: now.total.toFixed(), windowTotalRounded: rounded.toFixed(2), recordedBefore: (rec?.rounded ?? ZERO).toFixed(2) },
      });
    }
    return out;
  }

  private originPeriod(b: BookingFacts): Period {
    if (b.cancelledDate && b.cancelledDate <= this.prevEnd) return periodOf(b.cancelledDate);
    return periodOf(b.bookedDate);
  }

  private drawFor(rep: RepFacts, byPlan: Map<CompiledPlan, Segment[]>): { amount: Decimal; kind: 'recoverable' | 'nonRecoverable'; tenureMonth: number; trace: Trace } {
    const start = periodStart(this.period);
    const tenureMonth = monthsBetween(periodOf(rep.hireDate), this.period) + 1;
    for (const [plan, segs] of byPlan) {
      const d = plan.doc.draw;
      if (!d) continue;
      if (tenureMonth < d.tenureMonths.from || tenureMonth > d.tenureMonths.to) continue;
      if ((d.hiredFrom && rep.hireDate < d.hiredFrom) || (d.hiredTo && rep.hireDate > d.hiredTo)) continue;
      const active = segs.some((s) => daysInRange(s.range, start, this.end) > 0);
      if (!active) continue;
      return { amount: new Decimal(d.amount), kind: d.kind, tenureMonth, trace: { plan: plan.facts.planId, drawKind: d.kind, guaranteed: d.amount, tenureMonth } };
    }
    return { amount: ZERO, kind: 'recoverable', tenureMonth, trace: {} };
  }
}

function addAttribution(map: Map<string, Attribution>, ref: string, amount: Decimal, trace: LazyTrace, booking: BookingFacts): void {
  const existing = map.get(ref);
  if (existing) {
    existing.amount = existing.amount.plus(amount);
    const before = existing.trace;
    existing.trace = () => {
      const t = before();
      return { ...t, parts: [...((t.parts as Trace[]) ?? [t]), trace()] };
    };
  } else map.set(ref, { amount, trace: () => ({ ...trace(), amount: amount.toFixed() }), bookingId: booking.bookingId, booking });
}

/** A payout cap scales every booking's share down in proportion. */
function capped(e: WindowEvaluation, payoutCap: string | undefined): WindowEvaluation {
  if (payoutCap === undefined) return e;
  const cap = new Decimal(payoutCap);
  if (!e.total.greaterThan(cap)) {
    e.summary.trace.payoutCapHit = false;
    return e;
  }
  const factor = cap.dividedBy(e.total);
  for (const a of e.attributions.values()) {
    const before = a.trace;
    const uncapped = a.amount;
    a.trace = () => ({ ...before(), uncapped: uncapped.toFixed(), payoutCapHit: true, capFactor: factor.toFixed() });
    a.amount = a.amount.times(factor);
  }
  e.summary.trace.payoutCapHit = true;
  e.summary.trace.uncapped = e.total.toFixed();
  return { ...e, total: cap };
}

function balanceLine(kind: LineKind, amount: Decimal, description: string, trace: Trace): PayoutLine {
  return { kind, componentKey: null, ref: null, bookingId: null, originPeriod: null, amount, amountPrecise: amount, description, trace };
}

function byBookingOrder(a: CreditItem, b: CreditItem): number {
  if (a.booking.bookedDate !== b.booking.bookedDate) return a.booking.bookedDate < b.booking.bookedDate ? -1 : 1;
  if (a.booking.bookingId !== b.booking.bookingId) return a.booking.bookingId < b.booking.bookingId ? -1 : 1;
  return a.measure < b.measure ? -1 : a.measure > b.measure ? 1 : 0;
}

export { ZERO };
