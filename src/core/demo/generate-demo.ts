/**
 * A reproducible, realistic data set in the import formats: a manager hierarchy, assignments to the golden plans,
 * 2026 hires (ramps and draws), leavers, split bookings, multi-year terms, USD/EUR/GBP bookings with a daily FX
 * table, and cancellations inside and outside the 90-day clawback window. Pure: the same seed gives the same rows.
 * Rows are produced lazily so a million bookings never sit in memory.
 */
import { addDays, dayNumber, fromDayNumber } from '../calendar/dates';

export interface DemoOptions {
  payees: number;
  /** Booking credit rows (split bookings give two rows). */
  bookings: number;
  seed: number;
}

/** mulberry32: a small, well-known seeded PRNG (not for money: it picks ids, dates and cents as integers). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DemoRep {
  id: string;
  managerId: string | null;
  kind: 'mgr' | 'ae' | 'am';
  hire: string;
  termination: string | null;
  currency: string;
  team: string[];
}

/** The data set covers 2026: its first month is the first period a calculation (and the demo payroll) reads. */
export const DEMO_FIRST_PERIOD = '2026-01';
const YEAR_START = dayNumber('2026-01-01');
const YEAR_END = dayNumber('2026-12-31');
const CURRENCIES = ['USD', 'EUR', 'GBP'];
/** Base rates to USD, as integers in millionths so no float holds a rate. */
const TO_USD_MICRO: Record<string, number> = { USD: 1_000_000, EUR: 1_085_000, GBP: 1_265_000 };

function cents(n: number): string {
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}

function micro(n: number): string {
  return `${Math.floor(n / 1_000_000)}.${String(n % 1_000_000).padStart(6, '0')}`;
}

export class DemoGenerator {
  readonly reps: DemoRep[] = [];
  private readonly byId = new Map<string, DemoRep>();
  private readonly random: () => number;

  constructor(private readonly opts: DemoOptions) {
    this.random = rng(opts.seed);
    this.buildOrg();
    for (const r of this.reps) this.byId.set(r.id, r);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private buildOrg(): void {
    const managers = Math.max(1, Math.ceil(this.opts.payees / 8));
    for (let m = 1; m <= managers && this.reps.length < this.opts.payees; m++) {
      this.reps.push({ id: `M${String(m).padStart(5, '0')}`, managerId: null, kind: 'mgr', hire: fromDayNumber(dayNumber('2018-01-01') + this.int(0, 2000)), termination: null, currency: this.pick(CURRENCIES), team: [] });
    }
    const mgrs = [...this.reps];
    let r = 1;
    while (this.reps.length < this.opts.payees) {
      const manager = mgrs[(r - 1) % mgrs.length];
      const hiredIn2026 = this.random() < 0.2;
      const hire = hiredIn2026 ? fromDayNumber(YEAR_START + this.int(0, 270)) : fromDayNumber(dayNumber('2020-01-01') + this.int(0, 2190));
      const leaves = this.random() < 0.05;
      const termination = leaves ? fromDayNumber(Math.max(dayNumber(hire) + 30, YEAR_START + this.int(60, 330))) : null;
      const rep: DemoRep = {
        id: `R${String(r).padStart(6, '0')}`,
        managerId: manager.id,
        kind: this.random() < 0.7 ? 'ae' : 'am',
        hire,
        termination: termination && dayNumber(termination) <= YEAR_END ? termination : null,
        currency: this.random() < 0.7 ? 'USD' : this.random() < 0.67 ? 'EUR' : 'GBP',
        team: [],
      };
      manager.team.push(rep.id);
      this.reps.push(rep);
      r++;
    }
  }

  *repRows(): Generator<string> {
    yield 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency';
    for (const r of this.reps) {
      yield [r.id, `Rep ${r.id}`, `${r.id.toLowerCase()}@example.com`, r.managerId ?? '', r.kind === 'mgr' ? 'Manager' : r.kind.toUpperCase(), r.hire, r.termination ?? '', r.currency].join(',');
    }
  }

  *assignmentRows(): Generator<string> {
    yield 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary';
    for (const r of this.reps) {
      const start = r.hire > '2026-01-01' ? r.hire : '2026-01-01';
      const end = r.termination ?? '2026-12-31';
      if (r.kind === 'mgr') yield [r.id, 'mgr-2026', start, end, '0', '30000', '150000'].join(',');
      else if (r.kind === 'ae') {
        const q = this.pick([800_000, 1_000_000, 1_200_000]);
        yield [r.id, 'ae-2026', start, end, String(q), String(q / 10), String(this.pick([90_000, 100_000, 110_000]))].join(',');
      } else {
        const q = this.pick([400_000, 500_000, 600_000]);
        yield [r.id, 'am-2026', start, end, String(q), String(this.pick([28_000, 32_000, 40_000])), String(this.pick([80_000, 90_000]))].join(',');
      }
    }
  }

  /** Daily rates for every ordered pair of USD, EUR and GBP over 2026 (a small random walk around base rates). */
  *fxRows(): Generator<string> {
    yield 'date,from_currency,to_currency,rate';
    const level: Record<string, number> = { ...TO_USD_MICRO };
    for (let d = YEAR_START; d <= YEAR_END; d++) {
      for (const c of ['EUR', 'GBP']) level[c] = Math.max(500_000, level[c] + this.int(-2_000, 2_000));
      for (const from of CURRENCIES) {
        for (const to of CURRENCIES) {
          if (from === to) continue;
          // rate from->to in millionths: level(from) / level(to), integer division rounded
          const rate = Math.round((level[from] * 1_000_000) / level[to]);
          yield [fromDayNumber(d), from, to, micro(rate)].join(',');
        }
      }
    }
  }

  *bookingRows(): Generator<string> {
    yield 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
    const sellers = this.reps.filter((r) => r.kind !== 'mgr');
    if (!sellers.length) return;
    let rows = 0;
    let n = 0;
    while (rows < this.opts.bookings) {
      n++;
      const rep = this.pick(sellers);
      const from = Math.max(YEAR_START, dayNumber(rep.hire));
      const to = Math.min(YEAR_END, rep.termination ? dayNumber(rep.termination) : YEAR_END);
      if (to < from) continue;
      const booked = fromDayNumber(this.int(from, to));
      const type = rep.kind === 'ae' ? (this.random() < 0.6 ? 'new' : this.random() < 0.6 ? 'expansion' : 'renewal') : this.random() < 0.6 ? 'renewal' : 'expansion';
      const product = this.random() < 0.2 ? 'PLATFORM' : this.random() < 0.75 ? 'CORE' : 'SERVICES';
      const term = this.random() < 0.7 ? 12 : this.pick([24, 36]);
      const amount = cents(this.int(5_000_00, 250_000_00) * (term / 12));
      const currency = this.random() < 0.8 ? rep.currency : this.pick(CURRENCIES);
      const c = this.random();
      const cancelled = c < 0.03 ? addDays(booked, this.int(5, 90)) : c < 0.05 ? addDays(booked, this.int(91, 200)) : '';
      const id = `B${String(n).padStart(8, '0')}`;
      const customer = `C${String(this.int(1, Math.max(10, this.opts.bookings / 4))).padStart(7, '0')}`;
      const manager = rep.managerId ? this.byId.get(rep.managerId) : undefined;
      const partner = this.random() < 0.15 && manager ? manager.team.find((t) => t !== rep.id && this.random() < 0.5) : undefined;
      const partnerRep = partner ? this.byId.get(partner) : undefined;
      const partnerActive = partnerRep && partnerRep.hire <= booked && (!partnerRep.termination || partnerRep.termination >= booked);
      if (partnerRep && partnerActive && rows + 2 <= this.opts.bookings) {
        yield [id, rep.id, '60', customer, type, product, amount, currency, term, booked, cancelled].join(',');
        yield [id, partnerRep.id, '40', customer, type, product, amount, currency, term, booked, cancelled].join(',');
        rows += 2;
      } else {
        yield [id, rep.id, '100', customer, type, product, amount, currency, term, booked, cancelled].join(',');
        rows += 1;
      }
    }
  }
}
