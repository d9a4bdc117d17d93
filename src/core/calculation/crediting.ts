import { IsoDate, rangeContains } from '../calendar/dates';
import { Clawback, clawbackOf, clawbackTrace } from './clawback';
import { PaymentShare, paymentShares, reversedBy } from './payments';
import { Decimal, HUNDRED, ONE, ZERO } from '../money/decimal';
import { BookingFacts, PaymentFacts, RepFacts } from './calculation-types';
import { CreditSource, CreditingSpec } from '../plans/plan-types';
import { FxTable } from './fx-table';
import { Segment } from './segment';
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
  /** The day the credit is earned: the booked date, or a payment's date under earnOn "payment". */
  on: IsoDate;
  /** Under earnOn "payment": the payment (or credit note, refund) this item's share of the credit comes from. */
  payment?: PaymentShare;
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
  /** A tax-inclusive plan took this rate out of the amount: base = amount / (1 + rate). */
  taxRate?: Decimal;
  /** An overlay credit (absent: a revenue split). */
  splitType?: 'overlay';
  /** A renewal credited on its uplift: the contract it renews, that contract's base (null: not found), the renewal's own. */
  uplift?: { renews: string; priorBase: Decimal | null; fullBase: Decimal };
  /** Set on the copy of a payment's share that credit notes or refunds reduced: the last of them, and all they took. */
  reversal?: { on: IsoDate; by: string; kind: string; fraction: Decimal };
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
export function bookingRuleFacts(b: BookingFacts, splitPct: Decimal, splitType = 'revenue'): Record<string, string> {
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
    splitType,
    renewsBookingId: b.renews ?? '',
  };
}

/** The rule facts of a credited booking (built once per item). */
export function ruleFactsOf(i: CreditItem): Record<string, string> {
  return (i.ruleFacts ??= bookingRuleFacts(i.booking, i.splitPct, i.splitType));
}

/**
 * Every booking credited to `rep`, per measure, in booked order: the first passing crediting rule of each measure
 * (rules by priority), on the plan segment the payee was active on at the booked date.
 */
/** The tax rate a tax-inclusive plan takes out of a booking's amount: the booking's own, else its product's, else the plan's. */
function taxRateOf(b: BookingFacts, tax: CreditingSpec['taxInclusive']): Decimal | null {
  if (!tax) return null;
  if (b.taxRate !== undefined) return b.taxRate;
  const r = tax.byProduct?.[b.product] ?? tax.rate;
  return r === undefined ? null : new Decimal(r);
}

/** What else crediting reads: payments for plans that earn on payment, and renewed contracts for uplift rules. */
export interface CreditingLookups {
  paymentsOf?: (bookingId: string) => PaymentFacts[];
  bookingById?: (bookingId: string) => BookingFacts | undefined;
}

export async function creditBookings(
  rep: RepFacts,
  segments: Segment[],
  credits: { booking: BookingFacts; splitPct: Decimal; splitType?: 'revenue' | 'overlay'; memberId?: string }[],
  fx: FxTable,
  /** Only rules reading this source apply (own bookings: "self"; a report's or team member's: theirs). */
  source: CreditSource = 'self',
  lookups: CreditingLookups = {},
): Promise<CreditItem[]> {
  const out: CreditItem[] = [];
  const paymentsOf = lookups.paymentsOf ?? (() => []);
  for (const { booking, splitPct, splitType, memberId } of credits) {
    const segment = segments.find((s) => rangeContains(s.range, booking.bookedDate));
    if (!segment) continue; // booked on a day the payee was not active on any plan
    const kind = splitType ?? 'revenue';
    const verdicts = await segment.plan.crediting.evaluate(bookingRuleFacts(booking, splitPct, kind));
    const taken = new Set<string>();
    for (const v of verdicts) {
      if (!v.passed) continue;
      const rule = segment.plan.doc.crediting.rules.find((r) => r.id === v.id);
      if (!rule || (rule.from ?? 'self') !== source || taken.has(rule.measure)) continue;
      if (rule.splitTypes && !rule.splitTypes.includes(kind)) continue;
      taken.add(rule.measure);
      const creditPct = new Decimal(rule.creditPct);
      if (rule.creditAs === 'count') {
        // a count: creditPct / 100 per booking, in no currency (no split, no FX), on the booked date
        const count = creditPct.dividedBy(HUNDRED);
        out.push({ booking, repId: rep.repId, memberId: memberId ?? rep.repId, on: booking.bookedDate, segment, measure: rule.measure, ruleId: rule.id, splitPct, ...(splitType === 'overlay' ? { splitType } : {}), creditPct, baseKind: 'count', base: ONE, creditBookingCcy: count, fxRate: ONE, fxDate: null, credit: count });
        continue;
      }
      const doc = segment.plan.doc;
      const baseKind = doc.crediting.base;
      const baseOf = (b: BookingFacts) => {
        const tax = taxRateOf(b, doc.crediting.taxInclusive);
        const amount = tax === null ? b.amount : b.amount.dividedBy(ONE.plus(tax));
        return baseKind === 'tcv' ? amount : baseKind === 'annualized' ? annualizedOf(amount, b.termMonths) : acvOf(amount, b.termMonths);
      };
      const taxRate = taxRateOf(booking, doc.crediting.taxInclusive);
      let base = baseOf(booking);
      let uplift: CreditItem['uplift'];
      if (rule.uplift && booking.renews) {
        // a renewal earns on what it adds over the contract it renews (in the renewal's currency at its booked date)
        const prior = lookups.bookingById?.(booking.renews);
        const priorBase = prior ? baseOf(prior).times(prior.currency === booking.currency ? ONE : fx.rateOrThrow(prior.currency, booking.currency, booking.bookedDate).rate) : null;
        uplift = { renews: booking.renews, priorBase, fullBase: base };
        if (priorBase !== null) base = base.greaterThan(priorBase) ? base.minus(priorBase) : ZERO;
      }
      const creditBookingCcy = base.times(splitPct).dividedBy(HUNDRED).times(creditPct).dividedBy(HUNDRED);
      const rate = fx.rateOrThrow(booking.currency, rep.currency, booking.bookedDate);
      const item: CreditItem = {
        booking,
        repId: rep.repId,
        memberId: memberId ?? rep.repId,
        on: booking.bookedDate,
        ...(taxRate !== null ? { taxRate } : {}),
        ...(splitType === 'overlay' ? { splitType } : {}),
        ...(uplift ? { uplift } : {}),
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
      };
      if (doc.earnOn !== 'payment') {
        out.push(item);
        continue;
      }
      // earned as cash comes in: each payment's share of the credit, on its paid date (FX stays the booked date's)
      for (const share of paymentShares(booking, paymentsOf(booking.bookingId))) {
        out.push({ ...item, on: share.paidDate, payment: share, creditBookingCcy: item.creditBookingCcy.times(share.fraction), credit: item.credit.times(share.fraction) });
      }
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
  if (i.on > asOf) return null;
  const plan = i.segment.plan.doc;
  // a payment's share that credit notes or refunds took back by asOf counts for what is left of it
  const back = i.payment ? reversedBy(i.payment, asOf) : null;
  const c = plan.clawback ? clawbackOf(b, plan, asOf, terminationDate) : null;
  if (!c && !back?.last) return i;
  if (c && c.retained.isZero() && c.reason === 'cancellation') return null;
  const paid = back?.last ? (i.payment as PaymentShare).fraction.minus(back.fraction).dividedBy((i.payment as PaymentShare).fraction) : ONE;
  const retained = (c?.retained ?? ONE).times(paid);
  const key = `${c ? `${c.reason}|${c.on}|${c.retained.toFixed()}` : ''}|${back?.last ? `${back.last.by}|${back.fraction.toFixed()}` : ''}`;
  return variant(i, key, () => ({
    ...i,
    ...(c ? { clawback: c } : {}),
    ...(back?.last ? { reversal: { on: back.last.on, by: back.last.by, kind: back.last.kind, fraction: back.fraction } } : {}),
    creditBookingCcy: i.creditBookingCcy.times(retained),
    credit: i.credit.times(retained),
    trace: undefined,
  }));
}

/**
 * The day a booking's credit was taken back, when this item is a take-back: a partial or termination clawback, or
 * a credit note or refund under earnOn "payment". The line that follows from it is a clawback.
 */
export function clawedOn(i: CreditItem): IsoDate | undefined {
  const a = i.clawback?.on;
  const b = i.reversal?.on;
  return a === undefined ? b : b === undefined || a > b ? a : b;
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
    ...(i.taxRate !== undefined ? { taxRate: i.taxRate.toFixed() } : {}),
    ...(i.splitType ? { splitType: i.splitType } : {}),
    ...(i.uplift ? { uplift: { renews: i.uplift.renews, priorBase: i.uplift.priorBase?.toFixed() ?? null, fullBase: i.uplift.fullBase.toFixed() } } : {}),
    ...(i.payment
      ? {
          payment: {
            paymentId: i.payment.paymentId,
            kind: i.payment.kind,
            amount: i.payment.amount.toFixed(),
            paidDate: i.payment.paidDate,
            fraction: i.payment.fraction.toFixed(),
            ...(i.reversal ? { reversedBy: i.reversal.by, reversedKind: i.reversal.kind, reversedOn: i.reversal.on, reversed: i.reversal.fraction.toFixed() } : {}),
          },
        }
      : {}),
  });
}

export function byBookingOrder(a: CreditItem, b: CreditItem): number {
  if (a.on !== b.on) return a.on < b.on ? -1 : 1;
  if (a.booking.bookingId !== b.booking.bookingId) return a.booking.bookingId < b.booking.bookingId ? -1 : 1;
  if (a.measure !== b.measure) return a.measure < b.measure ? -1 : 1;
  if (a.memberId !== b.memberId) return a.memberId < b.memberId ? -1 : 1;
  const pa = a.payment?.paymentId ?? '';
  const pb = b.payment?.paymentId ?? '';
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
