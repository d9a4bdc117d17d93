import { Decimal } from '../money/decimal';
import { ReconciliationRow } from './reconcile';

/**
 * What each kind of reconciliation error needs, in words, for the person who fixes it (finance, with payroll). Pure:
 * the row's own figures in, one sentence out. Matched rows need nothing (null). The kinds, in the order a person
 * works through them: money missing, money wrong, money that should not have been paid, corrected later.
 */
export const ERROR_KINDS = ['missing', 'wrong amount', 'wrong currency', 'paid twice', 'unexpected', 'corrected later'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export function errorKind(r: ReconciliationRow): ErrorKind | null {
  if (r.status === 'missing') return 'missing';
  if (r.status === 'unexpected') return r.computed === null && r.errorAmount === '0.00' ? 'paid twice' : 'unexpected';
  if (r.status === 'mismatched') {
    if (r.otherCurrencies.length) return 'wrong currency';
    if (r.reference && r.paid !== null && r.computed !== null && new Decimal(r.paid).equals(new Decimal(r.computed).times(2))) return 'paid twice';
    return 'wrong amount';
  }
  return r.corrections.length ? 'corrected later' : null;
}

export function fixFor(r: ReconciliationRow): string | null {
  const kind = errorKind(r);
  const cur = r.currency;
  switch (kind) {
    case 'missing':
      return `pay ${r.computed} ${cur} to ${r.repId} in the next payroll run`;
    case 'wrong amount': {
      const d = new Decimal(r.difference ?? '0');
      return d.isPositive() ? `recover ${d.toFixed(2)} ${cur} overpaid to ${r.repId} (from the next payroll run)` : `pay ${r.repId} the ${d.abs().toFixed(2)} ${cur} still owed`;
    }
    case 'wrong currency':
      return `reverse the payment in ${r.otherCurrencies.map((o) => `${o.amount} ${o.currency}`).join(' + ')} and pay ${r.computed} ${cur} in the payee's currency`;
    case 'paid twice':
      return r.computed === null ? `the second record of ${r.repId}'s payment: its amount counts in the row above` : `recover the duplicate payment of ${r.computed} ${cur} from ${r.repId}`;
    case 'unexpected':
      return `${r.paid} ${cur} paid to ${r.repId} with no payout computed: find out why payroll paid it, and recover it if it was a mistake`;
    case 'corrected later':
      return `already corrected in a later period (${r.corrections.map((c) => `${c.ref} in ${c.paidInPeriod}`).join(', ')}): nothing more to do`;
    default:
      return null;
  }
}
