import { IsoDate } from '../calendar/dates';
import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { Decimal, ZERO } from '../money/decimal';
import { BookingFacts, PaymentFacts } from './calculation-types';

/**
 * Payment-based eligibility (plans with `earnOn: "payment"`): a booking's credit is earned as its cash is collected.
 *
 * Payments are taken in paid order (payment id within a day). Cash collected is cumulative and clamped to
 * [0, amount], so a partial payment earns its share, an overpayment earns nothing more, and a later payment after a
 * refund earns again. A payment that raises what is collected earns a share of the credit on its paid date (in the
 * window of that date). A credit note or refund that lowers it takes back from the shares already earned, the latest
 * first, on its own date: the share keeps counting in the window it was earned in, reduced, and the period of the
 * credit note pays the difference back as a clawback (a clawback of the part already paid, never more).
 */
export interface PaymentShare {
  paymentId: string;
  kind: PaymentFacts['kind'];
  amount: Decimal;
  paidDate: IsoDate;
  /** Of the booking's amount, the fraction this payment collected. */
  fraction: Decimal;
  /** Credit notes and refunds that took part of it back: on which day, which, and what fraction of the booking. */
  reversals: { on: IsoDate; by: string; kind: PaymentFacts['kind']; fraction: Decimal }[];
}

export function paymentShares(b: BookingFacts, payments: PaymentFacts[]): PaymentShare[] {
  const out: PaymentShare[] = [];
  if (b.amount.isZero()) return out;
  const sorted = [...payments].sort((x, y) => (x.paidDate !== y.paidDate ? (x.paidDate < y.paidDate ? -1 : 1) : x.paymentId < y.paymentId ? -1 : x.paymentId > y.paymentId ? 1 : 0));
  const top = b.amount.abs();
  const clamp = (x: Decimal) => (x.isNegative() ? ZERO : x.greaterThan(top) ? top : x);
  let collected = ZERO;
  for (const p of sorted) {
    if (p.currency !== b.currency) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `payment ${p.paymentId} is in ${p.currency} but booking ${b.bookingId} is in ${b.currency}`);
    }
    const next = p.kind === 'payment' ? collected.plus(p.amount) : collected.minus(p.amount);
    const delta = clamp(next).minus(clamp(collected)).dividedBy(top);
    collected = next;
    if (delta.greaterThan(0)) out.push({ paymentId: p.paymentId, kind: p.kind, amount: p.amount, paidDate: p.paidDate, fraction: delta, reversals: [] });
    else if (delta.isNegative()) {
      // take back from the latest shares still standing
      let owed = delta.negated();
      for (let k = out.length - 1; k >= 0 && owed.greaterThan(0); k--) {
        const s = out[k];
        const standing = s.fraction.minus(s.reversals.reduce((t, r) => t.plus(r.fraction), ZERO));
        if (!standing.greaterThan(0)) continue;
        const take = owed.lessThan(standing) ? owed : standing;
        s.reversals.push({ on: p.paidDate, by: p.paymentId, kind: p.kind, fraction: take });
        owed = owed.minus(take);
      }
    }
  }
  return out;
}

/** What a share has had taken back by `asOf`: the fraction, and the last credit note or refund, if any. */
export function reversedBy(share: PaymentShare, asOf: IsoDate): { fraction: Decimal; last: PaymentShare['reversals'][number] | null } {
  let fraction = ZERO;
  let last: PaymentShare['reversals'][number] | null = null;
  for (const r of share.reversals) {
    if (r.on > asOf) continue;
    fraction = fraction.plus(r.fraction);
    last = r;
  }
  return { fraction, last };
}
