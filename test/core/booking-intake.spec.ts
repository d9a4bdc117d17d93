import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { bookingContentHash, bookingTableHash } from '../../src/core/intake/booking-hash';
import { BookingRecord, readBookingTable, validateBookingsCsv } from '../../src/core/intake/booking-intake';
import { canonicalDecimal } from '../../src/core/intake/row-fields';
import { dec } from '../../src/core/money/decimal';

const HEADER = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const KNOWN = new Set(['R1', 'R2', 'R3']);
const validate = (content: string) => validateBookingsCsv(content, 'bookings.csv', { repExists: (id) => KNOWN.has(id) });
const err = (line: number, column: string | null, message: string) => ({ file: 'bookings.csv', line, column, message });

describe('validateBookingsCsv', () => {
  it('groups split rows into one booking with credits ordered by rep; term defaults to 12; amounts may be negative', () => {
    const result = validate(
      csv(
        'B1,R2,40,C1,new,Platform,1200.50,EUR,,2026-01-15,',
        'B2,R1,100,C2,renewal,Support,-300,USD,24,2026-02-01,2026-03-01',
        'B1,R1,60,C1,new,Platform,1200.500,EUR,12,2026-01-15,', // same booking further down; 1200.500 = 1200.50
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows).toBe(3);
    const view = (b: BookingRecord) => ({
      ...b,
      amount: b.amount.toFixed(),
      credits: b.credits.map((c) => ({ line: c.line, repId: c.repId, splitPct: c.splitPct.toFixed() })),
    });
    expect(result.records.map(view)).toEqual([
      {
        bookingId: 'B1',
        line: 2,
        customerId: 'C1',
        type: 'new',
        product: 'Platform',
        amount: '1200.5',
        currency: 'EUR',
        termMonths: 12,
        bookedDate: '2026-01-15',
        cancelledDate: null,
        renews: null,
        taxRate: null,
        credits: [
          { line: 4, repId: 'R1', splitPct: '60' },
          { line: 2, repId: 'R2', splitPct: '40' },
        ],
      },
      {
        bookingId: 'B2',
        line: 3,
        customerId: 'C2',
        type: 'renewal',
        product: 'Support',
        amount: '-300',
        currency: 'USD',
        termMonths: 24,
        bookedDate: '2026-02-01',
        cancelledDate: '2026-03-01',
        renews: null,
        taxRate: null,
        credits: [{ line: 3, repId: 'R1', splitPct: '100' }],
      },
    ]);
  });

  it('reads the optional split_type and renews_booking_id columns: overlays are not part of the 100% of revenue splits', () => {
    const header = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date,split_type,renews_booking_id';
    const ok = validate(`${header}\nB1,R1,100,C1,renewal,P,100,USD,12,2026-01-15,,,B0\nB1,R2,100,C1,renewal,P,100,USD,12,2026-01-15,,overlay,B0\n`);
    expect(ok.errors).toEqual([]);
    expect(ok.records.map((b) => [b.renews, b.credits.map((c) => [c.repId, c.splitType])])).toEqual([
      [
        'B0',
        [
          ['R1', 'revenue'],
          ['R2', 'overlay'],
        ],
      ],
    ]);
    const taxed = validate('booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date,tax_rate\nB1,R1,100,C1,new,P,120,USD,12,2026-01-15,,0.20\nB2,R1,100,C1,new,P,120,USD,12,2026-01-15,,11\nB3,R1,100,C1,new,P,120,USD,12,2026-01-15,,\n');
    expect(taxed.errors.map((e) => [e.line, e.column, e.message])).toEqual([[3, 'tax_rate', '"11" is not a tax rate: a fraction such as 0.2 for 20%']]);
    const bad = validate(
      `${header}\nB1,R1,100,C1,new,P,100,USD,12,2026-01-15,,reseller,B1\nB2,R1,100,C1,new,P,100,USD,12,2026-01-15,,,\nB2,R2,100,C1,new,P,100,USD,12,2026-01-15,,revenue,B9\n`,
    );
    expect(bad.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 'split_type', '"reseller" is not a split type: revenue (the default) or overlay'],
      [2, 'renews_booking_id', 'booking "B1" cannot renew itself'],
      [4, 'renews_booking_id', '"B9" differs from line 3 (""); every row of booking "B2" must have the same renews_booking_id'],
      [4, 'split_pct', expect.stringContaining('add up to 200%')],
    ]);
  });

  it('reports every bad row: decimals, splits, types, terms, dates, currencies, unknown reps, duplicates', () => {
    const result = validate(
      csv(
        'B1,R1,50,C1,new,P,"12,50",EUR,,2026-01-15,', // 2: comma decimal
        'B2,R9,0,C2,upsell,P,100,eur,0,2026-01-15,2026-01-14', // 3: unknown rep, split 0, type, currency, term, cancelled < booked
        'B3,R1,100.0000001,C3,new,P,1.1234567,USD,1.5,2026-02-29,', // 4: split decimals, amount decimals, term, not a leap year
        'B4,R1,150,,new,,100,USD,12,2026-01-01,', // 5: split > 100, missing customer and product
        'B5,R1,-10,C5,new,P,+100,USD,12,,', // 6: negative split, plus sign, missing booked_date
        'B6,R1,100,C6,new,P,100,USD,12,2026-01-01,', // 7: fine
        'B6,R1,100,C6,new,P,100,USD,12,2026-01-01,', // 8: same rep twice on B6
      ),
    );
    expect(result.records).toEqual([]);
    expect(result.errors).toEqual([
      err(2, 'amount', '"12,50" is not a plain decimal'),
      err(3, 'rep_id', 'rep "R9" is not in the database'),
      err(3, 'split_pct', '"0" must be greater than 0 and at most 100'),
      err(3, 'type', '"upsell" is not one of new, renewal, expansion'),
      err(3, 'currency', '"eur" is not an uppercase ISO 4217 currency code'),
      err(3, 'term_months', '"0" is not a positive whole number of months'),
      err(3, 'cancelled_date', '"2026-01-14" is before booked_date 2026-01-15'),
      err(4, 'split_pct', '"100.0000001" has more than 6 decimals'),
      err(4, 'amount', '"1.1234567" has more than 6 decimals'),
      err(4, 'term_months', '"1.5" is not a positive whole number of months'),
      err(4, 'booked_date', '"2026-02-29" is not a real calendar date'),
      err(5, 'split_pct', '"150" must be greater than 0 and at most 100'),
      err(5, 'customer_id', 'required value is missing'),
      err(5, 'product', 'required value is missing'),
      err(6, 'split_pct', '"-10" must be greater than 0 and at most 100'),
      err(6, 'amount', '"+100" is not a plain decimal'),
      err(6, 'booked_date', 'required value is missing'),
      err(8, 'booking_id', 'duplicate booking_id+rep_id "B6"/"R1" (first on line 7)'),
    ]);
  });

  it('rejects split rows that disagree on booking-level fields, at the disagreeing row and column', () => {
    const result = validate(
      csv(
        'B1,R1,50,C1,new,P,100,EUR,,2026-01-15,',
        'B1,R2,30,C1,expansion,P,100.00,EUR,12,2026-01-15,', // type differs; amount and term agree by value
        'B1,R3,20,C9,new,P,101,USD,24,2026-01-16,2026-02-01', // everything else differs
      ),
    );
    const msg = (v: string, first: string, column: string) => `"${v}" differs from line 2 ("${first}"); every row of booking "B1" must have the same ${column}`;
    expect(result.errors).toEqual([
      err(3, 'type', msg('expansion', 'new', 'type')),
      err(4, 'customer_id', msg('C9', 'C1', 'customer_id')),
      err(4, 'amount', msg('101', '100', 'amount')),
      err(4, 'currency', msg('USD', 'EUR', 'currency')),
      err(4, 'term_months', msg('24', '12', 'term_months')),
      err(4, 'booked_date', msg('2026-01-16', '2026-01-15', 'booked_date')),
      err(4, 'cancelled_date', msg('2026-02-01', '', 'cancelled_date')),
    ]);
  });
});

describe('bookingContentHash', () => {
  const base = validate(csv('B1,R1,60,C1,new,P,1200.50,EUR,,2026-01-15,', 'B1,R2,40,C1,new,P,1200.50,EUR,,2026-01-15,')).records[0];

  it('hashes by value and ignores row order: "1200.5"/"1200.50" and a reordered file hash alike', () => {
    const reordered = validate(csv('B1,R2,40.000,C1,new,P,1200.5,EUR,12,2026-01-15,', 'B1,R1,60,C1,new,P,1200.500000,EUR,12,2026-01-15,')).records[0];
    expect(bookingContentHash(reordered)).toBe(bookingContentHash(base));
    expect(bookingContentHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a changed split, amount or cancellation changes the hash', () => {
    const h = bookingContentHash(base);
    const resplit = { ...base, credits: [{ ...base.credits[0], splitPct: dec('50') }, { ...base.credits[1], splitPct: dec('50') }] };
    expect(bookingContentHash(resplit)).not.toBe(h);
    expect(bookingContentHash({ ...base, amount: dec('1200.51') })).not.toBe(h);
    expect(bookingContentHash({ ...base, cancelledDate: '2026-03-01' })).not.toBe(h);
  });
});

describe('canonical decimals and the digest of a table', () => {
  it('canonicalDecimal is dec(value).toFixed() for every plain decimal (leading and trailing zeros, "-0")', () => {
    const digits = (max: number) => fc.array(fc.constantFrom('0', '0', '0', '1', '5', '9'), { minLength: 1, maxLength: max }).map((d) => d.join(''));
    fc.assert(
      fc.property(fc.boolean(), digits(20), fc.option(digits(8)), (negative, int, fraction) => {
        const value = `${negative ? '-' : ''}${int}${fraction === null ? '' : `.${fraction}`}`;
        const m = /^-?0*(\d*?)(?:\.(\d+))?$/.exec(value)!;
        expect(canonicalDecimal(value, m[1], m[2])).toBe(dec(value).toFixed());
      }),
      { numRuns: 5000 },
    );
  });

  it('hashes a booking of the table exactly as JSON.stringify + sha256 of its record did, whatever its text', () => {
    /** The digest as first defined: what the stored content_hash values were computed with. */
    const reference = (b: BookingRecord) =>
      createHash('sha256')
        .update(
          JSON.stringify([
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
          ]),
        )
        .digest('hex');
    // Free text (the product) may hold anything but control characters; a customer id follows the identifier rule.
    const text = fc.array(fc.constantFrom('a', 'Z', ' ', '"', '\\', '\u2028', 'é', '😀', '\ud800', '\udfff', '/', '<'), { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
    const id = fc.array(fc.constantFrom('a', 'Z', '0', '.', '_', ':', '-'), { maxLength: 8 }).map((c) => `C${c.join('')}`);
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(id, text, fc.constantFrom('100', '50', '33.330'), fc.constantFrom('1200.50', '-0', '007', '-12.000100'), (customer, product, split, amount) => {
        const rows = [`B1,R1,${split},${q(customer)},new,${q(product)},${amount},EUR,,2026-01-15,`];
        if (split !== '100') rows.push(`B1,R2,${split},${q(customer)},new,${q(product)},${amount},EUR,12,2026-01-15,`);
        const content = csv(...rows);
        const { table, errors } = readBookingTable(content, 'bookings.csv', { repExists: (id) => KNOWN.has(id) });
        expect(errors).toEqual([]);
        const [record] = validate(content).records;
        expect(record.customerId).toBe(customer);
        expect(bookingTableHash(table, 0)).toBe(reference(record));
        expect(bookingContentHash(record)).toBe(reference(record));
      }),
      { numRuns: 2000 },
    );
  });
});

