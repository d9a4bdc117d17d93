import { DateRange, IsoDate, Period, intersect, periodEnd, periodStart, periodsBetween, windowContaining } from '../calendar/dates';
import { calculatePeriods } from '../calculation/calculate-period';
import { AssignmentFacts, BookingFacts, PlanVersionFacts, RepFacts } from '../calculation/calculation-types';
import { rampFactor, windowQuota } from '../calculation/quota';
import { compilePlan, Segment } from '../calculation/shared-facts';
import { formatMoney, formatPct } from '../explain/format';
import { Decimal, ZERO } from '../money/decimal';
import { canonicalJson, sha256Hex } from './canonical-json';
import { PlanDocument } from './plan-types';
import { planTerms, TermsSection } from './plan-words';

/**
 * The written plan of one assignment: the plan's terms in words, the payee's own figures, the ramped quota month by
 * month, and worked examples the engine computes. Pure: the facts in, a view out; the PDF renderer only draws it.
 *
 * Its hash (`documentHash`) is the sha256 of what the document is made of: the document format, the plan version's
 * content hash, and the assignment's and payee's facts. Everything on the page follows from those, so the hash
 * changes exactly when a payee would read something different, and a payee's acknowledgment names it.
 */
export const PLAN_DOCUMENT_FORMAT = 1;

/** The attainments the worked examples show (fractions of quota). */
export const EXAMPLE_ATTAINMENTS = ['0.5', '1', '1.5'] as const;

export interface PlanDocumentInput {
  assignmentId: string;
  rep: RepFacts & { name: string };
  assignment: AssignmentFacts;
  plan: PlanVersionFacts;
  /** The dates the version is in effect when a later version supersedes part of its own (plan-versions.ts). */
  inEffect?: { from: IsoDate; to: IsoDate };
}

export interface MonthQuota {
  period: Period;
  tenureMonth: number;
  ramp: string;
  activeDays: number;
  daysInMonth: number;
  /** Exact, in the payee's currency. */
  quota: string;
  quotaText: string;
}

export interface WorkedExample {
  /** Fraction of quota, e.g. "1.5". */
  attainment: string;
  attainmentText: string;
  /** The credit that reaches it over the plan year (the sum of the ramped monthly quotas × attainment). */
  credit: string;
  creditText: string;
  /** What each component earns over the plan year, rounded as payouts are. */
  components: { id: string; label: string; earned: string; earnedText: string }[];
  earned: string;
  earnedText: string;
  /** Earnings as a share of the target variable for the covered months. */
  ofTargetText: string;
}

export interface PlanDocumentView {
  documentHash: string;
  format: number;
  assignmentId: string;
  repId: string;
  name: string;
  currency: string;
  plan: { id: string; version: number; name: string; hash: string };
  /** The dates this document covers: the assignment on this plan version, within employment. */
  covers: { from: IsoDate; to: IsoDate };
  figures: { label: string; value: string }[];
  /** The money of `figures` as decimal strings, in `currency`. */
  amounts: { annualQuota: string; rampedQuota: string; baseSalary: string; targetVariable: string; ote: string };
  terms: TermsSection[];
  rampedQuota: MonthQuota[];
  examples: WorkedExample[];
  /** What the examples assume, in words. */
  examplesBasis: string;
}

/** The sha256 naming a document: what it is made of, canonically. */
export function planDocumentHash(input: PlanDocumentInput): string {
  const a = input.assignment;
  return sha256Hex(
    canonicalJson({
      format: PLAN_DOCUMENT_FORMAT,
      assignmentId: input.assignmentId,
      plan: { id: input.plan.planId, version: input.plan.version, hash: input.plan.hash },
      rep: { id: input.rep.repId, name: input.rep.name, hireDate: input.rep.hireDate, terminationDate: input.rep.terminationDate, currency: input.rep.currency },
      assignment: {
        startDate: a.startDate,
        endDate: a.endDate,
        annualQuota: a.annualQuota.toFixed(),
        targetVariable: a.targetVariable.toFixed(),
        baseSalary: a.baseSalary.toFixed(),
      },
    }),
  );
}

/** The assignment on the plan version, within employment; null when they do not overlap. */
export function documentRange(input: PlanDocumentInput): { from: IsoDate; to: IsoDate } | null {
  const doc = input.plan.document;
  const r = intersect(
    intersect({ from: input.assignment.startDate, to: input.assignment.endDate }, { from: input.rep.hireDate, to: input.rep.terminationDate }) ?? EMPTY,
    input.inEffect ?? { from: doc.effectiveFrom, to: doc.effectiveTo },
  );
  return r && r.to !== null ? { from: r.from, to: r.to } : null;
}

const EMPTY: DateRange = { from: '9999-12-31', to: '0000-01-01' };

function monthQuotas(rep: RepFacts, segment: Segment): MonthQuota[] {
  const out: MonthQuota[] = [];
  for (const p of periodsBetween(segment.range.from, segment.range.to as IsoDate)) {
    const { quota, trace } = windowQuota(rep, [segment], windowContaining('month', periodStart(p)), { allocation: 'monthly', ramp: true });
    const step = trace.steps[0] as { activeDays: number; daysInMonth: number } | undefined;
    const { factor, tenureMonth } = rampFactor(rep.hireDate, segment.plan.doc, p);
    out.push({
      period: p,
      tenureMonth,
      ramp: factor.toFixed(),
      activeDays: step?.activeDays ?? 0,
      daysInMonth: step?.daysInMonth ?? 0,
      quota: quota.toFixed(),
      quotaText: formatMoney(quota.toFixed(), rep.currency),
    });
  }
  return out;
}

/**
 * The plan as the examples run it: the same components, quotas, ramp and caps, with the crediting replaced by one
 * rule that credits the example's bookings to the quota measure (so attainment is exactly what the example says),
 * and no draw (a draw is an advance, not earnings).
 */
function examplePlan(doc: PlanDocument): PlanDocument {
  return {
    ...doc,
    earnOn: 'booking',
    crediting: { base: 'tcv', rules: [{ id: 'worked-example', measure: doc.quotaMeasure, creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'equal', value: 'worked-example' }] } }] },
    clawback: undefined,
    draw: undefined,
  };
}

async function workedExample(input: PlanDocumentInput, months: MonthQuota[], covers: { from: IsoDate; to: IsoDate }, attainment: string): Promise<WorkedExample> {
  const { rep, assignment, plan } = input;
  const a = new Decimal(attainment);
  // one booking a month, on the month's last covered day, crediting attainment × that month's ramped quota
  const bookings: BookingFacts[] = months.map((m, i) => ({
    bookingId: `EX-${m.period}`,
    version: 1,
    customerId: 'EXAMPLE',
    type: 'worked-example',
    product: 'EXAMPLE',
    amount: new Decimal(m.quota).times(a),
    currency: rep.currency,
    termMonths: 12,
    bookedDate: i === months.length - 1 && covers.to < periodEnd(m.period) ? covers.to : periodEnd(m.period),
    cancelledDate: null,
    credits: [{ repId: rep.repId, splitPct: new Decimal(100) }],
  }));
  const facts: PlanVersionFacts = { ...plan, document: examplePlan(plan.document) };
  const earnedBy = new Map<string, Decimal>();
  let earned = ZERO;
  for await (const r of calculatePeriods({
    periods: months.map((m) => m.period),
    reps: [{ repId: rep.repId, managerId: null, hireDate: rep.hireDate, terminationDate: rep.terminationDate, currency: rep.currency }],
    assignments: [assignment],
    bookings,
    fxRates: [],
    plans: [facts],
    prior: new Map(),
  })) {
    const p = r.payees.find((x) => x.repId === rep.repId);
    if (!p) continue;
    earned = earned.plus(p.earned);
    for (const l of p.lines) {
      if (!l.componentKey) continue;
      const id = l.componentKey.split(':')[1];
      earnedBy.set(id, (earnedBy.get(id) ?? ZERO).plus(l.amount));
    }
  }
  const target = assignment.targetVariable.times(months.reduce((n, m) => n.plus(new Decimal(m.activeDays).dividedBy(m.daysInMonth)), ZERO)).dividedBy(12);
  const credit = months.reduce((s, m) => s.plus(new Decimal(m.quota).times(a)), ZERO);
  return {
    attainment,
    attainmentText: formatPct(a),
    credit: credit.toFixed(),
    creditText: formatMoney(credit.toFixed(), rep.currency),
    components: plan.document.components.map((c) => {
      const value = (earnedBy.get(c.id) ?? ZERO).toFixed(2);
      return { id: c.id, label: c.label ?? c.id, earned: value, earnedText: formatMoney(value, rep.currency) };
    }),
    earned: earned.toFixed(2),
    earnedText: formatMoney(earned.toFixed(), rep.currency),
    ofTargetText: target.isZero() ? 'n/a (no target variable)' : `${formatPct(earned.dividedBy(target))} of the target variable for these months`,
  };
}

/** Builds the document of an assignment on a plan version; null when the two do not overlap within employment. */
export async function buildPlanDocument(input: PlanDocumentInput): Promise<PlanDocumentView | null> {
  const covers = documentRange(input);
  if (!covers) return null;
  const { rep, assignment: a, plan } = input;
  const segment: Segment = { assignment: a, plan: compilePlan(plan), range: covers };
  const months = monthQuotas(rep, segment);
  const money = (d: Decimal) => formatMoney(d.toFixed(), rep.currency);
  const ote = a.baseSalary.plus(a.targetVariable);
  const rampedTotal = months.reduce((s, m) => s.plus(m.quota), ZERO);
  const examples: WorkedExample[] = [];
  for (const x of EXAMPLE_ATTAINMENTS) examples.push(await workedExample(input, months, covers, x));
  return {
    documentHash: planDocumentHash(input),
    format: PLAN_DOCUMENT_FORMAT,
    assignmentId: input.assignmentId,
    repId: rep.repId,
    name: rep.name,
    currency: rep.currency,
    plan: { id: plan.planId, version: plan.version, name: plan.document.name, hash: plan.hash },
    covers,
    figures: [
      { label: 'Payee', value: `${rep.name} (${rep.repId}), hired ${rep.hireDate}` },
      { label: 'Assignment', value: `${a.startDate} to ${a.endDate ?? 'open'}; this document covers ${covers.from} to ${covers.to}` },
      { label: 'Annual quota', value: money(a.annualQuota) },
      { label: 'Quota for the covered months (ramped, prorated)', value: money(rampedTotal) },
      { label: 'Base salary', value: money(a.baseSalary) },
      { label: 'Target variable (annual)', value: money(a.targetVariable) },
      { label: 'On-target earnings (OTE)', value: money(ote) },
      { label: 'Earnings at risk', value: `${money(a.targetVariable)} (${ote.isZero() ? 'n/a' : formatPct(a.targetVariable.dividedBy(ote))} of OTE)` },
      { label: 'Base rate (target variable / annual quota)', value: a.annualQuota.isZero() ? 'n/a (no quota)' : a.targetVariable.dividedBy(a.annualQuota).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed() },
    ],
    amounts: { annualQuota: a.annualQuota.toFixed(), rampedQuota: rampedTotal.toFixed(), baseSalary: a.baseSalary.toFixed(), targetVariable: a.targetVariable.toFixed(), ote: ote.toFixed() },
    terms: planTerms(plan.document),
    rampedQuota: months,
    examples,
    examplesBasis:
      'Computed by the engine: the plan\'s components run over the covered months with credit of the stated attainment of each ' +
      "month's ramped quota, booked on the month's last day; no draw, no clawback. Your real pay depends on your bookings.",
  };
}
