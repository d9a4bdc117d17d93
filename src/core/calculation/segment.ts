import type { DateRange } from '../calendar/dates';
import type { PlanDocument } from '../plans/plan-types';
import type { RuleEvaluator } from '../rules/rule-evaluator';
import type { AssignmentFacts, PlanVersionFacts } from './calculation-types';

/** A plan version with its rules compiled once. */
export interface CompiledPlan {
  facts: PlanVersionFacts;
  doc: PlanDocument;
  crediting: RuleEvaluator;
  spiffs: Map<string, RuleEvaluator>;
  /** Per flat-rate component with rate overrides: its overrides compiled as rules (priority, then listed order). */
  rateRules: Map<string, RuleEvaluator>;
}

/** A payee's assignment to one plan version, clipped to the version's effective dates and to employment. */
export interface Segment {
  assignment: AssignmentFacts;
  plan: CompiledPlan;
  range: DateRange;
}
