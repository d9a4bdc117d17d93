import { Decimal, isDecimalString } from '../money/decimal';
import type { PlanProblem } from './validate-plan';
import type { ConditionTree, CreditRuleSpec, PlanDocument } from './plan-types';

/**
 * What a valid plan may still get wrong: components that cannot pay under any booking. A plan with one of these
 * validates and silently pays 0.00, so `plans validate` and the editor warn (`--strict` makes them errors):
 * - a per-deal SPIF whose conditions no credited booking can meet: a SPIF only sees bookings that a crediting rule
 *   credits, so its conditions must be satisfiable together with some rule's;
 * - a component whose measure only rules crediting 0% produce;
 * - tiers that start at or above the attainment cap, which no attainment reaches;
 * - a SPIF whose dates lie outside the plan's.
 * The condition check reads `equal` / `in` on the same fact (what plans write); other operators are not second-guessed.
 */
export function planWarnings(plan: PlanDocument): PlanProblem[] {
  const out: PlanProblem[] = [];
  plan.components.forEach((c, i) => {
    const at = `components[${i}]`;
    if ('measure' in c && typeof c.measure === 'string') {
      const producers = plan.crediting.rules.filter((r) => r.measure === c.measure);
      if (producers.length && producers.every((r) => isDecimalString(r.creditPct) && new Decimal(r.creditPct).isZero())) {
        out.push({ path: `${at}.measure`, message: `every crediting rule producing "${c.measure}" credits 0%: this component can never pay` });
      }
    }
    if (c.type === 'tiered' && c.attainmentCap !== undefined && c.tierBasis === 'attainment' && isDecimalString(c.attainmentCap)) {
      const cap = new Decimal(c.attainmentCap);
      c.tiers.forEach((t, k) => {
        if (isDecimalString(t.from) && new Decimal(t.from).greaterThanOrEqualTo(cap)) {
          out.push({ path: `${at}.tiers[${k}].from`, message: `starts at ${t.from}, at or above attainmentCap ${c.attainmentCap}: no attainment reaches this tier` });
        }
      });
    }
    if (c.type === 'spiff') {
      if (c.to < plan.effectiveFrom || c.from > plan.effectiveTo) out.push({ path: `${at}.from`, message: `the SPIF runs ${c.from} to ${c.to}, outside the plan's ${plan.effectiveFrom} to ${plan.effectiveTo}: it can never pay` });
      if (c.mode === 'perDeal' && !plan.crediting.rules.some((r) => compatible(r, c.conditions))) {
        out.push({
          path: `${at}.conditions`,
          message:
            'no booking can meet these conditions and be credited: a SPIF only sees bookings that a crediting rule credits, and every ' +
            `crediting rule excludes what the SPIF needs (${clash(plan.crediting.rules, c.conditions)}); widen a crediting rule or the SPIF's conditions`,
        });
      }
    }
  });
  return out;
}

/** What each fact must be for a condition tree of `all` nodes to hold: fact → allowed values (null: anything). */
function requiredValues(tree: ConditionTree): Map<string, Set<string>> | null {
  const node = tree as { all?: ConditionTree[]; fact?: string; operator?: string; value?: unknown };
  const out = new Map<string, Set<string>>();
  const add = (fact: string, values: string[]) => {
    const had = out.get(fact);
    out.set(fact, had ? new Set(values.filter((v) => had.has(v))) : new Set(values));
  };
  const visit = (n: { all?: ConditionTree[]; fact?: string; operator?: string; value?: unknown }) => {
    if (n.all) for (const child of n.all) visit(child as typeof n);
    else if (n.fact && n.operator === 'equal' && typeof n.value === 'string') add(n.fact, [n.value]);
    else if (n.fact && n.operator === 'in' && Array.isArray(n.value)) add(n.fact, n.value.map(String));
    // any / not / other operators: no requirement read from them (never a false warning)
  };
  visit(node);
  return out;
}

/** A rule and a SPIF can both hold for one booking unless some fact must take values the other excludes. */
function compatible(rule: CreditRuleSpec, spiff: ConditionTree): boolean {
  const a = requiredValues(rule.conditions);
  const b = requiredValues(spiff);
  if (!a || !b) return true;
  for (const [fact, values] of b) {
    const other = a.get(fact);
    if (other && ![...values].some((v) => other.has(v))) return false;
  }
  return true;
}

function clash(rules: CreditRuleSpec[], spiff: ConditionTree): string {
  const need = requiredValues(spiff) ?? new Map<string, Set<string>>();
  return rules
    .map((r) => {
      const has = requiredValues(r.conditions) ?? new Map<string, Set<string>>();
      const fact = [...need.keys()].find((f) => has.has(f) && ![...(need.get(f) as Set<string>)].some((v) => has.get(f)!.has(v)));
      return fact ? `rule "${r.id}" credits ${fact} ${[...has.get(fact)!].join('|')}, the SPIF needs ${fact} ${[...need.get(fact)!].join('|')}` : `rule "${r.id}"`;
    })
    .join('; ');
}
