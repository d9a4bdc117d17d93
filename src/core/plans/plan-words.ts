import { Decimal } from '../money/decimal';
import { formatPct, formatRate } from '../explain/format';
import type {
  ClawbackSpec,
  ComponentSpec,
  ConditionTree,
  CreditRuleSpec,
  DrawSpec,
  PlanDocument,
  QuotaSpec,
  RampSpec,
  TierSpec,
  WindowCondition,
} from './plan-types';

/**
 * A plan's terms in words, generated from the plan JSON: what a written commission agreement states (California Labor
 * Code §2751 asks for the method of computation in writing). Pure: the plan document in, titled sections of sentences
 * out. The plan document PDF, the portal and the editor's preview all read these words, so a plan says one thing.
 */
export interface TermsSection {
  title: string;
  lines: string[];
}

const OPERATORS: Record<string, string> = {
  equal: 'is',
  notEqual: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  decimalEq: '=',
  decimalNe: '≠',
  decimalGt: '>',
  decimalGte: '≥',
  decimalLt: '<',
  decimalLte: '≤',
  dateOnOrAfter: 'is on or after',
  dateOnOrBefore: 'is on or before',
};

const FACTS: Record<string, string> = {
  bookingId: 'the booking id',
  type: 'the booking type',
  product: 'the product',
  customerId: 'the customer',
  currency: 'the currency',
  amount: 'the amount',
  acv: 'the ACV',
  tcv: 'the TCV',
  firstYear: 'the first-year value',
  annualized: 'the annualised value',
  termMonths: 'the term in months',
  splitPct: 'the split %',
  bookedDate: 'the booked date',
  splitType: 'the split type',
  renewsBookingId: 'the renewed booking',
};

const WINDOWS: Record<string, string> = { month: 'each calendar month', quarter: 'each calendar quarter', year: 'the calendar year' };

const pct = (fraction: string): string => formatPct(new Decimal(fraction));
const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : String(v));

/** A json-rules-engine condition tree in words: "the booking type is one of new, expansion and the product is CORE". */
export function conditionWords(tree: ConditionTree): string {
  const node = tree as { all?: ConditionTree[]; any?: ConditionTree[]; not?: ConditionTree; fact?: string; operator?: string; value?: unknown };
  if (node.all) return node.all.length ? node.all.map(nested).join(' and ') : 'always';
  if (node.any) return node.any.length ? node.any.map(nested).join(' or ') : 'never';
  if (node.not) return `not (${conditionWords(node.not)})`;
  if (node.fact) return `${FACTS[node.fact] ?? node.fact} ${OPERATORS[node.operator ?? ''] ?? node.operator} ${list(node.value)}`;
  return JSON.stringify(tree);
}

function nested(t: ConditionTree): string {
  const n = t as { all?: unknown[]; any?: unknown[] };
  const words = conditionWords(t);
  return (n.all && n.all.length > 1) || (n.any && n.any.length > 1) ? `(${words})` : words;
}

const BASES: Record<string, string> = {
  acv: 'the annual contract value (ACV: the amount annualised when the term is longer than 12 months)',
  tcv: 'the total contract value (TCV)',
  firstYear: 'the first-year value (the first 12 months of the contract)',
  annualized: 'the annualised value (amount × 12 / term)',
};

function creditingLines(plan: PlanDocument): string[] {
  const c = plan.crediting;
  const lines = [`A booking is credited on ${BASES[c.base] ?? c.base}, times your split of it, times the rule's credit %.`];
  if (c.taxInclusive) lines.push(`Amounts include tax, which is taken out first (the booking's own rate, else its product's${c.taxInclusive.rate ? `, else ${formatRate(c.taxInclusive.rate)}` : ''}).`);
  if (plan.earnOn === 'payment') lines.push('Credit is earned as the customer pays: each payment earns its share of the booking on its paid date; credit notes and refunds take theirs back.');
  else lines.push('Credit is earned on the booked date.');
  const rules = [...c.rules].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  for (const r of rules) lines.push(ruleLine(r));
  lines.push(`Quota attainment counts the "${plan.quotaMeasure}" credit.`);
  return lines;
}

function ruleLine(r: CreditRuleSpec): string {
  const whose = { self: 'your own bookings', directReports: "your direct reports' bookings", reportingTree: "your whole reporting tree's bookings", team: "your team's bookings" }[r.from ?? 'self'];
  const how = r.creditAs === 'count' ? `count ${new Decimal(r.creditPct).dividedBy(100).toFixed()} deal(s) each` : `credit ${r.creditPct}%`;
  const splits = r.splitTypes && r.splitTypes.length === 1 ? ` (${r.splitTypes[0]} splits only)` : '';
  const uplift = r.uplift ? ', on the uplift over the renewed contract only' : '';
  return `Rule "${r.id}": ${whose}${splits} where ${conditionWords(r.conditions)}: ${how} to "${r.measure}"${uplift}.`;
}

function quotaWords(q: QuotaSpec | undefined): string {
  if (!q) return 'the quota of the window';
  return q.allocation === 'monthly'
    ? `the quota of the window (annual quota × each month's share${q.ramp ? ' × the ramp factor' : ''}, prorated by active days)`
    : "the quota of the window (annual quota × the window's share, prorated by active days; no ramp)";
}

function tierLine(t: TierSpec, basis: 'attainment' | 'amount', unit: 'baseRate' | 'absolute'): string {
  const bound = (v: string) => (basis === 'attainment' ? pct(v) : new Decimal(v).toFixed());
  const range = t.to === null ? `from ${bound(t.from)} up` : `${bound(t.from)} to ${bound(t.to)}`;
  const rate = unit === 'baseRate' ? `${new Decimal(t.rate).toFixed()} × your base rate` : formatRate(t.rate);
  const to = t.rateTo ? ` rising linearly to ${unit === 'baseRate' ? `${new Decimal(t.rateTo).toFixed()} × your base rate` : formatRate(t.rateTo)}` : '';
  return `${range}: ${rate}${to}${t.label ? ` (${t.label})` : ''}`;
}

function conditionGate(r: WindowCondition | undefined): string[] {
  if (!r) return [];
  const what = r.onPace ? 'is on pace (credit ≥ quota × elapsed days / days in the window)' : `reaches ${pct(r.minAttainment ?? '0')} of its quota`;
  return [`Paid only when the "${r.measure ?? 'quota'}" credit of ${WINDOWS[r.window]} ${what}.`];
}

/** One component in words: what it reads, over which window, and how it pays. */
export function componentLines(c: ComponentSpec, plan: PlanDocument): string[] {
  const window = WINDOWS[c.window] ?? c.window;
  switch (c.type) {
    case 'tiered': {
      const method =
        c.method === 'marginal' ? 'each band pays its rate on the part of the credit inside it (marginal)' : 'the tier reached pays its rate on all of the credit (retroactive)';
      const measured = c.measurement === 'perDeal' ? 'each deal on its own' : `the cumulative "${c.measure}" credit of ${window}`;
      const basis = c.tierBasis === 'attainment' ? `attainment of ${quotaWords(c.quota)}` : 'the credit amount';
      const lines = [`Tiers on ${measured}, by ${basis}; ${method}.`];
      if (c.rateUnit === 'baseRate') lines.push('Your base rate is your target variable / your annual quota (V / Q): 1 × base rate pays the target at 100%.');
      for (const t of c.tiers) lines.push(`  ${tierLine(t, c.tierBasis, c.rateUnit)}`);
      if (c.gate) lines.push(`Nothing is paid below ${pct(c.gate)} attainment (gate).`);
      if (c.attainmentCap) lines.push(`Attainment counts up to ${pct(c.attainmentCap)} (cap).`);
      if (c.payoutCap) lines.push(`Pays at most ${new Decimal(c.payoutCap).toFixed()} per window.`);
      return [...lines, ...conditionGate(c.requires)];
    }
    case 'flatRate': {
      const lines = [`${formatRate(c.rate)} of the "${c.measure}" credit of ${window}.`];
      for (const r of c.rates ?? []) lines.push(`  ${formatRate(r.rate)} instead where ${conditionWords(r.conditions)} ("${r.id}").`);
      if (c.payoutCap) lines.push(`Pays at most ${new Decimal(c.payoutCap).toFixed()} per window.`);
      return [...lines, ...conditionGate(c.requires)];
    }
    case 'spiff':
      return c.mode === 'perDeal'
        ? [
            `${new Decimal(c.amount).toFixed()} per deal booked ${c.from} to ${c.to} where ${conditionWords(c.conditions)}${c.splitAdjusted ? ', times your split' : ''}.`,
            'A SPIF only sees bookings that a crediting rule credits to you.',
          ]
        : [`${new Decimal(c.amount).toFixed()} once when the "${c.measure}" credit of ${window} reaches ${pct(c.attainment)} of ${quotaWords(c.quota)}, between ${c.from} and ${c.to}.`];
    case 'override':
      return [`${formatRate(c.rate)} of the credit of your ${c.source === 'directReports' ? 'direct reports' : 'whole reporting tree'} in ${window}.`];
    case 'curve': {
      const on = c.pointsOn === 'credit' ? 'the credit amount' : `attainment of ${quotaWords(c.quota)}`;
      const lines = [`A payout curve on the "${c.measure}" credit of ${window}, by ${on}, ${c.interpolation === 'linear' ? 'linear between points' : 'stepped at each point'}:`];
      for (const p of c.points) {
        const x = c.pointsOn === 'credit' ? new Decimal(p.attainment).toFixed() : pct(p.attainment);
        lines.push(`  at ${x}: ${p.amount !== undefined ? new Decimal(p.amount).toFixed() : `${new Decimal(p.payoutPct ?? '0').toFixed()}% of the window's target variable`}${p.label ? ` (${p.label})` : ''}`);
      }
      if (c.payoutCap) lines.push(`Pays at most ${new Decimal(c.payoutCap).toFixed()} per window.`);
      return [...lines, ...conditionGate(c.requires)];
    }
    case 'modifier':
      return [
        `Multiplies component "${c.of}" in ${window} by a factor read from the attainment of the "${c.basis.measure ?? plan.quotaMeasure}" credit of ${WINDOWS[c.basis.window]}:`,
        ...c.steps.map((s) => `  from ${pct(s.attainment)}: × ${new Decimal(s.factor).toFixed()}${s.label ? ` (${s.label})` : ''}`),
      ];
    case 'teamPool':
      return [
        `A team pool of ${formatRate(c.rate)} of the team's "${c.measure}" credit of ${window} above the team quota of ${new Decimal(c.teamQuota).toFixed()}, divided among the team ${c.division === 'equal' ? 'equally' : "by each member's share of the team's credit"}.`,
      ];
    case 'activity':
      return [`${new Decimal(c.amount).toFixed()} per "${c.kind}" activity in ${window}${c.payoutCap ? `, at most ${new Decimal(c.payoutCap).toFixed()} per window` : ''}.`];
    case 'targetBonus':
      return [
        `${new Decimal(c.amount).toFixed()} × your score on objective "${c.objective}" (1 achieved, 0 not) in ${window}, a score counting up to ${new Decimal(c.maxScore ?? '1').toFixed()}, prorated by your days on the plan${c.payoutCap ? `; at most ${new Decimal(c.payoutCap).toFixed()}` : ''}.`,
      ];
  }
}

export function clawbackLines(c: ClawbackSpec | undefined): string[] {
  if (!c) return ['No clawback: a cancelled booking keeps its credit.'];
  const lines: string[] = [];
  if (c.windowDays !== undefined) lines.push(`A booking cancelled within ${c.windowDays} days of its booked date is clawed back (${c.percent ?? '100'}%) in the month of the cancellation.`);
  for (const s of c.schedule ?? []) lines.push(`Cancelled within ${s.withinDays} days: ${s.percent}% clawed back.`);
  if (c.prorate === 'unservedTerm') lines.push('The clawback is prorated to the months of the term not yet served.');
  if (c.onTermination) lines.push(`If your employment ends within ${c.onTermination.withinDays} days of a booking, ${c.onTermination.percent ?? '100'}% of it is clawed back on that date.`);
  if (c.holdback) lines.push(`${c.holdback.percent}% of each booking's commission is held until the clawback window has passed.`);
  return lines;
}

export function rampLines(r: RampSpec | undefined): string[] {
  if (!r) return ['No ramp: the full quota applies from your start.'];
  const months = r.byTenureMonth.map((f, i) => `month ${i + 1}: ${pct(f)}`).join(', ');
  return [`Your quota ramps by tenure month (month 1 is the calendar month you were hired): ${months}; then ${pct(r.thereafter)}.`];
}

export function drawLines(d: DrawSpec | undefined): string[] {
  if (!d) return ['No draw.'];
  const amount = d.schedule ? `by tenure month: ${d.schedule.join(', ')}` : new Decimal(d.amount ?? '0').toFixed();
  const hired = d.hiredFrom || d.hiredTo ? ` for payees hired ${d.hiredFrom ?? 'any time'} to ${d.hiredTo ?? 'any time'}` : '';
  const lines = [`A ${d.kind === 'recoverable' ? 'recoverable' : 'non-recoverable'} draw of ${amount} a month in tenure months ${d.tenureMonths.from} to ${d.tenureMonths.to}${hired}: it tops your payout up to the draw.`];
  if (d.kind === 'recoverable') lines.push(`What the draw paid above your earnings is recovered from later earnings${d.recovery ? ` from tenure month ${d.recovery.fromTenureMonth}` : ''}.`);
  return lines;
}

/** Every term of the plan, in the order a reader needs them. */
export function planTerms(plan: PlanDocument): TermsSection[] {
  const sections: TermsSection[] = [
    { title: 'The plan', lines: [`${plan.name} (${plan.id}, version ${plan.version}), in effect ${plan.effectiveFrom} to ${plan.effectiveTo}.`, ...(plan.description ? [plan.description] : [])] },
    { title: 'How bookings are credited', lines: creditingLines(plan) },
  ];
  for (const c of plan.components) sections.push({ title: `Component: ${c.label ?? c.id}`, lines: componentLines(c, plan) });
  sections.push({ title: 'Quota ramp', lines: rampLines(plan.ramp) });
  if (plan.seasonality) {
    const s = plan.seasonality;
    sections.push({ title: 'Seasonality', lines: ['byMonth' in s ? `Monthly shares of the annual quota: ${s.byMonth.map(pct).join(', ')}.` : `Quarterly shares of the annual quota: ${s.byQuarter.map(pct).join(', ')}.`] });
  }
  sections.push({ title: 'Clawback', lines: clawbackLines(plan.clawback) });
  sections.push({ title: 'Draw', lines: drawLines(plan.draw) });
  return sections;
}
