import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { AssignmentFacts, BookingFacts, CalculationInput, FxRateFacts, PayeeResult, PlanVersionFacts, PriorRecord, RepFacts } from '../../src/core/calculation/calculation-types';
import { calculatePeriod } from '../../src/core/calculation/calculate-period';
import { addMonths, Period } from '../../src/core/calendar/dates';
import { Decimal, ZERO } from '../../src/core/money/decimal';
import { PlanDocument } from '../../src/core/plans/plan-types';

export const D = (s: string) => new Decimal(s);

export function loadPlan(id: string): PlanVersionFacts {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'plans', `${id}.json`), 'utf8');
  const document = JSON.parse(text) as PlanDocument;
  return { planId: document.id, version: document.version, hash: createHash('sha256').update(text).digest('hex'), document };
}

export const GOLDEN_PLANS = () => [loadPlan('ae-2026'), loadPlan('am-2026'), loadPlan('mgr-2026')];

export function rep(repId: string, o: Partial<RepFacts> = {}): RepFacts {
  return { repId, managerId: null, hireDate: '2025-01-01', terminationDate: null, currency: 'USD', ...o };
}

export function assignment(repId: string, planId: string, o: Partial<Omit<AssignmentFacts, 'annualQuota' | 'targetVariable' | 'baseSalary'>> & { quota?: string; variable?: string; base?: string } = {}): AssignmentFacts {
  return {
    repId,
    planId,
    startDate: o.startDate ?? '2026-01-01',
    endDate: o.endDate ?? null,
    annualQuota: D(o.quota ?? '1200000'),
    targetVariable: D(o.variable ?? '120000'),
    baseSalary: D(o.base ?? '100000'),
  };
}

export function booking(bookingId: string, o: Partial<Omit<BookingFacts, 'amount' | 'credits'>> & { amount: string; credits?: [string, string][] }): BookingFacts {
  return {
    bookingId,
    version: o.version ?? 1,
    customerId: o.customerId ?? `C-${bookingId}`,
    type: o.type ?? 'new',
    product: o.product ?? 'CORE',
    amount: D(o.amount),
    currency: o.currency ?? 'USD',
    termMonths: o.termMonths ?? 12,
    bookedDate: o.bookedDate ?? '2026-01-15',
    cancelledDate: o.cancelledDate ?? null,
    credits: (o.credits ?? []).map(([repId, splitPct]) => ({ repId, splitPct: D(splitPct) })),
  };
}

export function fx(date: string, from: string, to: string, rate: string): FxRateFacts {
  return { date, from, to, rate: D(rate) };
}

export interface Scenario {
  reps: RepFacts[];
  assignments: AssignmentFacts[];
  bookings: BookingFacts[];
  fxRates?: FxRateFacts[];
  plans?: PlanVersionFacts[];
  payments?: CalculationInput['payments'];
  activities?: CalculationInput['activities'];
  objectives?: CalculationInput['objectives'];
}

/** Folds one period's results into the prior records the next period reads, as the service does from the database. */
export function foldPrior(prior: Map<string, PriorRecord>, results: PayeeResult[]): Map<string, PriorRecord> {
  const next = new Map(prior);
  for (const r of results) {
    const old = prior.get(r.repId);
    const keys = new Map<string, { rounded: Decimal; byRef: Map<string, Decimal> }>();
    for (const [k, v] of old?.keys ?? []) keys.set(k, { rounded: v.rounded, byRef: new Map(v.byRef) });
    for (const l of r.lines) {
      if (!l.componentKey) continue;
      const entry = keys.get(l.componentKey) ?? { rounded: ZERO, byRef: new Map() };
      entry.rounded = entry.rounded.plus(l.amount);
      if (l.ref && l.kind !== 'rounding') entry.byRef.set(l.ref, (entry.byRef.get(l.ref) ?? ZERO).plus(l.amountPrecise));
      keys.set(l.componentKey, entry);
    }
    next.set(r.repId, { earnedBefore: (old?.earnedBefore ?? ZERO).plus(r.earned), balanceBefore: r.balance, keys });
  }
  return next;
}

/** Runs periods from..to in order, each reading what the earlier ones recorded. */
export async function runPeriods(s: Scenario, from: Period, to: Period, bookingsFor?: (p: Period) => BookingFacts[]): Promise<Map<Period, Map<string, PayeeResult>>> {
  const out = new Map<Period, Map<string, PayeeResult>>();
  let prior = new Map<string, PriorRecord>();
  for (let p = from; p <= to; p = addMonths(p, 1)) {
    const input: CalculationInput = {
      period: p,
      reps: s.reps,
      assignments: s.assignments,
      bookings: bookingsFor ? bookingsFor(p) : s.bookings,
      fxRates: s.fxRates ?? [],
      plans: s.plans ?? GOLDEN_PLANS(),
      prior,
      payments: s.payments,
      activities: s.activities,
      objectives: s.objectives,
    };
    const result = await calculatePeriod(input);
    out.set(p, new Map(result.payees.map((r) => [r.repId, r])));
    prior = foldPrior(prior, result.payees);
  }
  return out;
}

/** Compact view of a payee result for exact assertions. */
export function summary(r: PayeeResult | undefined) {
  if (!r) return undefined;
  return {
    earnedToDate: r.earnedToDate.toFixed(2),
    earned: r.earned.toFixed(2),
    draw: r.draw.toFixed(2),
    payout: r.payout.toFixed(2),
    balance: r.balance.toFixed(2),
  };
}

export function lineView(r: PayeeResult) {
  return r.lines.map((l) => [l.kind, l.ref, l.amount.toFixed(2)]);
}

/** A minimal plan around some components ("test-plan", 2026, one crediting rule for every booking type). */
export function testPlanDocument(components: PlanDocument['components'], extra: Partial<PlanDocument> = {}): PlanDocument {
  return {
    id: 'test-plan',
    version: 1,
    name: 'test',
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    quotaMeasure: 'quota',
    crediting: { base: 'acv', rules: [{ id: 'all', measure: 'quota', creditPct: '100', conditions: { all: [{ fact: 'type', operator: 'in', value: ['new', 'renewal', 'expansion'] }] } }] },
    components,
    ...extra,
  };
}

export function planFacts(document: PlanDocument): PlanVersionFacts {
  return { planId: document.id, version: document.version, hash: 'test', document };
}
