import Ajv, { ErrorObject } from 'ajv';
import planSchema from '../../../plans/schema/plan.schema.json';
import { isIsoDate } from '../calendar/dates';
import { Decimal, isDecimalString } from '../money/decimal';
import { ClawbackSpec, CurveComponentSpec, ModifierComponentSpec, PlanDocument, SeasonalitySpec, TieredComponentSpec, WindowCondition } from './plan-types';

export interface PlanProblem {
  /** JSON path inside the plan, e.g. "components[1].tiers[2].from". */
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(planSchema);

/** "/components/1/tiers/2/from" -> "components[1].tiers[2].from" */
export function toJsonPath(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

/** Said where a number stands for a decimal: why, and how to write it. */
const DECIMAL_AS_STRING =
  'must be a decimal string such as "0.5", not the number 0.5: amounts, rates and percentages are strings on purpose, so no binary floating-point number ever holds them';

/** A payout curve's point (its oneOf of payoutPct / amount gets one message of its own). */
const CURVE_POINT = /^\/components\/\d+\/points\/\d+$/;

function schemaProblem(e: ErrorObject): PlanProblem | null {
  switch (e.keyword) {
    case 'if':
      return null; // the "then" branch errors say what is wrong
    case 'required':
      if ((CURVE_POINT.test(e.instancePath) || e.instancePath === '/draw' || e.instancePath === '/clawback') && e.schemaPath.includes('oneOf')) return null; // the oneOf error below says it once
      return { path: toJsonPath(e.instancePath, String(e.params.missingProperty)), message: 'is required' };
    case 'oneOf':
      if (e.instancePath === '/clawback') return { path: 'clawback', message: 'needs exactly one of windowDays (one percentage) or schedule (percentages by days since booking)' };
      if (e.instancePath === '/draw') return { path: 'draw', message: 'needs exactly one of amount (the same every month) or schedule (by tenure month)' };
      if (CURVE_POINT.test(e.instancePath)) return { path: toJsonPath(e.instancePath), message: 'needs exactly one of payoutPct (a % of target variable) or amount (a fixed payout)' };
      return { path: toJsonPath(e.instancePath), message: e.message ?? e.keyword };
    case 'additionalProperties':
      return { path: toJsonPath(e.instancePath, String(e.params.additionalProperty)), message: 'is not an allowed property' };
    case 'enum':
      return { path: toJsonPath(e.instancePath), message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      // a number where a decimal string belongs: the one place a person needs the why
      if (e.params.type === 'string' && String(e.schemaPath).includes('decimal')) return { path: toJsonPath(e.instancePath), message: DECIMAL_AS_STRING };
      return { path: toJsonPath(e.instancePath), message: e.message ?? e.keyword };
    case 'pattern':
      return {
        path: toJsonPath(e.instancePath),
        message: String(e.schemaPath).includes('decimal')
          ? 'must be a decimal string such as "0.5" (no numbers, no exponents)'
          : String(e.schemaPath).includes('date')
            ? 'must be a date YYYY-MM-DD'
            : `must match ${e.params.pattern}`,
      };
    default:
      return { path: toJsonPath(e.instancePath), message: e.message ?? e.keyword };
  }
}

/**
 * Validates a plan document: JSON Schema first, then the domain rules the schema cannot say (contiguous tiers,
 * non-negative rates, measures that exist, consistent options). Returns every problem, empty when valid.
 */
export function validatePlan(doc: unknown): PlanProblem[] {
  if (!validateSchema(doc)) {
    const seen = new Set<string>();
    const out: PlanProblem[] = [];
    // a bare {fact, operator, value} where a condition tree belongs: one message that says the fix, instead of the
    // schema's "conditions.not is required" and three "is not an allowed property"
    const bare = bareConditions(doc);
    for (const pointer of bare) {
      out.push({ path: toJsonPath(pointer), message: 'must be a condition tree: wrap the condition in "all", "any" or "not", e.g. {"all": [{"fact": "type", "operator": "equal", "value": "new"}]}' });
      seen.add(pointer);
    }
    for (const e of validateSchema.errors ?? []) {
      if (bare.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`))) continue;
      const p = schemaProblem(e);
      if (!p) continue;
      const key = `${p.path}|${p.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
    // Domain rules still run on what parses (e.g. tier order), so one pass reports every error it can.
    try {
      for (const p of domainProblems(doc as unknown as PlanDocument)) if (!seen.has(`${p.path}|${p.message}`)) out.push(p);
    } catch {
      /* the document is too malformed for the domain checks: the schema errors say why */
    }
    return out;
  }
  return domainProblems(doc as unknown as PlanDocument);
}

/** JSON pointers of `conditions` that hold a single condition instead of an all/any/not tree. */
function bareConditions(doc: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const at = `${pointer}/${k}`;
      if (k === 'conditions' && v && typeof v === 'object' && !Array.isArray(v) && 'fact' in v && !('all' in v) && !('any' in v) && !('not' in v)) out.push(at);
      else visit(v, at);
    }
  };
  visit(doc, '');
  return out;
}

function nonNegative(value: string, path: string, out: PlanProblem[]): void {
  if (isDecimalString(value) && new Decimal(value).isNegative()) out.push({ path, message: 'must not be negative' });
}

function domainProblems(plan: PlanDocument): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const f of ['effectiveFrom', 'effectiveTo'] as const) {
    if (!isIsoDate(plan[f])) out.push({ path: f, message: 'is not a calendar date' });
  }
  if (plan.effectiveTo < plan.effectiveFrom) out.push({ path: 'effectiveTo', message: 'must be on or after effectiveFrom' });

  const measures = new Set<string>();
  const teamMeasures = new Set<string>();
  const ruleIds = new Set<string>();
  plan.crediting.rules.forEach((r, i) => {
    if (ruleIds.has(r.id)) out.push({ path: `crediting.rules[${i}].id`, message: `duplicate rule id "${r.id}"` });
    ruleIds.add(r.id);
    measures.add(r.measure);
    if (r.from === 'team') teamMeasures.add(r.measure);
    nonNegative(r.creditPct, `crediting.rules[${i}].creditPct`, out);
  });

  plan.ramp?.byTenureMonth.forEach((f, i) => nonNegative(f, `ramp.byTenureMonth[${i}]`, out));
  if (plan.ramp) nonNegative(plan.ramp.thereafter, 'ramp.thereafter', out);
  if (plan.seasonality) seasonalityProblems(plan.seasonality, out);
  const tax = plan.crediting.taxInclusive;
  if (tax?.rate !== undefined) nonNegative(tax.rate, 'crediting.taxInclusive.rate', out);
  for (const [product, rate] of Object.entries(tax?.byProduct ?? {})) nonNegative(rate, `crediting.taxInclusive.byProduct.${product}`, out);
  if (plan.clawback) clawbackProblems(plan.clawback, out);

  const ids = new Set<string>();
  plan.components.forEach((c, i) => {
    const at = `components[${i}]`;
    if (ids.has(c.id)) out.push({ path: `${at}.id`, message: `duplicate component id "${c.id}"` });
    ids.add(c.id);
    if ('measure' in c && c.measure !== undefined && !measures.has(c.measure)) {
      out.push({ path: `${at}.measure`, message: `no crediting rule produces measure "${c.measure}"` });
    }
    if ('quota' in c && c.quota) {
      if (c.quota.ramp && !plan.ramp) out.push({ path: `${at}.quota.ramp`, message: 'needs a plan-level ramp schedule' });
      if (c.quota.ramp && c.quota.allocation === 'window') out.push({ path: `${at}.quota.ramp`, message: 'ramp needs allocation "monthly"' });
    }
    if ('payoutCap' in c && c.payoutCap !== undefined) nonNegative(c.payoutCap, `${at}.payoutCap`, out);
    if ('requires' in c && c.requires) conditionProblems(plan, c.requires, `${at}.requires`, measures, out);
    switch (c.type) {
      case 'tiered':
        tierProblems(c, at, out, measures);
        break;
      case 'flatRate':
      case 'override':
        nonNegative(c.rate, `${at}.rate`, out);
        break;
      case 'curve':
        curveProblems(c, at, out);
        break;
      case 'modifier':
        modifierProblems(plan, c, at, measures, out);
        break;
      case 'activity':
        nonNegative(c.amount, `${at}.amount`, out);
        break;
      case 'targetBonus':
        nonNegative(c.amount, `${at}.amount`, out);
        if (c.maxScore !== undefined) nonNegative(c.maxScore, `${at}.maxScore`, out);
        break;
      case 'teamPool':
        nonNegative(c.rate, `${at}.rate`, out);
        nonNegative(c.teamQuota, `${at}.teamQuota`, out);
        if (!teamMeasures.has(c.measure) && measures.has(c.measure)) out.push({ path: `${at}.measure`, message: `"${c.measure}" is not credited from the team: give its crediting rule "from": "team"` });
        break;
      case 'spiff':
        nonNegative(c.amount, `${at}.amount`, out);
        if (!isIsoDate(c.from)) out.push({ path: `${at}.from`, message: 'is not a calendar date' });
        if (!isIsoDate(c.to)) out.push({ path: `${at}.to`, message: 'is not a calendar date' });
        if (c.to < c.from) out.push({ path: `${at}.to`, message: 'must be on or after from' });
        break;
    }
  });

  if (plan.draw) {
    const d = plan.draw;
    if (d.amount !== undefined) nonNegative(d.amount, 'draw.amount', out);
    if (d.tenureMonths.to < d.tenureMonths.from) out.push({ path: 'draw.tenureMonths.to', message: 'must be >= from' });
    if (d.schedule) {
      d.schedule.forEach((a, i) => nonNegative(a, `draw.schedule[${i}]`, out));
      const months = d.tenureMonths.to - d.tenureMonths.from + 1;
      if (months > 0 && d.schedule.length !== months) {
        out.push({ path: 'draw.schedule', message: `needs one amount per tenure month ${d.tenureMonths.from}..${d.tenureMonths.to} (${months}), has ${d.schedule.length}` });
      }
    }
    if (d.recovery && d.kind === 'nonRecoverable') out.push({ path: 'draw.recovery', message: 'only applies to a recoverable draw' });
  }
  return out;
}

function conditionProblems(plan: PlanDocument, cond: Omit<WindowCondition, 'minAttainment' | 'onPace'> & Partial<WindowCondition>, at: string, measures: Set<string>, out: PlanProblem[]): void {
  if (cond.measure !== undefined && !measures.has(cond.measure)) out.push({ path: `${at}.measure`, message: `no crediting rule produces measure "${cond.measure}"` });
  if (cond.quota?.ramp && !plan.ramp) out.push({ path: `${at}.quota.ramp`, message: 'needs a plan-level ramp schedule' });
  if (cond.quota?.ramp && cond.quota.allocation === 'window') out.push({ path: `${at}.quota.ramp`, message: 'ramp needs allocation "monthly"' });
  if (cond.minAttainment !== undefined) nonNegative(cond.minAttainment, `${at}.minAttainment`, out);
}

function modifierProblems(plan: PlanDocument, c: ModifierComponentSpec, at: string, measures: Set<string>, out: PlanProblem[]): void {
  const target = plan.components.find((x) => x.id === c.of);
  if (!target) out.push({ path: `${at}.of`, message: `no component "${c.of}" in this plan` });
  else if (target.type === 'modifier') out.push({ path: `${at}.of`, message: 'a modifier multiplies a component that is not itself a modifier' });
  else if (target.window !== c.window) out.push({ path: `${at}.window`, message: `must be the window of "${c.of}" (${target.window})` });
  conditionProblems(plan, c.basis, `${at}.basis`, measures, out);
  c.steps.forEach((st, j) => {
    nonNegative(st.attainment, `${at}.steps[${j}].attainment`, out);
    nonNegative(st.factor, `${at}.steps[${j}].factor`, out);
    const prev = c.steps[j - 1];
    if (prev && isDecimalString(st.attainment) && isDecimalString(prev.attainment) && !new Decimal(st.attainment).greaterThan(prev.attainment)) {
      out.push({ path: `${at}.steps[${j}].attainment`, message: `must be greater than the previous step's attainment (${prev.attainment})` });
    }
  });
}

function curveProblems(c: CurveComponentSpec, at: string, out: PlanProblem[]): void {
  if (c.pointsOn !== 'credit' && !c.quota) out.push({ path: `${at}.quota`, message: 'is required when the points are on attainment (or set "pointsOn": "credit")' });
  const kinds = new Set(c.points.map((p) => (p.payoutPct !== undefined ? 'payoutPct' : 'amount')));
  if (kinds.size > 1) out.push({ path: `${at}.points`, message: 'every point pays either payoutPct or amount, not a mix' });
  c.points.forEach((p, j) => {
    const pp = `${at}.points[${j}]`;
    nonNegative(p.attainment, `${pp}.attainment`, out);
    if (p.payoutPct !== undefined) nonNegative(p.payoutPct, `${pp}.payoutPct`, out);
    if (p.amount !== undefined) nonNegative(p.amount, `${pp}.amount`, out);
    if (j > 0 && isDecimalString(p.attainment) && isDecimalString(c.points[j - 1].attainment) && !new Decimal(p.attainment).greaterThan(c.points[j - 1].attainment)) {
      out.push({ path: `${pp}.attainment`, message: `must be greater than the previous point's attainment (${c.points[j - 1].attainment})` });
    }
  });
}

function clawbackProblems(c: ClawbackSpec, out: PlanProblem[]): void {
  const pct = (v: string | undefined, path: string) => {
    if (v === undefined || !isDecimalString(v)) return;
    const d = new Decimal(v);
    if (d.isNegative() || d.greaterThan(100)) out.push({ path, message: 'must be a percentage from 0 to 100' });
  };
  pct(c.percent, 'clawback.percent');
  if (c.percent !== undefined && c.schedule) out.push({ path: 'clawback.percent', message: 'the schedule sets the percentages; drop percent' });
  c.schedule?.forEach((e, i) => {
    pct(e.percent, `clawback.schedule[${i}].percent`);
    if (i > 0 && e.withinDays <= c.schedule![i - 1].withinDays) out.push({ path: `clawback.schedule[${i}].withinDays`, message: `must be greater than the previous entry's (${c.schedule![i - 1].withinDays})` });
  });
  pct(c.onTermination?.percent, 'clawback.onTermination.percent');
  pct(c.holdback?.percent, 'clawback.holdback.percent');
}

function seasonalityProblems(s: SeasonalitySpec, out: PlanProblem[]): void {
  const [key, weights] = 'byMonth' in s ? (['byMonth', s.byMonth] as const) : (['byQuarter', s.byQuarter] as const);
  if (!Array.isArray(weights) || !weights.every(isDecimalString)) return; // the schema says what is wrong
  weights.forEach((w, i) => nonNegative(w, `seasonality.${key}[${i}]`, out));
  const sum = weights.reduce((a, w) => a.plus(w), new Decimal(0));
  if (!sum.equals(1)) out.push({ path: `seasonality.${key}`, message: `weights must sum to exactly 1 (they sum to ${sum.toFixed()})` });
}

function tierProblems(c: TieredComponentSpec, at: string, out: PlanProblem[], measures?: Set<string>): void {
  if (c.lookupMeasure !== undefined) {
    if (measures && !measures.has(c.lookupMeasure)) out.push({ path: `${at}.lookupMeasure`, message: `no crediting rule produces measure "${c.lookupMeasure}"` });
    if (c.method !== 'retroactive' || c.measurement !== 'cumulative' || c.tierBasis !== 'amount') {
      out.push({ path: `${at}.lookupMeasure`, message: 'needs method "retroactive", measurement "cumulative" and tierBasis "amount"' });
    }
  }
  if (c.tierBasis === 'attainment' && !c.quota) out.push({ path: `${at}.quota`, message: 'is required when tierBasis is "attainment"' });
  if (c.measurement === 'cumulative' && c.tierBasis === 'amount' && c.method === 'retroactive' && c.gate === undefined) {
    // allowed: retroactive on window credit amounts
  }
  const linear = c.interpolation === 'linear';
  c.tiers.forEach((t, j) => {
    const tp = `${at}.tiers[${j}]`;
    const from = new Decimal(t.from);
    nonNegative(t.from, `${tp}.from`, out);
    nonNegative(t.rate, `${tp}.rate`, out);
    if (t.rateTo !== undefined) {
      nonNegative(t.rateTo, `${tp}.rateTo`, out);
      if (!linear) out.push({ path: `${tp}.rateTo`, message: 'only applies with interpolation "linear"' });
    }
    if (t.to === null) {
      if (j !== c.tiers.length - 1) out.push({ path: `${tp}.to`, message: 'only the last tier may be unbounded (null)' });
      if (linear && t.rateTo !== undefined) out.push({ path: `${tp}.rateTo`, message: 'an unbounded tier cannot interpolate' });
    } else {
      if (!new Decimal(t.to).greaterThan(from)) out.push({ path: `${tp}.to`, message: "must be > this tier's from" });
      if (linear && t.rateTo === undefined) out.push({ path: `${tp}.rateTo`, message: 'is required with interpolation "linear"' });
    }
    if (j === 0 && !from.isZero()) out.push({ path: `${tp}.from`, message: 'the first tier must start at 0' });
    if (j > 0) {
      const prevTo = c.tiers[j - 1].to;
      if (prevTo !== null) {
        const p = new Decimal(prevTo);
        if (from.lessThan(p)) out.push({ path: `${tp}.from`, message: "must be >= previous tier's to" });
        else if (from.greaterThan(p)) out.push({ path: `${tp}.from`, message: `leaves a gap: previous tier ends at ${prevTo}` });
      }
    }
  });
  if (c.gate !== undefined) nonNegative(c.gate, `${at}.gate`, out);
  if (c.attainmentCap !== undefined) nonNegative(c.attainmentCap, `${at}.attainmentCap`, out);
}
