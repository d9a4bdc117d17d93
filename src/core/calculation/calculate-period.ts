import { CalendarWindow, IsoDate, Period, addMonths, intersect, periodEnd, previousPeriod, windowsBetween } from '../calendar/dates';
import { ComponentSpec } from '../plans/plan-types';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal, WideDecimal, ZERO, roundHalfUp } from '../money/decimal';
import {
  AdjustmentFacts,
  CalculationInput,
  CalculationResult,
  PayeeResult,
  PayoutLine,
  PriorRecord,
  RepFacts,
  WindowSummary,
} from './calculation-types';
import { EvaluationContext, WindowEvaluation, evaluateComponent } from './components';
import { drawFor, recoveryDeferredUntil, settle } from './draws';
import { withHoldback } from './holdback';
import { EvaluationCache, lastOnOrBefore } from './evaluation-cache';
import { LinePeriod, adjustmentLines, windowLines } from './payout-lines';
import { baseSegmentIndex } from './quota';
import { CompiledPlan, Segment, SharedFacts } from './shared-facts';
import { str } from './components/component-evaluator';

/**
 * The spine of a calculation: which payees and component windows a period has, the cumulative true-up against
 * what earlier periods recorded, and the payee's settlement. Each concern lives in its own module:
 *   crediting.ts (rules, splits, FX, ACV, clawback counting) · quota.ts (ramp, proration, window quota, base rate)
 *   components/ (one evaluator per component type) · payout-lines.ts (line keys, causes, rounding) ·
 *   draws.ts (the balance formula) · evaluation-cache.ts · trace.ts (the trace contract).
 * Pure: same input, same output.
 */

/** Calculates one period (calendar month) for every payee. */
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
    if (periods[k] !== addMonths(periods[k - 1], 1)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `periods must be consecutive months, got ${periods[k - 1]} then ${periods[k]}`);
  }
  if (!periods.length) return;
  const facts = new SharedFacts(input, periodEnd(periods[periods.length - 1]));
  let prior = input.prior;
  for (const period of periods) {
    const result = await new PeriodCalculator(period, facts, prior, input.adjustments?.get(period) ?? [], input.onlyRepIds).run();
    yield result;
    prior = priorAfter(prior, result);
    facts.cache.forgetOpenBefore(periodEnd(period)); // the next period reads evaluations as of this end and its own
  }
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

const NO_EVALUATION: WindowEvaluation = { total: ZERO, attributions: new Map(), summary: { quota: null, credit: ZERO, attainment: null, trace: { kind: 'removed' } } };

class PeriodCalculator {
  private readonly at: LinePeriod;
  private readonly ctx: EvaluationContext;

  constructor(
    private readonly period: Period,
    private readonly facts: SharedFacts,
    private readonly prior: Map<string, PriorRecord>,
    private readonly adjustments: AdjustmentFacts[],
    private readonly onlyRepIds: Set<string> | undefined,
  ) {
    this.at = { period, end: periodEnd(period), prevEnd: periodEnd(previousPeriod(period)) };
    this.ctx = new EvaluationContext(facts, this.at.end);
  }

  async run(): Promise<CalculationResult> {
    const payeeIds = new Set<string>();
    for (const [repId, segs] of this.facts.segmentsOf) if (segs.some((s) => s.range.from <= this.at.end)) payeeIds.add(repId);
    for (const repId of this.prior.keys()) if (this.facts.reps.has(repId)) payeeIds.add(repId);
    for (const a of this.adjustments) if (this.facts.reps.has(a.repId)) payeeIds.add(a.repId);
    const ids = [...payeeIds].filter((id) => !this.onlyRepIds || this.onlyRepIds.has(id)).sort();
    const payees: PayeeResult[] = [];
    for (const id of ids) payees.push(await this.payee(this.facts.reps.get(id) as RepFacts));
    return { period: this.period, payees };
  }

  /**
   * A component window evaluated as of `asOf`, shared with every other period and comparison that sees the same
   * counting bookings (see EvaluationCache.effectiveAsOf). The base-rate segment, which depends on the period, is
   * part of the key.
   */
  private evaluate(rep: RepFacts, segments: Segment[], key: string, c: ComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const effective = EvaluationCache.effectiveAsOf(w, asOf, asOf > w.end ? lastOnOrBefore(this.facts.cancellationDays(rep.repId), asOf) : null);
    const cacheKey = `${rep.repId}|${key}|${effective}|${baseSegmentIndex(segments, w, this.at.end)}`;
    const evaluation = this.facts.cache.evaluation(cacheKey, w, effective, () => evaluateComponent(this.ctx, rep, segments, c, w, effective));
    const policy = segments[0].plan.doc.clawback;
    // a holdback depends on the day itself (what has been released by then), so it applies on top of the shared evaluation
    return policy?.holdback ? evaluation.then((e) => withHoldback(this.facts.cache, e, policy, asOf)) : evaluation;
  }

  private async payee(rep: RepFacts): Promise<PayeeResult> {
    const prior: PriorRecord = this.prior.get(rep.repId) ?? { earnedBefore: ZERO, balanceBefore: ZERO, keys: new Map() };
    const allSegments = this.facts.segmentsOf.get(rep.repId) ?? [];
    const byPlan = new Map<CompiledPlan, Segment[]>();
    for (const s of allSegments) if (s.range.from <= this.at.end) byPlan.set(s.plan, [...(byPlan.get(s.plan) ?? []), s]);

    const lines: PayoutLine[] = [];
    const windows: WindowSummary[] = [];
    const seenKeys = new Set<string>();
    // every amount of the payee rounds to their currency's minor unit (2 for USD, 0 for JPY, 3 for BHD)
    const places = this.facts.minorUnits.of(rep.currency);
    let earnedToDate = ZERO;
    let earned = ZERO;

    for (const [plan, segs] of byPlan) {
      const doc = plan.doc;
      const first = segs.reduce((a, s) => (s.range.from < a ? s.range.from : a), segs[0].range.from);
      for (const c of doc.components) {
        for (const w of windowsBetween(c.window, first, this.at.end)) {
          // The window's quota counts every assignment of the plan in the window, also one that starts later
          // (Eq is a whole-year figure); credit only comes from bookings already effective.
          const inWindow = allSegments.filter((s) => s.plan === plan && intersect(s.range, { from: w.start, to: w.end }));
          if (!inWindow.length) continue;
          const key = `${doc.id}@v${doc.version}:${c.id}:${w.key}`;
          seenKeys.add(key);
          const now = await this.evaluate(rep, inWindow, key, c, w, this.at.end);
          const prev = w.start <= this.at.prevEnd ? await this.evaluate(rep, inWindow, key, c, w, this.at.prevEnd) : null;
          const rounded = roundHalfUp(now.total, places);
          earnedToDate = earnedToDate.plus(rounded);
          const rec = prior.keys.get(key);
          // Unchanged since a period that found this window's record in line with the same evaluation: no lines.
          if (!(prev === now && rec && this.facts.cache.isInSync(rec, now))) {
            const keyLines = windowLines(this.at, key, c, now, prev, rec, rounded, places);
            if (!keyLines.length && prev === now && rec) this.facts.cache.markInSync(rec, now);
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
            commission: rounded.toFixed(places),
            trace: now.summary.trace,
          });
        }
      }
    }
    // Keys recorded earlier that no longer exist (e.g. an assignment removed): reverse what they paid.
    for (const [key, rec] of prior.keys) {
      if (seenKeys.has(key)) continue;
      const keyLines = windowLines(this.at, key, null, NO_EVALUATION, null, rec, ZERO, places);
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
    const adjusted = adjustmentLines(this.adjustments.filter((x) => x.repId === rep.repId), places);
    lines.push(...adjusted);
    const adjustments = adjusted.reduce((s, l) => s.plus(l.amount), ZERO);
    const draw = drawFor(rep, this.period, byPlan, places);
    const settlement = settle(earned.plus(adjustments), prior.balanceBefore, draw, places, recoveryDeferredUntil(rep, this.period, byPlan));
    lines.push(...settlement.lines);
    const lineTotal = lines.reduce((s, l) => s.plus(l.amount), ZERO);
    if (!lineTotal.equals(settlement.payout)) {
      throw new CommissionError(CommissionErrorCode.CALCULATION_FAILED, `internal invariant broken for ${rep.repId}: lines sum to ${lineTotal.toFixed()} but payout is ${settlement.payout.toFixed()}`);
    }
    return {
      repId: rep.repId,
      period: this.period,
      currency: rep.currency,
      minorUnits: places,
      plans: [...byPlan.keys()].map((p) => ({ planId: p.facts.planId, version: p.facts.version, hash: p.facts.hash })),
      earnedToDate,
      earnedBefore: prior.earnedBefore,
      earned,
      balanceBefore: prior.balanceBefore,
      draw: draw?.amount ?? ZERO,
      adjustments,
      payout: settlement.payout,
      balance: settlement.balance,
      lines,
      windows,
    };
  }
}

