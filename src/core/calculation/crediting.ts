import { IsoDate, rangeContains } from '../calendar/dates';
import { Clawback, clawbackOf, clawbackTrace } from './clawback';
import { Decimal, HUNDRED, ONE } from '../money/decimal';
import { BookingFacts, RepFacts } from './calculation-types';
import { CreditSource } from '../plans/plan-types';
import { FxTable } from './fx-table';
import { Segment } from './shared-facts';
import { CreditTrace } from './trace';

/**
 * Crediting: which bookings count for a payee, under which measure, and for how much. Credit = base × split % ×
 * credit % × FX, where the base is ACV (amount × 12 / term when term > 12), TCV or the first year.
 */

/** One booking credited to a payee under one measure of one plan segment. */
export interface CreditItem {
  booking: BookingFacts;
  /** The payee credited. */
  repId: string;
  /** The rep the booking is credited to (the payee, or a report or team member for rules with `from`). */
  memberId: string;
  segment: Segment;
  measure: string;
  ruleId: string;
  splitPct: Decimal;
  creditPct: Decimal;
  baseKind: string;
  /** Commissionable base in booking currency (ACV/TCV/first year), before split and credit %. */
  base: Decimal;
  /** base × split × credit %, booking currency. */
  creditBookingCcy: Decimal;
  fxRate: Decimal;
  fxDate: IsoDate | null;
  /** In payee currency. */
  credit: Decimal;
  trace?: CreditTrace;
  ruleFacts?: Record<string, string>;
  /** Set on the copy of an item that a partial (or termination) clawback reduced: credit is what still counts. */
  clawback?: Clawback;
}

/** ACV = amount × 12 / term when the term exceeds 12 months, else the amount. */
export function acvOf(amount: Decimal, termMonths: number): Decimal {
  return termMonths > 12 ? amount.times(12).dividedBy(termMonths) : amount;
}

/** The first year's value of the contract (the same figure as ACV for terms of a year or longer). */
function firstYearOf(amount: Decimal, termMonths: number): Decimal {
  return termMonths > 12 ? amount.times(12).dividedBy(termMonths) : amount;
}

/** amount × 12 / term for every term: a one-month contract's MRR becomes its annual run rate. */
export function annualizedOf(amount: Decimal, termMonths: number): Decimal {
  return amount.times(12).dividedBy(termMonths);
}

/** The booking facts a plan's rules read (all strings: the rules engine compares decimal strings exactly). */
export function bookingRuleFacts(b: BookingFacts, splitPct: Decimal): Record<string, string> {
  return {
    bookingId: b.bookingId,
    type: b.type,
    product: b.product,
    customerId: b.customerId,
    currency: b.currency,
    amount: b.amount.toFixed(),
    acv: acvOf(b.amount, b.termMonths).toFixed(),
    tcv: b.amount.toFixed(),
    firstYear: firstYearOf(b.amount, b.termMonths).toFixed(),
    annualized: annualizedOf(b.amount, b.termMonths).toFixed(),
    termMonths: String(b.termMonths),
    splitPct: splitPct.toFixed(),
    bookedDate: b.bookedDate,
  };
}

/** The rule facts of a credited booking (built once per item). */
export function ruleFactsOf(i: CreditItem): Record<string, string> {
  return (i.ruleFacts ??= bookingRuleFacts(i.booking, i.splitPct));
}

/**
 * Every booking credited to `rep`, per measure, in booked order: the first passing crediting rule of each measure
 * (rules by priority), on the plan segment the payee was active on at the booked date.
 */
export async function creditBookings(
  rep: RepFacts,
  segments: Segment[],
  credits: { booking: BookingFacts; splitPct: Decimal; memberId?: string }[],
  fx: FxTable,
  /** Only rules reading this source apply (own bookings: "self"; a report's or team member's: theirs). */
  source: CreditSource = 'self',
): Promise<CreditItem[]> {
  const out: CreditItem[] = [];
  for (const { booking, splitPct, memberId } of credits) {
    const segment = segments.find((s) => rangeContains(s.range, booking.bookedDate));
    if (!segment) continue; // booked on a day the payee was not active on any plan
    const verdicts = await segment.plan.crediting.evaluate(bookingRuleFacts(booking, splitPct));
    const taken = new Set<string>();
    for (const v of verdicts) {
      if (!v.passed) continue;
      const rule = segment.plan.doc.crediting.rules.find((r) => r.id === v.id);
      if (!rule || (rule.from ?? 'self') !== source || taken.has(rule.measure)) continue;
      taken.add(rule.measure);
      const creditPct = new Decimal(rule.creditPct);
      if (rule.creditAs === 'count') {
        // a count: creditPct / 100 per booking, in no currency (no split, no FX)
        const count = creditPct.dividedBy(HUNDRED);
        out.push({ booking, repId: rep.repId, memberId: memberId ?? rep.repId, segment, measure: rule.measure, ruleId: rule.id, splitPct, creditPct, baseKind: 'count', base: ONE, creditBookingCcy: count, fxRate: ONE, fxDate: null, credit: count });
        continue;
      }
      const baseKind = segment.plan.doc.crediting.base;
      const base = baseKind === 'tcv' ? booking.amount : baseKind === 'annualized' ? annualizedOf(booking.amount, booking.termMonths) : acvOf(booking.amount, booking.termMonths);
      const creditBookingCcy = base.times(splitPct).dividedBy(HUNDRED).times(creditPct).dividedBy(HUNDRED);
      const rate = fx.rateOrThrow(booking.currency, rep.currency, booking.bookedDate);
      out.push({
        booking,
        repId: rep.repId,
        memberId: memberId ?? rep.repId,
        segment,
        measure: rule.measure,
        ruleId: rule.id,
        splitPct,
        creditPct,
        baseKind,
        base,
        creditBookingCcy,
        fxRate: rate.rate,
        fxDate: rate.date,
        credit: creditBookingCcy.times(rate.rate),
      });
    }
  }
  return out.sort(byBookingOrder);
}

/**
 * A credited booking as it counts as of `asOf`: the item itself; null when not yet booked or clawed back in full
 * (a cancellation inside the plan's clawback window); or, for a partial or termination clawback, a copy that carries
 * the clawback and only the retained part of the credit (made once per item and clawback by `variant`). A
 * termination clawback in full keeps a zero-credit copy, so the line that takes the commission back knows why.
 */
export function countedItem(
  i: CreditItem,
  asOf: IsoDate,
  terminationDate: IsoDate | null,
  variant: (owner: CreditItem, key: string, build: () => CreditItem) => CreditItem,
): CreditItem | null {
  const b = i.booking;
  if (b.bookedDate > asOf) return null;
  const plan = i.segment.plan.doc;
  if (!plan.clawback) return i;
  const c = clawbackOf(b, plan, asOf, terminationDate);
  if (!c) return i;
  if (c.retained.isZero() && c.reason === 'cancellation') return null;
  return variant(i, `${c.reason}|${c.on}|${c.retained.toFixed()}`, () => ({
    ...i,
    clawback: c,
    creditBookingCcy: i.creditBookingCcy.times(c.retained),
    credit: i.credit.times(c.retained),
    trace: undefined,
  }));
}

/** A credited booking's trace: built once and shared (callers spread it into new objects, never change it). */
export function creditTrace(i: CreditItem): CreditTrace {
  return (i.trace ??= {
    bookingId: i.booking.bookingId,
    bookingVersion: i.booking.version,
    bookedDate: i.booking.bookedDate,
    cancelledDate: i.booking.cancelledDate,
    bookingType: i.booking.type,
    product: i.booking.product,
    rule: i.ruleId,
    measure: i.measure,
    amount: i.booking.amount.toFixed(),
    bookingCurrency: i.booking.currency,
    termMonths: i.booking.termMonths,
    baseKind: i.baseKind,
    base: i.base.toFixed(),
    splitPct: i.splitPct.toFixed(),
    creditPct: i.creditPct.toFixed(),
    fxRate: i.fxRate.toFixed(),
    fxDate: i.fxDate,
    credit: i.credit.toFixed(),
    ...(i.clawback ? { clawback: clawbackTrace(i.clawback) } : {}),
    ...(i.memberId !== i.repId ? { creditedTo: i.memberId } : {}),
  });
}

export function byBookingOrder(a: CreditItem, b: CreditItem): number {
  if (a.booking.bookedDate !== b.booking.bookedDate) return a.booking.bookedDate < b.booking.bookedDate ? -1 : 1;
  if (a.booking.bookingId !== b.booking.bookingId) return a.booking.bookingId < b.booking.bookingId ? -1 : 1;
  if (a.measure !== b.measure) return a.measure < b.measure ? -1 : 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}
