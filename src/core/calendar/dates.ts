/**
 * Calendar arithmetic on ISO dates ("YYYY-MM-DD") and periods ("YYYY-MM"). Pure: Date.UTC is used only as a
 * day counter, never the clock.
 */
export type IsoDate = string;
export type Period = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(\d{2})$/;

export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isPeriod(s: unknown): s is Period {
  if (typeof s !== 'string') return false;
  const m = PERIOD_RE.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day number since 1970-01-01 (UTC), for counting days. */
export function dayNumber(d: IsoDate): number {
  return Math.round(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86400000);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * 86400000).toISOString().slice(0, 10);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(d) + days);
}

/** Days between two dates (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function periodOf(d: IsoDate): Period {
  return d.slice(0, 7);
}

export function periodStart(p: Period): IsoDate {
  return `${p}-01`;
}

export function periodEnd(p: Period): IsoDate {
  const [y, m] = [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
  return `${p}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function addMonths(p: Period, n: number): Period {
  const idx = Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

export function previousPeriod(p: Period): Period {
  return addMonths(p, -1);
}

/** Whole months from a to b (b − a) in periods. */
export function monthsBetween(a: Period, b: Period): number {
  return Number(b.slice(0, 4)) * 12 + Number(b.slice(5, 7)) - (Number(a.slice(0, 4)) * 12 + Number(a.slice(5, 7)));
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/** Inclusive day count of [from, to]; 0 when empty. */
export function inclusiveDays(from: IsoDate, to: IsoDate): number {
  return to < from ? 0 : daysBetween(from, to) + 1;
}

export interface DateRange {
  from: IsoDate;
  /** Inclusive; null = open-ended. */
  to: IsoDate | null;
}

export function intersect(a: DateRange, b: DateRange): DateRange | null {
  const from = maxDate(a.from, b.from);
  const to = a.to === null ? b.to : b.to === null ? a.to : minDate(a.to, b.to);
  return to !== null && to < from ? null : { from, to };
}

export function rangeContains(r: DateRange, d: IsoDate): boolean {
  return d >= r.from && (r.to === null || d <= r.to);
}

/** Days of `r` inside [from, to]. */
export function daysInRange(r: DateRange, from: IsoDate, to: IsoDate): number {
  const i = intersect(r, { from, to });
  return i ? inclusiveDays(i.from, i.to as IsoDate) : 0;
}

export type WindowKind = 'month' | 'quarter' | 'year';

export interface CalendarWindow {
  kind: WindowKind;
  /** e.g. "2026-Q1", "2026", "2026-03" */
  key: string;
  start: IsoDate;
  end: IsoDate;
}

export function windowContaining(kind: WindowKind, d: IsoDate): CalendarWindow {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  if (kind === 'month') return { kind, key: d.slice(0, 7), start: periodStart(d.slice(0, 7)), end: periodEnd(d.slice(0, 7)) };
  if (kind === 'year') return { kind, key: String(y), start: `${y}-01-01`, end: `${y}-12-31` };
  const q = Math.floor((m - 1) / 3);
  const first = `${y}-${String(q * 3 + 1).padStart(2, '0')}`;
  return { kind, key: `${y}-Q${q + 1}`, start: periodStart(first), end: periodEnd(addMonths(first, 2)) };
}

/** Calendar windows of `kind` that intersect [from, to], in order. */
export function windowsBetween(kind: WindowKind, from: IsoDate, to: IsoDate): CalendarWindow[] {
  const out: CalendarWindow[] = [];
  let w = windowContaining(kind, from);
  while (w.start <= to) {
    out.push(w);
    w = windowContaining(kind, addDays(w.end, 1));
  }
  return out;
}

/** Months (periods) inside [from, to]. */
export function periodsBetween(from: IsoDate, to: IsoDate): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(from); p <= periodOf(to); p = addMonths(p, 1)) out.push(p);
  return out;
}
