import { Engine, RuleProperties } from 'json-rules-engine';
import { ConditionTree } from '../plans/plan-types';
import { registerDecimalOperators } from './decimal-operators';

export interface RuleDefinition {
  /** Stable rule id; results are reported under it. */
  id: string;
  priority: number;
  conditions: ConditionTree;
}

export interface RuleVerdict {
  id: string;
  passed: boolean;
  /** Each leaf condition with the fact value it saw, for the trace. */
  conditions: { fact: string; operator: string; value: unknown; factResult: unknown; result: boolean }[];
}

/** Fact names a condition tree reads. */
export function factsOf(tree: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(tree)) tree.forEach((t) => factsOf(t, into));
  else if (tree && typeof tree === 'object') {
    const node = tree as Record<string, unknown>;
    if (typeof node.fact === 'string') into.add(node.fact);
    for (const k of ['all', 'any', 'not']) if (k in node) factsOf(node[k], into);
  }
  return into;
}

function leaves(tree: unknown, out: RuleVerdict['conditions']): void {
  if (Array.isArray(tree)) tree.forEach((t) => leaves(t, out));
  else if (tree && typeof tree === 'object') {
    const node = tree as Record<string, unknown>;
    if (typeof node.fact === 'string') {
      out.push({ fact: node.fact, operator: String(node.operator), value: node.value, factResult: node.factResult, result: Boolean(node.result) });
    }
    for (const k of ['all', 'any', 'not']) if (k in node) leaves(node[k], out);
  }
}

/**
 * Evaluates a fixed rule set with json-rules-engine. json-rules-engine costs tens of microseconds per run, so verdicts
 * are memoised per distinct combination of the facts the rules read: a million bookings with a handful of
 * (type, product) combinations cost a handful of engine runs. One engine per evaluator (per plan), facts computed
 * before the run, `allowUndefinedFacts: false` so a missing fact is an error, never a silent false.
 */
export class RuleEvaluator {
  private readonly engine: Engine;
  private readonly factNames: string[];
  private readonly cache = new Map<string, RuleVerdict[]>();
  readonly rules: RuleDefinition[];

  constructor(rules: RuleDefinition[]) {
    // Order never depends on event order among same-priority rules: priority (desc), then id.
    this.rules = [...rules].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.engine = new Engine([], { allowUndefinedFacts: false });
    registerDecimalOperators(this.engine);
    for (const r of this.rules) {
      this.engine.addRule({ name: r.id, priority: 1, conditions: r.conditions, event: { type: "match", params: { ruleId: r.id } } } as unknown as RuleProperties);
    }
    this.factNames = [...factsOf(this.rules.map((r) => r.conditions))].sort();
  }

  /** Verdicts for every rule, in rule order. */
  async evaluate(facts: Record<string, string>): Promise<RuleVerdict[]> {
    if (this.rules.length === 0) return [];
    const key = JSON.stringify(this.factNames.map((f) => facts[f]));
    const hit = this.cache.get(key);
    if (hit) return hit;
    const subset: Record<string, string> = {};
    for (const f of this.factNames) subset[f] = facts[f];
    const { results, failureResults } = await this.engine.run(subset);
    const byId = new Map<string, RuleVerdict>();
    for (const r of [...results, ...failureResults]) {
      const conditions: RuleVerdict['conditions'] = [];
      leaves((r as unknown as { conditions: unknown }).conditions, conditions);
      const id = String(r.name);
      byId.set(id, { id, passed: r.result === true, conditions });
    }
    const verdicts = this.rules.map((r) => byId.get(r.id) as RuleVerdict);
    this.cache.set(key, verdicts);
    return verdicts;
  }
}
