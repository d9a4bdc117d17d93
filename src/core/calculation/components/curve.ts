import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, HUNDRED, ZERO } from '../../money/decimal';
import { CurveComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { creditTrace, clawedOn } from '../crediting';
import { windowTarget } from '../quota';
import { Segment } from '../shared-facts';
import { boundary } from '../tiers';
import { CurvePosition, CurveTrace, WindowTrace } from '../trace';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, addAttribution, capped, str } from './component-evaluator';

/** A curve point resolved against the window: its attainment as a credit amount (quota × attainment). */
interface ResolvedPoint {
  at: Decimal;
  value: Decimal;
  label?: string;
}

/**
 * Where `credit` sits on the curve and what it pays there. Points are compared as credit amounts (quota × point),
 * rounded like tier bounds, so a credit of exactly 100% of a prorated quota meets the 100% point. Linear
 * interpolation between points i and i+1: v_i + (v_{i+1} − v_i) × (credit − at_i) / (at_{i+1} − at_i), exact.
 */
export function curveAt(points: ResolvedPoint[], credit: Decimal, linear: boolean): { value: Decimal; position: CurvePosition } {
  const labels = (i: number | null, key: 'fromLabel' | 'toLabel') => (i !== null && points[i - 1]?.label ? { [key]: points[i - 1].label } : {});
  if (!points.length || credit.lessThan(points[0].at)) return { value: ZERO, position: { where: 'below', from: null, to: 1, ...labels(1, 'toLabel') } };
  let i = 0;
  while (i + 1 < points.length && credit.greaterThanOrEqualTo(points[i + 1].at)) i++;
  const p = points[i];
  const n = i + 1; // 1-based
  if (credit.equals(p.at)) return { value: p.value, position: { where: 'at', from: n, to: n, ...labels(n, 'fromLabel') } };
  if (i === points.length - 1) return { value: p.value, position: { where: 'above', from: n, to: null, ...labels(n, 'fromLabel') } };
  const q = points[i + 1];
  const value = linear ? p.value.plus(q.value.minus(p.value).times(credit.minus(p.at)).dividedBy(q.at.minus(p.at))) : p.value;
  return { value, position: { where: 'between', from: n, to: n + 1, ...labels(n, 'fromLabel'), ...labels(n + 1, 'toLabel') } };
}

/**
 * Payout curves and bonus ladders: the window's attainment placed on the plan's points pays a percentage of the
 * window's target variable (or a fixed amount), shared among the window's bookings in proportion to their credit.
 */
export const curveEvaluator: ComponentEvaluator<CurveComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: CurveComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await ctx.windowItems(rep.repId, segments, c.measure, w, asOf);
    const credit = items.reduce((s, i) => s.plus(i.credit), ZERO);
    // points on credit read the window's credit directly (an amount, or a count of deals): no quota needed
    const onCredit = c.pointsOn === 'credit';
    const quota = c.quota ? ctx.windowQuota(rep, segments, w, c.quota) : { quota: ZERO, trace: null };
    const byPct = c.points[0]?.payoutPct !== undefined;
    const target = byPct ? windowTarget(segments, w) : null;
    const attainment = quota.quota.isZero() ? null : credit.dividedBy(quota.quota);
    const scale = onCredit ? new Decimal(1) : quota.quota;
    const points = c.points.map((p) => ({ at: boundary(scale.times(p.attainment)), value: new Decimal((byPct ? p.payoutPct : p.amount) as string), label: p.label }));
    const noQuota = !onCredit && quota.quota.lessThanOrEqualTo(0);
    const { value, position } = noQuota ? { value: ZERO, position: { where: 'below' as const, from: null, to: 1 } } : curveAt(points, credit, c.interpolation === 'linear');
    const total = target ? target.target.times(value).dividedBy(HUNDRED) : value;
    const payoutPct = byPct ? value.toFixed() : null;
    const summaryTrace: WindowTrace = {
      kind: 'curve',
      interpolation: c.interpolation,
      quota: quota.trace,
      target: target?.trace ?? null,
      point: position,
      payoutPct,
      payoutCap: c.payoutCap ?? null,
      ...(noQuota ? { noQuota: true as const } : {}),
    };
    const head: Omit<CurveTrace, keyof ReturnType<typeof creditTrace>> = {
      kind: 'curve',
      interpolation: c.interpolation,
      ...(noQuota ? { noQuota: true as const } : {}),
      windowCredit: credit.toFixed(),
      windowQuota: quota.quota.toFixed(),
      ...(onCredit ? { pointsOn: 'credit' as const } : {}),
      attainment: str(attainment),
      point: position,
      payoutPct,
      windowTarget: target ? target.target.toFixed() : null,
      windowPayout: total.toFixed(),
    };
    // Each booking's share of the window's payout is its share of the window's credit.
    const attributions = new Map<string, Attribution>();
    const paying = credit.greaterThan(0) && !total.isZero();
    for (const i of items) {
      const share = paying ? total.times(i.credit).dividedBy(credit) : ZERO;
      addAttribution(attributions, i.booking.bookingId, share, () => ({ ...head, ...creditTrace(i) }), i.booking, clawedOn(i));
    }
    return capped({ total: paying ? total : ZERO, attributions, summary: { quota: quota.quota, credit, attainment, trace: summaryTrace } }, c.payoutCap);
  },
};
