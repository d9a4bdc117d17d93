import { readCsv, RowError, RowErrors } from '../csv/read-csv';
import { Decimal, dec } from '../money/decimal';
import { IntakeResult } from './intake';
import { Column, Growth, IntColumn } from './columns';
import { AMOUNT, DecimalRule, RowFields } from './row-fields';
import { printable } from '../ids/identifier';

export const BOOKING_COLUMNS = [
  'booking_id',
  'rep_id',
  'split_pct',
  'customer_id',
  'type',
  'product',
  'amount',
  'currency',
  'term_months',
  'booked_date',
  'cancelled_date',
] as const;

/**
 * Optional columns: `split_type` per row (`revenue`, the default, or `overlay`: a specialist credited on top of the
 * revenue splits, which alone must add up to at most 100%), and `renews_booking_id` per booking (the contract it
 * renews, for renewal credit on the uplift), and `tax_rate` per booking (the tax included in its amount, for plans
 * with taxInclusive: it beats the plan's rate for the product).
 */
export const BOOKING_OPTIONAL_COLUMNS = ['split_type', 'renews_booking_id', 'tax_rate'] as const;
/** A tax rate of the booking's amount (0.2 = 20%), for tax-inclusive plans: numeric(9,6), 0 to 10. */
const TAX_RATE: DecimalRule = { scale: 6, integerDigits: 2, sign: 'nonNegative' };
export const SPLIT_TYPES = ['revenue', 'overlay'] as const;
export type SplitType = (typeof SPLIT_TYPES)[number];

export const BOOKING_TYPES = ['new', 'renewal', 'expansion'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

export const DEFAULT_TERM_MONTHS = 12;
/** booking_credits.split_pct is numeric(9,6) and lies in (0, 100]. */
const SPLIT_PCT: DecimalRule = { scale: 6, integerDigits: 18, sign: 'any' };
const TERM_MONTHS = /^[1-9]\d{0,8}$/;

/** Fields of the booking itself: every row of one booking_id must carry the same values. */
export interface BookingHead {
  customerId: string;
  type: BookingType;
  product: string;
  /** Total contract value in the booking currency; negative for reversals. */
  amount: Decimal;
  currency: string;
  termMonths: number;
  bookedDate: string;
  cancelledDate: string | null;
  /** The booking this one renews (null: none). */
  renews: string | null;
  /** The tax rate included in the amount (null: the plan's). */
  taxRate: string | null;
}

export interface BookingCreditRecord {
  line: number;
  repId: string;
  splitPct: Decimal;
  splitType: SplitType;
}

export interface BookingRecord extends BookingHead {
  bookingId: string;
  /** Line of the booking's first row. */
  line: number;
  /** One per credited rep, ordered by rep_id. */
  credits: BookingCreditRecord[];
}

export interface BookingIntakeContext {
  repExists: (repId: string) => boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** How many problems a rejected file lists (default MAX_LISTED_ERRORS); all are counted. */
  maxErrors?: number;
}

/**
 * The bookings of a file, column by column: entry `b` of each column belongs to the file's `b`-th booking (in order of
 * first appearance). Amounts and split percentages are canonical decimal strings (`Decimal.toFixed()`), so a large
 * file is held as a few arrays of short strings and integers rather than an object (and a Decimal) per booking.
 */
export interface BookingTable {
  size: number;
  bookingId: string[];
  /** Line of the booking's first row. */
  line: Int32Array;
  customerId: string[];
  type: BookingType[];
  product: string[];
  amount: string[];
  currency: string[];
  termMonths: Int32Array;
  bookedDate: string[];
  cancelledDate: (string | null)[];
  renews: (string | null)[];
  taxRate: (string | null)[];
  /** Credits grouped by booking, each group ordered by rep_id: booking b's are positions creditStart[b] to creditStart[b + 1] - 1. */
  creditStart: Int32Array;
  creditRep: string[];
  creditSplit: string[];
  creditType: SplitType[];
  creditLine: Int32Array;
}

export interface BookingTableResult {
  /** Data rows in the file. */
  rows: number;
  /** Meaningful only when `errors` is empty. */
  table: BookingTable;
  /** The first problems in reading order (at most the error limit)... */
  errors: RowError[];
  /** ...of this many in all... */
  errorCount: number;
  /**
   * ...or of at least that many: once the list is full, bookings first seen later are not remembered (the file is
   * rejected anyway, and a million garbage rows would otherwise be held in memory only to be counted), so checks
   * across their rows (duplicates, rows that disagree) are not made.
   */
  errorCountIsLowerBound?: boolean;
}

/** Lines in the content: at least the rows of the file, so columns sized by it seldom grow. */
function lineCount(content: Buffer | string): number {
  let n = 1;
  if (typeof content === 'string') for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) n++;
  else for (let i = content.indexOf(0x0a); i >= 0; i = content.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** termMonths of a row whose term_months was bad (valid terms are positive). */
const NO_TERM = -1;

/**
 * One row per credited rep; the rows of one booking_id (anywhere in the file) form one booking. While building,
 * a booking's fields may be undefined where its first row was bad; the file is then rejected anyway.
 */
export function readBookingTable(content: Buffer | string, file: string, ctx: BookingIntakeContext): BookingTableResult {
  const errors = new RowErrors(BOOKING_COLUMNS, ctx.maxErrors);
  const f = new RowFields(file, errors);
  const ids = new Map<string, number>();
  let size = 0;
  const lineTotal = lineCount(content);
  const growth: Growth = (length) => (errors.length === 0 && lineTotal > length ? lineTotal : length * 2);
  const bookingId = new Column<string>(growth);
  const line = new IntColumn(growth);
  const customerId = new Column<string>(growth);
  const type = new Column<BookingType>(growth);
  const product = new Column<string>(growth);
  const amount = new Column<string>(growth);
  const currency = new Column<string>(growth);
  const termMonths = new IntColumn(growth);
  const bookedDate = new Column<string>(growth);
  const cancelledDate = new Column<string | null>(growth);
  const renews = new Column<string | null>(growth);
  const taxRate = new Column<string | null>(growth);
  // Credits in file order, chained per booking (-1: none).
  const creditRep = new Column<string>(growth);
  const creditSplit = new Column<string>(growth);
  const creditType = new Column<SplitType>(growth);
  const creditLine = new IntColumn(growth);
  const firstCredit = new IntColumn(growth);
  const lastCredit = new IntColumn(growth);
  const nextCredit = new IntColumn(growth);
  const reps = new Map<string, string>(); // rep ids found in the store, one shared copy each
  const splits = new Map<string, string>(); // split percentages repeat (100, 50, ...): checked once each
  let forgetting = false; // bookings are no longer remembered: see errorCountIsLowerBound

  const readRep = (): string | undefined => {
    const raw = f.raw('rep_id');
    const known = raw === undefined ? undefined : reps.get(raw); // found valid and stored before
    if (known !== undefined) return known;
    const repId = f.id('rep_id');
    if (repId === undefined) return undefined;
    if (!ctx.repExists(repId)) return f.fail('rep_id', `rep "${repId}" is not in the database`);
    reps.set(repId, repId);
    return repId;
  };
  const readSplit = (): string | undefined => {
    const raw = f.raw('split_pct');
    const known = raw === undefined ? undefined : splits.get(raw);
    if (known !== undefined) return known;
    const pct = f.decimalText('split_pct', SPLIT_PCT);
    if (pct === undefined) return undefined;
    if (!isPercentage(pct)) return f.fail('split_pct', `"${raw}" must be greater than 0 and at most 100`);
    if (splits.size < MAX_SHARED_SPLITS) splits.set(raw!, pct);
    return pct;
  };
  const readSplitType = (): SplitType | undefined => {
    const raw = f.optional('split_type');
    if (raw === null || raw === '' || raw === 'revenue') return 'revenue';
    if (raw === 'overlay') return 'overlay';
    return f.fail('split_type', `"${printable(raw)}" is not a split type: revenue (the default) or overlay`);
  };
  const readRenews = (id: string | undefined): string | null | undefined => {
    const raw = f.optional('renews_booking_id');
    if (raw === null || raw === '') return null;
    const renewed = f.id('renews_booking_id');
    if (renewed !== undefined && renewed === id) return f.fail('renews_booking_id', `booking "${id}" cannot renew itself`);
    return renewed;
  };
  const readTaxRate = (): string | null | undefined => {
    const raw = f.optional('tax_rate');
    if (raw === null || raw === '') return null;
    const rate = f.decimalText('tax_rate', TAX_RATE);
    if (rate !== undefined && new Decimal(rate).greaterThan(10)) return f.fail('tax_rate', `"${raw}" is not a tax rate: a fraction such as 0.2 for 20%`);
    return rate;
  };
  const addCredit = (b: number, at: number, repId: string, splitPct: string, splitType: SplitType): void => {
    const c = creditRep.length;
    creditRep.push(repId);
    creditSplit.push(splitPct);
    creditType.push(splitType);
    creditLine.push(at);
    nextCredit.push(-1);
    if (lastCredit.data[b] < 0) firstCredit.data[b] = c;
    else nextCredit.data[lastCredit.data[b]] = c;
    lastCredit.data[b] = c;
  };

  const { rows } = readCsv(content, { file, columns: BOOKING_COLUMNS, optionalColumns: BOOKING_OPTIONAL_COLUMNS, errors, onProgress: ctx.onProgress }, (row) => {
    f.at(row);
    const at = row.line;
    const id = f.id('booking_id');
    const repId = readRep();
    const splitPct = readSplit();
    const splitType = readSplitType();
    const renewed = readRenews(id);
    const tax = readTaxRate();
    // The booking's own fields, on every row.
    const customer = f.id('customer_id');
    const kind = f.oneOf('type', BOOKING_TYPES);
    const prod = f.text('product');
    const amt = f.decimalText('amount', AMOUNT);
    const cur = f.currency('currency');
    const term = f.text('term_months', 'optional');
    let months: number | undefined;
    if (term === null) months = DEFAULT_TERM_MONTHS;
    else if (term !== undefined) months = TERM_MONTHS.test(term) ? Number(term) : f.fail('term_months', `"${term}" is not a positive whole number of months`);
    const booked = f.date('booked_date');
    const cancelled = f.date('cancelled_date', 'optional');
    if (booked && cancelled && cancelled < booked) f.fail('cancelled_date', `"${cancelled}" is before booked_date ${booked}`);
    if (id === undefined) return;

    const b = ids.get(id);
    if (b === undefined && errors.full) {
      forgetting = true;
      return;
    }
    if (b === undefined) {
      const nb = size++;
      ids.set(id, nb);
      bookingId.push(id);
      line.push(at);
      customerId.push(customer!);
      type.push(kind!);
      product.push((prod && f.intern(prod))!);
      amount.push(amt!);
      currency.push(cur!);
      termMonths.push(months ?? NO_TERM);
      bookedDate.push(booked!);
      cancelledDate.push(cancelled!);
      renews.push(renewed!);
      taxRate.push(tax!);
      firstCredit.push(-1);
      lastCredit.push(-1);
      addCredit(nb, at, repId!, splitPct!, splitType!);
      return;
    }
    const first = line.data[b];
    const differs = (column: string, mine: unknown, theirs: unknown): void => {
      if (mine === undefined || theirs === undefined || mine === theirs) return;
      f.fail(column, `"${show(mine)}" differs from line ${first} ("${show(theirs)}"); every row of booking "${id}" must have the same ${column}`);
    };
    differs('customer_id', customer, customerId.data[b]);
    differs('type', kind, type.data[b]);
    differs('product', prod, product.data[b]);
    differs('amount', amt, amount.data[b]);
    differs('currency', cur, currency.data[b]);
    differs('term_months', months, termMonths.data[b] === NO_TERM ? undefined : termMonths.data[b]);
    differs('booked_date', booked, bookedDate.data[b]);
    differs('cancelled_date', cancelled, cancelledDate.data[b]);
    differs('renews_booking_id', renewed, renews.data[b]);
    differs('tax_rate', tax, taxRate.data[b]);
    let twin = -1;
    if (repId !== undefined) for (let c = firstCredit.data[b]; c >= 0 && twin < 0; c = nextCredit.data[c]) if (creditRep.data[c] === repId) twin = c;
    if (twin >= 0) f.fail('booking_id', `duplicate booking_id+rep_id "${id}"/"${repId}" (first on line ${creditLine.data[twin]})`);
    else addCredit(b, at, repId!, splitPct!, splitType!);
  });

  // The revenue splits of one booking credit at most all of it (less is fine: the rest may go to nobody in this
  // system); overlay credits come on top. Reported on the row that takes the sum past 100%.
  for (let b = 0; b < size; b++) {
    const first = firstCredit.data[b];
    if (first < 0 || nextCredit.data[first] < 0) continue;
    let sum = new Decimal(0);
    let over = -1;
    const lines: number[] = [];
    for (let c = first; c >= 0; c = nextCredit.data[c]) {
      if (creditSplit.data[c] === undefined || creditType.data[c] !== 'revenue') continue; // a bad split (reported already), or an overlay
      sum = sum.plus(creditSplit.data[c]);
      lines.push(creditLine.data[c]);
      if (over < 0 && sum.gt(100)) over = creditLine.data[c];
    }
    if (over >= 0) {
      const message = `the splits of booking "${bookingId.data[b]}" add up to ${sum.toFixed()}% (lines ${lines.join(', ')}); a booking's revenue splits credit at most 100% of it (an overlay credit on top has split_type overlay)`;
      errors.push({ file, line: over, column: 'split_pct', message });
    }
  }
  if (errors.length) return { rows, table: emptyTable(), errors: errors.listed(), errorCount: errors.length, errorCountIsLowerBound: forgetting };

  // Lay each booking's credits out together, ordered by rep_id.
  const creditCount = creditRep.length;
  const reps0 = creditRep.data;
  const splits0 = creditSplit.data;
  const types0 = creditType.data;
  const start = new Int32Array(size + 1);
  const rep = new Array<string>(creditCount);
  const split = new Array<string>(creditCount);
  const kinds = new Array<SplitType>(creditCount);
  const lines = new Int32Array(creditCount);
  const group: number[] = [];
  let k = 0;
  for (let b = 0; b < size; b++) {
    start[b] = k;
    group.length = 0;
    for (let c = firstCredit.data[b]; c >= 0; c = nextCredit.data[c]) group.push(c);
    if (group.length > 1) group.sort((x, y) => (reps0[x] < reps0[y] ? -1 : reps0[x] > reps0[y] ? 1 : 0));
    for (const c of group) {
      rep[k] = reps0[c];
      split[k] = splits0[c];
      kinds[k] = types0[c];
      lines[k++] = creditLine.data[c];
    }
  }
  start[size] = k;
  return {
    rows,
    errors: [],
    errorCount: 0,
    table: {
      size,
      bookingId: bookingId.done(),
      line: line.done(),
      customerId: customerId.done(),
      type: type.done(),
      product: product.done(),
      amount: amount.done(),
      currency: currency.done(),
      termMonths: termMonths.done(),
      bookedDate: bookedDate.done(),
      cancelledDate: cancelledDate.done(),
      renews: renews.done(),
      taxRate: taxRate.done(),
      creditStart: start,
      creditRep: rep,
      creditSplit: split,
      creditType: kinds,
      creditLine: lines,
    },
  };
}

function emptyTable(): BookingTable {
  return {
    size: 0,
    bookingId: [],
    line: new Int32Array(0),
    customerId: [],
    type: [],
    product: [],
    amount: [],
    currency: [],
    termMonths: new Int32Array(0),
    bookedDate: [],
    cancelledDate: [],
    renews: [],
    taxRate: [],
    creditStart: new Int32Array(1),
    creditRep: [],
    creditSplit: [],
    creditType: [],
    creditLine: new Int32Array(0),
  };
}

/** A canonical decimal in (0, 100]. */
function isPercentage(pct: string): boolean {
  if (pct.charCodeAt(0) === 0x2d || pct === '0') return false;
  const dot = pct.indexOf('.');
  const digits = dot < 0 ? pct.length : dot;
  return digits < 3 || (digits === 3 && pct === '100');
}

/**
 * The bookings of a file as records (Decimals for money), for callers that want objects; a large import reads the
 * table (`readBookingTable`) instead.
 */
export function validateBookingsCsv(content: Buffer | string, file: string, ctx: BookingIntakeContext): IntakeResult<BookingRecord> {
  const { rows, table: t, errors, errorCount, errorCountIsLowerBound } = readBookingTable(content, file, ctx);
  const records: BookingRecord[] = [];
  for (let b = 0; b < t.size; b++) {
    const credits: BookingCreditRecord[] = [];
    for (let c = t.creditStart[b]; c < t.creditStart[b + 1]; c++) credits.push({ line: t.creditLine[c], repId: t.creditRep[c], splitPct: dec(t.creditSplit[c]), splitType: t.creditType[c] });
    records.push({
      bookingId: t.bookingId[b],
      line: t.line[b],
      customerId: t.customerId[b],
      type: t.type[b],
      product: t.product[b],
      amount: dec(t.amount[b]),
      currency: t.currency[b],
      termMonths: t.termMonths[b],
      bookedDate: t.bookedDate[b],
      cancelledDate: t.cancelledDate[b],
      renews: t.renews[b],
      taxRate: t.taxRate[b],
      credits,
    });
  }
  return { rows, records, errors, errorCount, errorCountIsLowerBound };
}

const MAX_SHARED_SPLITS = 10_000;

function show(v: unknown): string {
  return v === null ? '' : String(v);
}
