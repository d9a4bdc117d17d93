import { Period, addMonths, previousPeriod } from '../calendar/dates';
import { Decimal, ZERO, roundHalfUp } from '../money/decimal';
import { AccountRole, AccountingPolicy } from './accounting-policy';
import { Schedule, amortisationIn, remainingAfter } from './cost-schedules';

/**
 * The asset's movement in one period, per currency, from the stored schedules and write-offs alone; and the journal
 * that posts it. Pure.
 */

export interface StoredWriteOff {
  scheduleId: string;
  period: Period;
  amount: Decimal;
}

export interface RollForward {
  currency: string;
  opening: Decimal;
  additions: Decimal;
  /** Clawbacks and corrections that reduced the asset (negative). */
  reductions: Decimal;
  amortisation: Decimal;
  writeOffs: Decimal;
  /** opening + additions + reductions − amortisation − write-offs. */
  closing: Decimal;
  /** Amortisation the schedules will take in the next 12 months. */
  current: Decimal;
  nonCurrent: Decimal;
  /** Σ of every schedule's remaining balance after the period, computed schedule by schedule. */
  scheduleBalances: Decimal;
  schedules: number;
}

/**
 * `schedules`: every schedule produced by closes up to and including `p` that could carry a balance into or past it
 * (later ones and later write-offs are left out: the figures are as of `p`).
 */
export function rollForward(p: Period, schedules: Schedule[], writeOffs: StoredWriteOff[]): RollForward[] {
  const prev = previousPeriod(p);
  const by = new Map<string, RollForward>();
  const of = (currency: string) => {
    let r = by.get(currency);
    if (!r) {
      by.set(currency, (r = { currency, opening: ZERO, additions: ZERO, reductions: ZERO, amortisation: ZERO, writeOffs: ZERO, closing: ZERO, current: ZERO, nonCurrent: ZERO, scheduleBalances: ZERO, schedules: 0 }));
    }
    return r;
  };
  const currencyOf = new Map<string, string>();
  for (const stored of schedules) {
    if (stored.period > p) continue;
    // as of `p`: a write-off of a later period had not happened yet
    const s = stored.writtenOffIn !== null && stored.writtenOffIn > p ? { ...stored, writtenOffIn: null } : stored;
    const r = of(s.currency);
    if ('id' in s.ref) currencyOf.set(s.ref.id, s.currency);
    if (s.period <= prev) r.opening = r.opening.plus(remainingAfter(s, prev));
    if (s.period === p) {
      if (s.treatment === 'capitalised') r.additions = r.additions.plus(s.cost);
      else r.reductions = r.reductions.plus(s.cost);
    }
    r.amortisation = r.amortisation.plus(amortisationIn(s, p));
    const left = remainingAfter(s, p);
    r.scheduleBalances = r.scheduleBalances.plus(left);
    if (!left.isZero()) {
      r.schedules += s.treatment === 'capitalised' ? 1 : 0;
      for (let m = 1; m <= 12; m++) r.current = r.current.plus(amortisationIn(s, addMonths(p, m)));
    }
  }
  for (const w of writeOffs) {
    if (w.period !== p) continue;
    const currency = currencyOf.get(w.scheduleId);
    if (currency === undefined) throw new Error(`write-off of schedule ${w.scheduleId} in ${p}: the schedule is not among those read`);
    of(currency).writeOffs = of(currency).writeOffs.plus(w.amount);
  }
  const out = [...by.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  for (const r of out) {
    r.closing = r.opening.plus(r.additions).plus(r.reductions).minus(r.amortisation).minus(r.writeOffs);
    r.nonCurrent = r.closing.minus(r.current);
  }
  return out;
}

/** Whether a roll-forward ties: the closing asset equals the sum of the schedules' remaining balances. */
export function ties(r: RollForward): boolean {
  return r.closing.eq(r.scheduleBalances);
}

export interface JournalEntry {
  /** capitalise | expense | advance | reduce | amortise | write_off */
  entry: 'capitalise' | 'expense' | 'advance' | 'reduce' | 'amortise' | 'write_off';
  description: string;
  debit: AccountRole;
  credit: AccountRole;
  currency: string;
  /** Always positive: a movement the other way swaps debit and credit. */
  amount: Decimal;
}

/**
 * The period's journal in one currency, as balanced pairs. `linesTotal`: Σ of the period's payout lines (what the
 * payees earned this period, draws and recoveries included), all of which is owed through commissions payable; what
 * the asset did not take is commission expense.
 */
export function journalEntries(
  currency: string,
  linesTotal: Decimal,
  r: Pick<RollForward, 'additions' | 'reductions' | 'amortisation' | 'writeOffs'>,
  /** Σ of the balance lines when the policy posts them to advances (else zero: they are expense). */
  advances: Decimal = ZERO,
): JournalEntry[] {
  const expense = linesTotal.minus(r.additions).minus(r.reductions).minus(advances);
  const out: JournalEntry[] = [];
  const pair = (entry: JournalEntry['entry'], description: string, debit: AccountRole, credit: AccountRole, amount: Decimal) => {
    if (amount.isZero()) return;
    out.push(amount.isNegative() ? { entry, description, debit: credit, credit: debit, currency, amount: amount.negated() } : { entry, description, debit, credit, currency, amount });
  };
  pair('capitalise', 'commission costs of obtaining contracts capitalised', 'asset', 'payable', r.additions);
  pair('expense', 'commission costs expensed when incurred', 'commissionExpense', 'payable', expense);
  pair('advance', 'draws and balances owed by payees, as advances', 'advances', 'payable', advances);
  pair('reduce', 'clawbacks and corrections reducing capitalised costs', 'payable', 'asset', r.reductions.negated());
  pair('amortise', 'amortisation of capitalised contract costs', 'amortisationExpense', 'asset', r.amortisation);
  pair('write_off', 'write-off of the costs of cancelled contracts', 'writeOffExpense', 'asset', r.writeOffs);
  return out;
}

/** A journal row as exported: one side of one entry. */
export interface JournalRow {
  period: Period;
  entry: JournalEntry['entry'];
  account: string;
  accountName: string;
  description: string;
  currency: string;
  debit: string;
  credit: string;
  reportingCurrency: string;
  reportingDebit: string;
  reportingCredit: string;
}

/**
 * Each entry as two rows (debit, then credit). The reporting-currency amount is converted once per entry and rounded
 * once (half-up), and both rows carry it, so the journal balances in the reporting currency as in each currency.
 */
export function journalRows(
  p: Period,
  entries: JournalEntry[],
  policy: AccountingPolicy,
  places: (currency: string) => number,
  toReporting: (amount: Decimal, currency: string) => Decimal,
  reportingCurrency: string,
): JournalRow[] {
  const rows: JournalRow[] = [];
  const rp = places(reportingCurrency);
  for (const e of entries) {
    const amount = e.amount.toFixed(places(e.currency));
    const converted = roundHalfUp(toReporting(e.amount, e.currency), rp).toFixed(rp);
    for (const side of ['debit', 'credit'] as const) {
      const a = policy.accounts[side === 'debit' ? e.debit : e.credit];
      rows.push({
        period: p,
        entry: e.entry,
        account: a.code,
        accountName: a.name,
        description: e.description,
        currency: e.currency,
        debit: side === 'debit' ? amount : '',
        credit: side === 'credit' ? amount : '',
        reportingCurrency,
        reportingDebit: side === 'debit' ? converted : '',
        reportingCredit: side === 'credit' ? converted : '',
      });
    }
  }
  return rows;
}
