import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { ComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { evaluateCondition, gated } from '../cross-window';
import { Segment } from '../shared-facts';
import { ComponentEvaluator, EvaluationContext, WindowEvaluation } from './component-evaluator';
import { modifierEvaluator } from './modifier';
import { teamPoolEvaluator } from './team-pool';
import { activityEvaluator } from './activity';
import { targetBonusEvaluator } from './target-bonus';
import { curveEvaluator } from './curve';
import { flatRateEvaluator } from './flat-rate';
import { overrideEvaluator } from './override';
import { spiffEvaluator } from './spiff';
import { tieredEvaluator } from './tiered';

/** The evaluator of each component `type` of the plan format: a new type is one file and one entry here. */
const EVALUATORS: { [T in ComponentSpec['type']]: ComponentEvaluator<Extract<ComponentSpec, { type: T }>> } = {
  tiered: tieredEvaluator,
  flatRate: flatRateEvaluator,
  spiff: spiffEvaluator,
  override: overrideEvaluator,
  curve: curveEvaluator,
  teamPool: teamPoolEvaluator,
  activity: activityEvaluator,
  targetBonus: targetBonusEvaluator,
  modifier: modifierEvaluator((ctx, rep, segments, c, w, asOf) => evaluateComponent(ctx, rep, segments, c, w, asOf)),
};

export function evaluatorFor(spec: ComponentSpec): ComponentEvaluator {
  return EVALUATORS[spec.type] as ComponentEvaluator;
}

/** A component window evaluated by its type's evaluator, then gated by `requires` when the component has one. */
export async function evaluateComponent(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: ComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
  const e = await evaluatorFor(c).evaluate(ctx, rep, segments, c, w, asOf);
  if (!('requires' in c) || !c.requires) return e;
  return gated(e, await evaluateCondition(ctx, rep, segments, c.requires, w, asOf));
}

export { EvaluationContext } from './component-evaluator';
export type { WindowEvaluation, Attribution } from './component-evaluator';
