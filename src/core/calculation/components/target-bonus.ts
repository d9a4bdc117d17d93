import { CalendarWindow, IsoDate, daysInRange, inclusiveDays } from '../../calendar/dates';
import { Decimal, ONE, ZERO, min } from '../../money/decimal';
import { TargetBonusComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { Segment } from '../shared-facts';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation, capped } from './component-evaluator';

/**
 * Fixed target bonuses and MBOs: amount × min(score, maxScore) × days of the window on the plan / days in the window,
 * earned at the window's end (paid with its last period). The score is the payee's result on the objective for the
 * window (objectives.csv); none imported yet pays nothing,
 * and a result imported late reaches a closed window as a prior-period adjustment like any late fact.
 */
export const targetBonusEvaluator: ComponentEvaluator<TargetBonusComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: TargetBonusComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    // earned when the window is complete: a Q1 objective pays in March's payout (or later, when its result comes late)
    const result = asOf >= w.end ? (ctx.facts.objectivesOf.get(rep.repId) ?? []).find((o) => o.objectiveId === c.objective && o.window === w.key) : undefined;
    const maxScore = c.maxScore !== undefined ? new Decimal(c.maxScore) : ONE;
    const score = result ? min(result.score, maxScore) : ZERO;
    const days = inclusiveDays(w.start, w.end);
    const active = segments.reduce((n, s) => n + daysInRange(s.range, w.start, w.end), 0);
    const target = new Decimal(c.amount);
    const total = score.isNegative() ? ZERO : target.times(score).times(active).dividedBy(days);
    const attributions = new Map<string, Attribution>();
    if (result) {
      attributions.set(`objective:${c.objective}`, {
        amount: total,
        bookingId: null,
        trace: () => ({
          kind: 'targetBonus',
          objective: c.objective,
          window: w.key,
          score: result.score.toFixed(),
          maxScore: maxScore.toFixed(),
          target: target.toFixed(),
          activeDays: active,
          daysInWindow: days,
          share: total.toFixed(),
        }),
      });
    }
    return capped({ total, attributions, summary: { quota: null, credit: score, attainment: null, trace: { kind: 'targetBonus', rate: target.toFixed() } } }, c.payoutCap);
  },
};
