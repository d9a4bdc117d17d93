import { IsoDate, Period, addMonths, monthsBetween, periodEnd } from '../calendar/dates';
import { Decimal, ZERO, roundHalfUp } from '../money/decimal';
import { AccountingPolicy } from './accounting-policy';

/**
 * Commission costs as contract assets (ASC 340-40; IFRS 15.91-104 are the same in substance), from one closed period's
 * payout lines. Pure: the service reads the lines, the bookings as the period's run saw them and the schedules stored
 * so far; this decides what the close adds, and how every figure of a schedule is made.
 *
 * The rules, in the order a close applies them per payee, booking and currency:
 * 1. A positive line tied to a booking whose component the policy capitalises becomes a schedule: its cost amortised
 *    straight-line by month over the period of benefit (the booking's term, or the product's expected customer life
 *    for a new or expansion booking), starting in the line's payout period. With the practical expedient a period of
 *    12 months or less is expensed instead. Every other line (draws, adjustments, threshold bonuses, rounding, lines
 *    the policy expenses) is commission expense of the period.
 * 2. Each schedule amortises its month (amortisation first: the contract gave its benefit that month).
 * 3. A negative line of such a component (a clawback, a correction down) reduces the asset: it takes what remains of
 *    the booking's schedules, oldest first, as reduction schedules (negative costs amortised over the months each
 *    reduced schedule has left, so both end together); what exceeds the asset reverses expense already recognised.
 * 4. A booking cancelled by the end of the period (as the period's run saw it) writes off the remaining balance of
 *    every schedule it still has, in this period: the month the cancellation is known.
 * Amounts are in the payee's currency, each schedule month rounded once half-up, the last month taking the remainder.
 */

/** A payout line of the closed period, as the accounting reads it. */
export interface CostLine {
  runId: string;
  repId: string;
  lineNo: number;
  kind: string;
  componentKey: string | null;
  bookingId: string | null;
  currency: string;
  amount: Decimal;
  /** For a draw line: recoverable or nonRecoverable (from its trace). */
  drawKind?: string;
}

/** Lines that move a payee's balance (see AccountingPolicy.balanceLines). */
export function isBalanceLine(l: Pick<CostLine, 'kind' | 'drawKind'>): boolean {
  return l.kind === 'balance_recovery' || l.kind === 'negative_carried_forward' || (l.kind === 'draw' && l.drawKind === 'recoverable');
}

/** A booking as the closed period's run saw it. */
export interface BookingTerms {
  bookingId: string;
  versionId: string;
  type: 'new' | 'renewal' | 'expansion';
  product: string;
  termMonths: number;
  cancelledDate: IsoDate | null;
}

export type ScheduleTreatment = 'capitalised' | 'reduction';

/** How a schedule spreads its cost: `monthly` in every month but the last, which takes `last` (the remainder). */
export interface Spread {
  startPeriod: Period;
  months: number;
  monthly: Decimal;
  last: Decimal;
}

/** A schedule as stored (id) or about to be (key: its index among the close's new schedules). */
export interface Schedule extends Spread {
  ref: ScheduleRef;
  repId: string;
  bookingId: string;
  currency: string;
  treatment: ScheduleTreatment;
  cost: Decimal;
  /** The closed period that produced it. */
  period: Period;
  /** The period whose close wrote off its remaining balance, if one did. */
  writtenOffIn: Period | null;
  /** For a reduction: the capitalised schedule it reduces. */
  reduces: ScheduleRef | null;
}

export type ScheduleRef = { id: string } | { fresh: number };

/** A schedule the close adds, with the line it comes from and why it has the period it has. */
export interface NewSchedule extends Schedule {
  ref: { fresh: number };
  line: { runId: string; lineNo: number; kind: string; componentKey: string | null; bookingVersionId: string };
  /** term | expected_life | remaining: where `months` comes from. */
  basis: 'term' | 'expected_life' | 'remaining';
  note: string;
}

export interface WriteOff {
  schedule: ScheduleRef;
  amount: Decimal;
  cancelledDate: IsoDate;
}

/** What a line costs the period when it is not capitalised, and why (the words a schedule listing shows). */
export interface ExpensedLine {
  line: CostLine;
  amount: Decimal;
  reason: string;
}

export interface CloseAccounting {
  schedules: NewSchedule[];
  writeOffs: WriteOff[];
  expensed: ExpensedLine[];
  /** Balance lines posted to advances (policy balanceLines = advance). */
  advances: ExpensedLine[];
}

/** The component a line belongs to, from its key "plan@vN:component:window". */
export function componentOf(componentKey: string | null): { planId: string; version: number; componentId: string } | null {
  const m = componentKey ? /^(.+)@v(\d+):([^:]+):/.exec(componentKey) : null;
  return m ? { planId: m[1], version: Number(m[2]), componentId: m[3] } : null;
}

/**
 * Straight-line spread: each month `cost / months` rounded once half-up, the last month the remainder, so the months
 * sum to the cost exactly. Where half-up rounding would carry the running balance past zero before the last month (a
 * cost of a few cents over many months: 0.75 over 48 months at 0.02 a month), the month is rounded toward zero
 * instead, so the asset never changes sign on its way to zero.
 */
export function spread(cost: Decimal, startPeriod: Period, months: number, places: number): Spread {
  if (!Number.isInteger(months) || months < 1) throw new Error(`a schedule needs a positive whole number of months, got ${months}`);
  let monthly = roundHalfUp(cost.div(months), places);
  if (monthly.times(months - 1).abs().greaterThan(cost.abs())) monthly = cost.div(months).toDecimalPlaces(places, Decimal.ROUND_DOWN);
  return { startPeriod, months, monthly, last: cost.minus(monthly.times(months - 1)) };
}

/**
 * A reduction of `applied` from a schedule with `remaining` left over `months` months, whose months now amortise
 * `net.monthly` (and `net.last` in the last). The reduction is what makes the months amortise the straight-line
 * spread of what is left (`remaining − applied`, by `spread`): so the schedule and its reductions, together, never
 * cross zero and end at zero in the schedule's last month. Its months sum to −applied exactly:
 * (months − 1)·(n − net.monthly) + (n_last − net.last) = (remaining − applied) − remaining.
 */
export function reductionSpread(remaining: Decimal, applied: Decimal, net: { monthly: Decimal; last: Decimal }, startPeriod: Period, months: number, places: number): Spread {
  const left = spread(remaining.minus(applied), startPeriod, months, places);
  return { startPeriod, months, monthly: left.monthly.minus(net.monthly), last: left.last.minus(net.last) };
}

/** The last month a schedule amortises. */
export function endPeriod(s: Spread): Period {
  return addMonths(s.startPeriod, s.months - 1);
}

/** What a schedule amortises in `p` (zero outside its months and after the month it was written off). */
export function amortisationIn(s: Spread & { writtenOffIn: Period | null }, p: Period): Decimal {
  const k = monthsBetween(s.startPeriod, p);
  if (k < 0 || k >= s.months) return ZERO;
  if (s.writtenOffIn !== null && s.writtenOffIn < p) return ZERO;
  return k === s.months - 1 ? s.last : s.monthly;
}

/** What a schedule has amortised through `p` (inclusive), its write-off aside. */
export function amortisedThrough(s: Spread, p: Period): Decimal {
  const k = Math.min(monthsBetween(s.startPeriod, p) + 1, s.months);
  if (k <= 0) return ZERO;
  return k === s.months ? s.monthly.times(s.months - 1).plus(s.last) : s.monthly.times(k);
}

/** The balance left after `p` (inclusive): cost less amortisation, zero once written off. */
export function remainingAfter(s: Schedule, p: Period): Decimal {
  if (s.writtenOffIn !== null && s.writtenOffIn <= p) return ZERO;
  return s.cost.minus(amortisedThrough(s, p));
}

/** The months a schedule has left after `p`. */
function monthsLeftAfter(s: Spread, p: Period): number {
  return Math.max(0, Math.min(s.months, s.months - (monthsBetween(s.startPeriod, p) + 1)));
}

export interface CloseInput {
  period: Period;
  lines: CostLine[];
  /** Bookings the lines name and the bookings with open schedules, as the period's run saw them. */
  bookings: Map<string, BookingTerms>;
  /**
   * Stored schedules not written off that amortise in the period or later, at least those of the bookings of the
   * period's negative lines and of bookings cancelled by its end (the others are only amortised, which needs no row).
   */
  open: Schedule[];
  policy: AccountingPolicy;
  /** The component type of a line's component ("tiered", "spiff", "override", …), null when the plan has none. */
  componentType: (componentKey: string) => string | null;
  places: (currency: string) => number;
}

/** Applies the rules above to one closed period. Deterministic: the same input gives the same schedules in order. */
export function accountForClose(input: CloseInput): CloseAccounting {
  const { period: p, policy } = input;
  const out: CloseAccounting = { schedules: [], writeOffs: [], expensed: [], advances: [] };
  const groups = new Map<string, { repId: string; bookingId: string; currency: string; schedules: Schedule[] }>();
  const group = (repId: string, bookingId: string, currency: string) => {
    const key = JSON.stringify([repId, bookingId, currency]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { repId, bookingId, currency, schedules: [] }));
    return g;
  };
  for (const s of [...input.open].sort((a, b) => compareRefs(a.ref, b.ref))) group(s.repId, s.bookingId, s.currency).schedules.push(s);
  /** A new schedule of this close from `line`, numbered in the order they are made. */
  const add = (line: CostLine, booking: BookingTerms, treatment: ScheduleTreatment, cost: Decimal, how: Spread, why: Pick<NewSchedule, 'basis' | 'reduces' | 'note'>): NewSchedule => {
    const s: NewSchedule = {
      ref: { fresh: out.schedules.length },
      repId: line.repId,
      bookingId: booking.bookingId,
      currency: line.currency,
      treatment,
      cost,
      period: p,
      writtenOffIn: null,
      ...how,
      line: { runId: line.runId, lineNo: line.lineNo, kind: line.kind, componentKey: line.componentKey, bookingVersionId: booking.versionId },
      ...why,
    };
    out.schedules.push(s);
    return s;
  };

  const negatives: { line: CostLine; booking: BookingTerms }[] = [];
  const lines = [...input.lines].sort((a, b) => (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : a.lineNo - b.lineNo));
  for (const line of lines) {
    if (line.amount.isZero()) continue;
    if (policy.balanceLines === 'advance' && isBalanceLine(line)) {
      out.advances.push({ line, amount: line.amount, reason: `moves the payee's balance (${line.kind} line): an advance, not a cost` });
      continue;
    }
    const why = expensedBecause(line, input);
    if (why !== null) {
      out.expensed.push({ line, amount: line.amount, reason: why });
      continue;
    }
    const booking = input.bookings.get(line.bookingId!)!;
    if (line.amount.isNegative()) {
      negatives.push({ line, booking });
      continue;
    }
    const { months, basis } = periodOfBenefit(booking, policy);
    if (policy.practicalExpedient && months <= 12) {
      out.expensed.push({ line, amount: line.amount, reason: `practical expedient: a period of benefit of ${months} months (${basisWords(basis, booking, months)}) is expensed when incurred` });
      continue;
    }
    const s = add(line, booking, 'capitalised', line.amount, spread(line.amount, p, months, input.places(line.currency)), {
      basis,
      reduces: null,
      note: `capitalised: amortised over ${basisWords(basis, booking, months)} from ${p}`,
    });
    group(s.repId, s.bookingId, s.currency).schedules.push(s);
  }

  for (const { line, booking } of negatives) {
    const g = group(line.repId, booking.bookingId, line.currency);
    let left = line.amount.negated();
    for (const s of g.schedules) {
      if (left.isZero()) break;
      if (s.treatment !== 'capitalised') continue;
      const reductions = g.schedules.filter((r) => r.treatment === 'reduction' && sameRef(r.reduces, s.ref));
      const remaining = reductions.reduce((acc, r) => acc.plus(remainingAfter(r, p)), remainingAfter(s, p));
      if (!remaining.greaterThan(0)) continue;
      const applied = Decimal.min(remaining, left);
      const months = monthsLeftAfter(s, p);
      // what the schedule and its earlier reductions amortise in each month left (all end in the same month)
      const net = [s, ...reductions].reduce((acc, x) => ({ monthly: acc.monthly.plus(x.monthly), last: acc.last.plus(x.last) }), { monthly: ZERO, last: ZERO });
      const r = add(line, booking, 'reduction', applied.negated(), reductionSpread(remaining, applied, net, addMonths(p, 1), months, input.places(line.currency)), {
        basis: 'remaining',
        reduces: s.ref,
        note:
          `${line.kind === 'clawback' ? 'clawback' : 'correction'} reduces the asset of ${refWords(s.ref)} by ${applied.toFixed()} over its ${months} remaining months` +
          (booking.cancelledDate && booking.cancelledDate <= periodEnd(p) ? `; booking ${booking.bookingId} is cancelled, so what is left of both is written off in ${p}` : ''),
      });
      g.schedules.push(r);
      left = left.minus(applied);
    }
    if (!left.isZero()) {
      out.expensed.push({ line, amount: left.negated(), reason: `${line.kind === 'clawback' ? 'clawback' : 'correction'} beyond the asset left for booking ${booking.bookingId}: reverses commission expense` });
    }
  }

  for (const g of groups.values()) {
    const booking = input.bookings.get(g.bookingId);
    if (!booking?.cancelledDate || booking.cancelledDate > periodEnd(p)) continue;
    for (const s of g.schedules) {
      const left = remainingAfter(s, p);
      if (!left.isZero()) out.writeOffs.push({ schedule: s.ref, amount: left, cancelledDate: booking.cancelledDate });
    }
  }
  return out;
}

/** Null when the policy capitalises the line's cost; otherwise why it is expensed when incurred. */
function expensedBecause(line: CostLine, input: CloseInput): string | null {
  if (line.bookingId === null || line.componentKey === null) return `not tied to a contract (${line.kind} line)`;
  if (!['commission', 'spiff', 'override', 'clawback', 'prior_period_adjustment'].includes(line.kind)) return `not tied to a contract (${line.kind} line)`;
  const c = componentOf(line.componentKey);
  if (!c) return `not tied to a contract (${line.kind} line)`;
  if (input.policy.expense.components.includes(`${c.planId}/${c.componentId}`)) return `the policy expenses component ${c.planId}/${c.componentId}`;
  const type = input.componentType(line.componentKey);
  if (type !== null && input.policy.expense.componentTypes.includes(type)) return `the policy expenses ${type} components`;
  if (!input.bookings.has(line.bookingId)) return `booking ${line.bookingId} is not among the bookings the run saw`;
  return null;
}

/** The amortisation period: the product's expected customer life for a new or expansion booking, else the term. */
export function periodOfBenefit(b: BookingTerms, policy: AccountingPolicy): { months: number; basis: 'term' | 'expected_life' } {
  const life = policy.expectedLifeMonths[b.product];
  if (life !== undefined && b.type !== 'renewal') return { months: life, basis: 'expected_life' };
  return { months: b.termMonths, basis: 'term' };
}

function basisWords(basis: 'term' | 'expected_life', b: BookingTerms, months: number): string {
  return basis === 'expected_life' ? `the expected customer life of ${b.product}, ${months} months` : `the contract term of ${months} months`;
}

function refWords(r: ScheduleRef): string {
  return 'id' in r ? `schedule ${r.id}` : 'a schedule of this close';
}

export function sameRef(a: ScheduleRef | null | undefined, b: ScheduleRef): boolean {
  if (!a) return false;
  return 'id' in a ? 'id' in b && a.id === b.id : 'fresh' in b && a.fresh === b.fresh;
}

/** Stored schedules by id (numerically), then the close's new ones in order. */
function compareRefs(a: ScheduleRef, b: ScheduleRef): number {
  if ('id' in a && 'id' in b) return BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;
  if ('id' in a) return -1;
  if ('id' in b) return 1;
  return a.fresh - b.fresh;
}
