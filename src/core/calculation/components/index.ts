import { ComponentSpec } from '../../plans/plan-types';
import { ComponentEvaluator } from './component-evaluator';
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
};

export function evaluatorFor(spec: ComponentSpec): ComponentEvaluator {
  return EVALUATORS[spec.type] as ComponentEvaluator;
}

export { EvaluationContext } from './component-evaluator';
export type { WindowEvaluation, Attribution } from './component-evaluator';
