import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, ZERO } from '../../money/decimal';
import { ComponentSpec, ModifierComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { evaluateCondition } from '../cross-window';
import { Segment } from '../shared-facts';
import { boundary } from '../tiers';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation } from './component-evaluator';

/**
 * Kickers and modifiers: `factor` × another component's window total, the factor being that of the last step the
 * basis window's attainment reaches (none reached: nothing). Each booking's line is its share of the other
 * component times the factor, so a modifier explains itself per booking like the component it multiplies.
 */
export function modifierEvaluator(evaluate: (ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: ComponentSpec, w: CalendarWindow, asOf: IsoDate) => Promise<WindowEvaluation>): ComponentEvaluator<ModifierComponentSpec> {
  return {
    async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: ModifierComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
      const target = segments[0].plan.doc.components.find((x) => x.id === c.of) as ComponentSpec;
      const base = await evaluate(ctx, rep, segments, target, w, asOf);
      const basis = await evaluateCondition(ctx, rep, segments, { ...c.basis }, w, asOf);
      const quota = new Decimal(basis.trace.quota);
      const credit = new Decimal(basis.trace.credit);
      let step: number | null = null;
      if (quota.greaterThan(0)) c.steps.forEach((s, i) => credit.greaterThanOrEqualTo(boundary(quota.times(s.attainment))) && (step = i));
      const reached = step === null ? null : c.steps[step];
      const factor = reached ? new Decimal(reached.factor) : ZERO;
      const head = {
        kind: 'modifier' as const,
        of: c.of,
        basis: basis.trace,
        step: step === null ? null : step + 1,
        ...(reached?.label ? { stepLabel: reached.label } : {}),
        factor: factor.toFixed(),
      };
      const attributions = new Map<string, Attribution>();
      for (const [ref, a] of base.attributions) {
        const amount = a.amount.times(factor);
        attributions.set(ref, {
          amount,
          bookingId: a.bookingId,
          ...(a.booking ? { booking: a.booking } : {}),
          ...(a.clawedOn !== undefined ? { clawedOn: a.clawedOn } : {}),
          // the booking and its credit as the other component saw them, then what the modifier made of its share
          trace: () => ({ ...a.trace(), ...head, baseShare: a.amount.toFixed(), share: amount.toFixed() }),
        });
      }
      return {
        total: base.total.times(factor),
        attributions,
        summary: { quota, credit, attainment: basis.attainment, trace: { kind: 'modifier', basis: basis.trace, factor: factor.toFixed() } },
      };
    },
  };
}
