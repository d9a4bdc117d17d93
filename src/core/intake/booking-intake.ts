import * as crypto from 'node:crypto';
import { readCsv, RowError } from '../csv/read-csv';
import { Decimal, HUNDRED } from '../money/decimal';
import { IntakeResult, sameValue } from './intake';
import { AMOUNT, DecimalRule, RowFields, sortErrors } from './row-fields';

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
}

export interface BookingCreditRecord {
  line: number;
  repId: string;
  splitPct: Decimal;
}

export interface BookingRecord extends BookingHead {
  bookingId: string;
  /** Line of the booking's first row. */
  line: number;
  /** One per credited rep, ordered by rep_id. */
  credits: BookingCreditRecord[];
}

const HEAD: readonly { column: (typeof BOOKING_COLUMNS)[number]; field: keyof BookingHead }[] = [
  { column: 'customer_id', field: 'customerId' },
  { column: 'type', field: 'type' },
  { column: 'product', field: 'product' },
  { column: 'amount', field: 'amount' },
  { column: 'currency', field: 'currency' },
  { column: 'term_months', field: 'termMonths' },
  { column: 'booked_date', field: 'bookedDate' },
  { column: 'cancelled_date', field: 'cancelledDate' },
];

export interface BookingIntakeContext {
  repExists: (repId: string) => boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * One row per credited rep; the rows of one booking_id (anywhere in the file) form one booking. While building,
 * a booking's fields may be undefined where its first row was bad; the file is then rejected anyway.
 */
export function validateBookingsCsv(content: Buffer | string, file: string, ctx: BookingIntakeContext): IntakeResult<BookingRecord> {
  const errors: RowError[] = [];
  const f = new RowFields(file, errors);
  const bookings = new Map<string, BookingRecord>();
  const splits = new Map<string, Decimal>(); // split percentages repeat (100, 50, ...): one Decimal each

  const readSplit = (): Decimal | undefined => {
    const raw = f.raw('split_pct');
    const known = raw === undefined ? undefined : splits.get(raw);
    if (known) return known;
    const pct = f.decimal('split_pct', SPLIT_PCT);
    if (pct === undefined) return undefined;
    if (pct.isNegative() || pct.isZero() || pct.greaterThan(HUNDRED)) return f.fail('split_pct', `"${raw}" must be greater than 0 and at most 100`);
    if (splits.size < MAX_SHARED_SPLITS) splits.set(raw!, pct);
    return pct;
  };

  const { rows, errors: fileErrors } = readCsv(content, { file, columns: BOOKING_COLUMNS, onProgress: ctx.onProgress }, (row) => {
    f.at(row);
    const bookingId = f.text('booking_id');
    let repId = f.text('rep_id');
    if (repId !== undefined) repId = ctx.repExists(repId) ? f.intern(repId) : f.fail('rep_id', `rep "${repId}" is not in the database`);
    const credit = { line: row.line, repId: repId!, splitPct: readSplit()! };
    const head = readHead(f, bookingId!, row.line);
    if (bookingId === undefined) return;

    const booking = bookings.get(bookingId);
    if (!booking) {
      head.credits.push(credit);
      bookings.set(bookingId, head);
      return;
    }
    for (const { column, field } of HEAD) {
      const mine = head[field];
      const first = booking[field];
      if (mine === undefined || first === undefined || sameValue(mine, first)) continue;
      f.fail(column, `"${show(mine)}" differs from line ${booking.line} ("${show(first)}"); every row of booking "${bookingId}" must have the same ${column}`);
    }
    const twin = credit.repId === undefined ? undefined : booking.credits.find((c) => c.repId === credit.repId);
    if (twin) f.fail('booking_id', `duplicate booking_id+rep_id "${bookingId}"/"${credit.repId}" (first on line ${twin.line})`);
    else booking.credits.push(credit);
  });

  errors.push(...fileErrors);
  if (errors.length) return { rows, records: [], errors: sortErrors(errors, BOOKING_COLUMNS) };
  const records = [...bookings.values()];
  for (const b of records) if (b.credits.length > 1) b.credits.sort((x, y) => (x.repId < y.repId ? -1 : x.repId > y.repId ? 1 : 0));
  return { rows, records, errors };
}

const MAX_SHARED_SPLITS = 10_000;

/** The booking fields of one row, as a record without credits; a bad field is undefined (and reported). */
function readHead(f: RowFields, bookingId: string, line: number): BookingRecord {
  const customerId = f.text('customer_id');
  const type = f.oneOf('type', BOOKING_TYPES);
  const product = f.text('product');
  const amount = f.decimal('amount', AMOUNT);
  const currency = f.currency('currency');
  const term = f.text('term_months', 'optional');
  let termMonths: number | undefined;
  if (term === null) termMonths = DEFAULT_TERM_MONTHS;
  else if (term !== undefined) termMonths = TERM_MONTHS.test(term) ? Number(term) : f.fail('term_months', `"${term}" is not a positive whole number of months`);
  const bookedDate = f.date('booked_date');
  const cancelledDate = f.date('cancelled_date', 'optional');
  if (bookedDate && cancelledDate && cancelledDate < bookedDate) f.fail('cancelled_date', `"${cancelledDate}" is before booked_date ${bookedDate}`);
  return {
    bookingId,
    line,
    customerId: customerId!,
    type: type!,
    product: (product && f.intern(product))!,
    amount: amount!,
    currency: currency!,
    termMonths: termMonths!,
    bookedDate: bookedDate!,
    cancelledDate: cancelledDate!,
    credits: [],
  };
}

function show(v: unknown): string {
  return v === null ? '' : v instanceof Decimal ? v.toFixed() : String(v);
}

/**
 * A digest of everything an import can say about a booking, credits included. Equal digests mean "unchanged";
 * values are canonical (decimals by value), so "100.00" and "100" hash alike.
 */
export function bookingContentHash(b: BookingHead & { credits: readonly { repId: string; splitPct: Decimal }[] }): string {
  const canonical = JSON.stringify([
    'booking/v1',
    b.customerId,
    b.type,
    b.product,
    b.amount.toFixed(),
    b.currency,
    b.termMonths,
    b.bookedDate,
    b.cancelledDate,
    b.credits.map((c) => [c.repId, c.splitPct.toFixed()]),
  ]);
  return sha256Hex(canonical);
}

/** crypto.hash (Node >= 20.12) hashes a string in one call, several times faster than createHash for short inputs. */
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string) => string }).hash;
function sha256Hex(data: string): string {
  return oneShotHash ? oneShotHash('sha256', data) : crypto.createHash('sha256').update(data, 'utf8').digest('hex');
}

export interface StoredBooking {
  /** booking_versions.id of the current version. */
  id: string;
  version: number;
  contentHash: string;
}

export interface BookingVersionPlan {
  record: BookingRecord;
  contentHash: string;
  version: number;
  /** The current version this one supersedes; absent for a new booking. */
  supersedes?: { id: string; version: number; contentHash: string };
}

export interface BookingChangePlan {
  create: BookingVersionPlan[];
  amend: BookingVersionPlan[];
  unchanged: number;
}

/** New bookings get version 1; a changed booking gets the next version; an unchanged one nothing. Absent ones stay. */
export function planBookingChanges(records: readonly BookingRecord[], current: ReadonlyMap<string, StoredBooking>): BookingChangePlan {
  const plan: BookingChangePlan = { create: [], amend: [], unchanged: 0 };
  for (const record of records) {
    const contentHash = bookingContentHash(record);
    const stored = current.get(record.bookingId);
    if (!stored) plan.create.push({ record, contentHash, version: 1 });
    else if (stored.contentHash !== contentHash) plan.amend.push({ record, contentHash, version: stored.version + 1, supersedes: stored });
    else plan.unchanged++;
  }
  return plan;
}
