import { isIsoDate, IsoDate, Period, periodOf } from '../calendar/dates';
import { PayeeResult, PayoutLine } from '../calculation/calculation-types';
import { BOOKING_COLUMNS, BookingRecord, validateBookingsCsv } from '../intake/booking-intake';
import { describeLine, explainTrace } from '../explain/line-words';
import { idProblem } from '../ids/identifier';
import { Decimal, ZERO } from '../money/decimal';

/**
 * The what-if estimator's pure half: hypothetical deals read and checked exactly as a bookings.csv import would check
 * them (each deal becomes the CSV rows an import would hold, so no second set of rules can drift from the first), and
 * the comparison of the engine's results with and without them. The service (estimates/) reads the facts and runs the
 * engine twice; nothing here touches a store or a clock.
 */

/** A deal as the API and the CLI take it: the fields of bookings.csv, camelCase, one object per booking. */
export interface DealInput {
  bookingId?: unknown;
  customerId?: unknown;
  type?: unknown;
  product?: unknown;
  amount?: unknown;
  currency?: unknown;
  termMonths?: unknown;
  bookedDate?: unknown;
  cancelledDate?: unknown;
  /** The payee's share when `credits` is absent (default "100"). */
  splitPct?: unknown;
  /** Every credited payee (splits); default: the payee asked about, at `splitPct`. */
  credits?: unknown;
  taxRate?: unknown;
  renewsBookingId?: unknown;
}

/** A booking already imported, cancelled on a date (what-if it churned). */
export interface CancellationInput {
  bookingId: string;
  cancelledDate: IsoDate;
}

/** CSV column → the API's field name, so that a problem names the JSON path the caller sent. */
const FIELD: Record<string, string> = {
  booking_id: 'bookingId',
  rep_id: 'credits[].repId',
  split_pct: 'splitPct',
  customer_id: 'customerId',
  type: 'type',
  product: 'product',
  amount: 'amount',
  currency: 'currency',
  term_months: 'termMonths',
  booked_date: 'bookedDate',
  cancelled_date: 'cancelledDate',
  split_type: 'credits[].splitType',
  renews_booking_id: 'renewsBookingId',
  tax_rate: 'taxRate',
};

export const MAX_DEALS = 100;

/** The fields a deal object may have (the API's and the CLI's names). */
export const DEAL_FIELDS: readonly string[] = [...new Set(Object.values(FIELD).map((f) => f.split('[')[0]))].sort();

/** The id a deal without one gets: its place in the list. */
export const defaultDealId = (index: number): string => `what-if-${index + 1}`;

const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** A text field: strings as they are; whole numbers allowed where the CSV holds a whole number (term, split). */
function cell(value: unknown, path: string, problems: string[], wholeNumberOk = false): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && wholeNumberOk && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'number') {
    problems.push(`${path}: must be a string; amounts, rates and percentages are decimal strings (for example "120000.00"), so that no binary number rounds them`);
    return '';
  }
  problems.push(`${path}: must be a string`);
  return '';
}

/**
 * Reads hypothetical deals for `repId`. Each deal must be new (its id unknown to `bookingExists`); ids default to
 * `what-if-1`, `what-if-2`, ... Problems name the JSON path (`deals[1].amount: ...`); nothing is returned with them.
 */
export function readDeals(
  raw: unknown,
  repId: string,
  ctx: { repExists: (repId: string) => boolean; bookingExists: (bookingId: string) => boolean },
): { deals: BookingRecord[]; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { deals: [], problems: ['deals: must be an array of deals'] };
  if (raw.length > MAX_DEALS) return { deals: [], problems: [`deals: at most ${MAX_DEALS} deals per estimate, got ${raw.length}`] };
  const lines: string[] = [[...BOOKING_COLUMNS, 'split_type', 'renews_booking_id', 'tax_rate'].join(',')];
  /** CSV line number (header = 1) → [deal index, credit index]. */
  const origin: [number, number][] = [[-1, -1], [-1, -1]];
  raw.forEach((d: DealInput, i) => {
    const at = `deals[${i}]`;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) {
      problems.push(`${at}: must be an object with amount, currency, type, product, bookedDate`);
      return;
    }
    for (const k of Object.keys(d)) if (!DEAL_FIELDS.includes(k)) problems.push(`${at}.${k}: is not a deal field (fields: ${DEAL_FIELDS.join(', ')})`);
    const bookingId = d.bookingId === undefined ? defaultDealId(i) : cell(d.bookingId, `${at}.bookingId`, problems);
    if (typeof bookingId === 'string' && bookingId && idProblem(bookingId) === null && ctx.bookingExists(bookingId)) {
      problems.push(`${at}.bookingId: "${bookingId}" is an imported booking; a hypothetical deal needs a new id (to simulate that booking's cancellation, list it in cancellations)`);
    }
    let credits: { repId: unknown; splitPct?: unknown; splitType?: unknown }[];
    if (d.credits === undefined) credits = [{ repId, splitPct: d.splitPct ?? '100' }];
    else if (!Array.isArray(d.credits) || d.credits.length === 0 || d.credits.some((c) => typeof c !== 'object' || c === null)) {
      problems.push(`${at}.credits: must be a non-empty array of { repId, splitPct, splitType? }`);
      return;
    } else credits = d.credits as typeof credits;
    credits.forEach((c, k) => {
      const cp = d.credits === undefined ? at : `${at}.credits[${k}]`;
      const row = [
        bookingId,
        cell(c.repId, `${cp}.repId`, problems),
        cell(c.splitPct ?? (d.credits === undefined ? '100' : undefined), `${cp}.splitPct`, problems, true),
        d.customerId === undefined ? 'what-if' : cell(d.customerId, `${at}.customerId`, problems),
        cell(d.type ?? 'new', `${at}.type`, problems),
        cell(d.product, `${at}.product`, problems),
        cell(d.amount, `${at}.amount`, problems),
        cell(d.currency, `${at}.currency`, problems),
        cell(d.termMonths, `${at}.termMonths`, problems, true),
        cell(d.bookedDate, `${at}.bookedDate`, problems),
        cell(d.cancelledDate, `${at}.cancelledDate`, problems),
        cell(c.splitType, `${cp}.splitType`, problems),
        cell(d.renewsBookingId, `${at}.renewsBookingId`, problems),
        cell(d.taxRate, `${at}.taxRate`, problems),
      ];
      origin.push([i, d.credits === undefined ? -1 : k]);
      lines.push(row.map(quote).join(','));
    });
  });
  if (problems.length) return { deals: [], problems };
  const result = validateBookingsCsv(lines.join('\n') + '\n', 'deals', { repExists: ctx.repExists });
  for (const e of result.errors) {
    const [i, k] = origin[e.line] ?? [-1, -1];
    const field = e.column ? (FIELD[e.column] ?? e.column) : null;
    const base = i < 0 ? 'deals' : `deals[${i}]`;
    const path = field === null ? base : field.startsWith('credits[]') ? `${base}.credits[${Math.max(k, 0)}]${field.slice('credits[]'.length)}` : `${base}.${field}`;
    // the CSV reader's message quotes its own column names; the API's caller knows the camelCase ones
    const message = e.message.replace(/\b(booking_id|rep_id|split_pct|customer_id|term_months|booked_date|cancelled_date|split_type|renews_booking_id|tax_rate)\b/g, (c) => FIELD[c].replace('credits[].', ''));
    problems.push(`${path}: ${message}`);
  }
  if (problems.length) return { deals: [], problems };
  return { deals: result.records, problems };
}

/** Reads cancellations of imported bookings; the booking must be one the payee's results read. */
export function readCancellations(raw: unknown, bookingBookedOn: (bookingId: string) => IsoDate | undefined): { cancellations: CancellationInput[]; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { cancellations: [], problems };
  if (!Array.isArray(raw)) return { cancellations: [], problems: ['cancellations: must be an array of { bookingId, cancelledDate }'] };
  const out: CancellationInput[] = [];
  raw.forEach((c: { bookingId?: unknown; cancelledDate?: unknown }, i) => {
    const at = `cancellations[${i}]`;
    if (typeof c !== 'object' || c === null) return void problems.push(`${at}: must be an object { bookingId, cancelledDate }`);
    if (typeof c.bookingId !== 'string' || idProblem(c.bookingId) !== null) return void problems.push(`${at}.bookingId: must be the id of an imported booking`);
    if (!isIsoDate(c.cancelledDate)) return void problems.push(`${at}.cancelledDate: must be a date YYYY-MM-DD`);
    const booked = bookingBookedOn(c.bookingId);
    if (booked === undefined) return void problems.push(`${at}.bookingId: "${c.bookingId}" is not a booking this payee's results read`);
    if (c.cancelledDate < booked) return void problems.push(`${at}.cancelledDate: "${c.cancelledDate}" is before the booking's booked date ${booked}`);
    out.push({ bookingId: c.bookingId, cancelledDate: c.cancelledDate });
  });
  return { cancellations: out, problems };
}

/** The latest period a what-if touches: the last booked or cancelled date among the deals and cancellations. */
export function lastTouchedPeriod(deals: BookingRecord[], cancellations: CancellationInput[]): Period | null {
  let last: IsoDate | null = null;
  for (const d of deals) for (const date of [d.bookedDate, d.cancelledDate]) if (date && (last === null || date > last)) last = date;
  for (const c of cancellations) if (last === null || c.cancelledDate > last) last = c.cancelledDate;
  return last === null ? null : periodOf(last);
}

export interface EstimateFigures {
  earned: string;
  draw: string;
  payout: string;
  balance: string;
}

export interface EstimateLine {
  kind: string;
  componentKey: string | null;
  ref: string | null;
  bookingId: string | null;
  amount: string;
  currency: string;
  description: string;
  explanation: string;
  trace: unknown;
  /** A line that today's figures do not have (new, or a different amount): what the what-if changes. */
  changed: boolean;
  /** The line is about a hypothetical deal. */
  hypothetical: boolean;
}

export interface EstimatePeriod {
  period: Period;
  /** closed/approved/calculated: stored and unchanged by the what-if; estimate: recalculated now, not stored. */
  basis: 'closed' | 'approved' | 'calculated' | 'estimate';
  today: EstimateFigures;
  withWhatIf: EstimateFigures;
  difference: { earned: string; payout: string };
  /** The period's lines with the what-if (estimated periods only). */
  lines: EstimateLine[];
  /** Today's lines the what-if takes away (a cancelled booking's, a line that moved), marked `changed`. */
  removed: EstimateLine[];
}

export function figuresOf(p: PayeeResult): EstimateFigures {
  return { earned: p.earned.toFixed(p.minorUnits), draw: p.draw.toFixed(p.minorUnits), payout: p.payout.toFixed(p.minorUnits), balance: p.balance.toFixed(p.minorUnits) };
}

/** What a line is about (kind, window, reference), and the same with its amount. */
const identity = (l: PayoutLine): string => `${l.kind}|${l.componentKey ?? ''}|${l.ref ?? ''}`;
const lineKey = (l: PayoutLine): string => `${identity(l)}|${l.amount.toFixed()}`;

/** An estimated period: today's result next to the what-if's, and the what-if's lines with what changed marked. */
export function comparePeriod(today: PayeeResult, withWhatIf: PayeeResult, hypothetical: Set<string>): EstimatePeriod {
  const view = (l: PayoutLine, p: PayeeResult, changed: boolean): EstimateLine => ({
    kind: l.kind,
    componentKey: l.componentKey,
    ref: l.ref,
    bookingId: l.bookingId,
    amount: l.amount.toFixed(p.minorUnits),
    currency: p.currency,
    description: describeLine(l, p.currency),
    explanation: explainTrace(l.trace, p.currency),
    trace: l.trace,
    changed,
    hypothetical: l.bookingId !== null && hypothetical.has(l.bookingId),
  });
  // a multiset of today's lines: each what-if line uses up one identical line of today's, or is new
  const unmatched = new Map<string, number>();
  for (const l of today.lines) unmatched.set(lineKey(l), (unmatched.get(lineKey(l)) ?? 0) + 1);
  const lines = withWhatIf.lines.map((l) => {
    const left = unmatched.get(lineKey(l)) ?? 0;
    if (left > 0) unmatched.set(lineKey(l), left - 1);
    return view(l, withWhatIf, left === 0);
  });
  // today's lines with no line of the same kind, window and reference left in the what-if (a changed amount is a
  // change, shown once, not a removal)
  const kept = new Map<string, number>();
  for (const l of withWhatIf.lines) kept.set(identity(l), (kept.get(identity(l)) ?? 0) + 1);
  const removed = today.lines.filter((l) => {
    const left = kept.get(identity(l)) ?? 0;
    if (left > 0) kept.set(identity(l), left - 1);
    return left === 0;
  });
  const t = figuresOf(today);
  const w = figuresOf(withWhatIf);
  return {
    period: today.period,
    basis: 'estimate',
    today: t,
    withWhatIf: w,
    difference: { earned: new Decimal(w.earned).minus(t.earned).toFixed(today.minorUnits), payout: new Decimal(w.payout).minus(t.payout).toFixed(today.minorUnits) },
    lines,
    removed: removed.map((l) => view(l, today, true)),
  };
}

/** A stored period the what-if does not recalculate: the same figures on both sides. */
export function storedPeriod(period: Period, basis: 'closed' | 'approved' | 'calculated', figures: EstimateFigures, minorUnits: number): EstimatePeriod {
  const zero = ZERO.toFixed(minorUnits);
  return { period, basis, today: figures, withWhatIf: figures, difference: { earned: zero, payout: zero }, lines: [], removed: [] };
}

/** Σ earned and Σ payout over periods, today and with the what-if. */
export function totalOf(periods: EstimatePeriod[], minorUnits: number): { today: { earned: string; payout: string }; withWhatIf: { earned: string; payout: string }; difference: { earned: string; payout: string } } {
  const add = (pick: (p: EstimatePeriod) => string) => periods.reduce((s, p) => s.plus(pick(p)), ZERO);
  const te = add((p) => p.today.earned);
  const tp = add((p) => p.today.payout);
  const we = add((p) => p.withWhatIf.earned);
  const wp = add((p) => p.withWhatIf.payout);
  const f = (d: Decimal) => d.toFixed(minorUnits);
  return { today: { earned: f(te), payout: f(tp) }, withWhatIf: { earned: f(we), payout: f(wp) }, difference: { earned: f(we.minus(te)), payout: f(wp.minus(tp)) } };
}
