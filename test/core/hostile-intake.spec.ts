import fc from 'fast-check';
import { RowErrors } from '../../src/core/csv/read-csv';
import { idProblem, isId } from '../../src/core/ids/identifier';
import { validateAssignmentsCsv } from '../../src/core/intake/assignment-intake';
import { readBookingTable, validateBookingsCsv } from '../../src/core/intake/booking-intake';
import { importRejected } from '../../src/core/intake/intake';
import { validatePayrollCsv } from '../../src/core/intake/payroll-intake';
import { validateRepsCsv } from '../../src/core/intake/rep-intake';

const BOOKINGS = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
const REPS = 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency';
const bookings = (...rows: string[]) => [BOOKINGS, ...rows].join('\n') + '\n';
const reps = (...rows: string[]) => [REPS, ...rows].join('\n') + '\n';
const KNOWN = new Set(['R1', 'R2', 'R3']);
const validateBookings = (content: string, maxErrors?: number) => validateBookingsCsv(content, 'bookings.csv', { repExists: (id) => KNOWN.has(id), maxErrors });
const validateReps = (content: string) => validateRepsCsv(content, 'reps.csv', { storedManagers: new Map() });
const at = (file: string, line: number, column: string | null, message: string) => ({ file, line, column, message });

describe('the identifier rule', () => {
  it('takes letters, digits and . _ : - after a letter or digit, up to 64 characters', () => {
    for (const ok of ['A1', 'ae-2026', 'ae-2026:v1', 'INV_0001.2', '0', 'a'.repeat(64)]) expect(isId(ok)).toBe(true);
    for (const bad of ['', '-2+3', '=cmd', '@SUM(1)', '+1', '.hidden', '../x', 'a/b', 'a b', 'a"b', "a'b", 'a\rb', 'a\nb', 'a\tb', 'a\u0000b', 'Ａ1', 'é', 'a'.repeat(65)]) {
      expect(isId(bad)).toBe(false);
    }
  });

  it('says why, with control characters shown escaped and long values cut', () => {
    expect(idProblem('a\r\nb')).toBe('"a\\u000d\\u000ab" is not a valid id (start with a letter or digit, then letters, digits, ".", "_", ":" or "-", at most 64 characters)');
    expect(idProblem('x'.repeat(10_000))).toBe('is 10000 characters long; an id has at most 64');
    expect(idProblem('R1')).toBeNull();
  });

  it('is what every import applies to rep, manager, booking, customer, plan and reference ids, with the row and column', () => {
    const rule = '(start with a letter or digit, then letters, digits, ".", "_", ":" or "-", at most 64 characters)';
    expect(validateReps(reps('../../x/evil,Eve,eve@example.com,,AE,2026-01-01,,USD', 'R2,Rob,rob@example.com,"M\r\n1",AE,2026-01-01,,USD')).errors).toEqual([
      at('reps.csv', 2, 'rep_id', `"../../x/evil" is not a valid id ${rule}`),
      at('reps.csv', 3, 'manager_id', `"M\\u000d\\u000a1" is not a valid id ${rule}`),
    ]);
    expect(validateBookings(bookings(`"=HYPERLINK(""x"")",R1,100,"C,1",new,P,10,USD,,2026-01-15,`, `B2,R1,100,Ｃ1,new,P,10,USD,,2026-01-15,`)).errors).toEqual([
      at('bookings.csv', 2, 'booking_id', `"=HYPERLINK("x")" is not a valid id ${rule}`),
      at('bookings.csv', 2, 'customer_id', `"C,1" is not a valid id ${rule}`),
      at('bookings.csv', 3, 'customer_id', `"\\uff231" is not a valid id ${rule}`),
    ]);
    const assignments = validateAssignmentsCsv('rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nR1,ae 2026,2026-01-01,,1,1,1\n', 'assignments.csv', {
      repExists: () => true,
    });
    expect(assignments.errors).toEqual([at('assignments.csv', 2, 'plan_id', `"ae 2026" is not a valid id ${rule}`)]);
    const payroll = validatePayrollCsv('rep_id,period,currency,amount,paid_date,reference\nR1,2026-01,USD,1.00,2026-01-31,-2+3\n', 'payroll.csv', KNOWN);
    expect(payroll.errors).toEqual([at('payroll.csv', 2, 'reference', `"-2+3" is not a valid id ${rule}`)]);
  });

  it('keeps control characters and 10,000-character values out of free-text fields', () => {
    const long = 'n'.repeat(10_000);
    expect(validateReps(reps(`R1,"Eve\tE",eve@example.com,,AE,2026-01-01,,USD`, `R2,${long},rob@example.com,,AE,2026-01-01,,USD`)).errors).toEqual([
      at('reps.csv', 2, 'name', '"Eve\\u0009E" contains a control character (tab, line break or other)'),
      at('reps.csv', 3, 'name', 'is 10000 characters long; at most 256 are allowed'),
    ]);
  });
});

describe('splits of one booking', () => {
  it('may credit less than all of it, and all of it, but not more: the row that goes past 100% is named', () => {
    expect(validateBookings(bookings('B1,R1,60,C1,new,P,10,USD,,2026-01-15,', 'B1,R2,40,C1,new,P,10,USD,,2026-01-15,')).errors).toEqual([]);
    expect(validateBookings(bookings('B1,R1,50,C1,new,P,10,USD,,2026-01-15,')).errors).toEqual([]);
    const over = validateBookings(
      bookings('B1,R1,60,C1,new,P,10,USD,,2026-01-15,', 'B2,R1,100,C1,new,P,10,USD,,2026-01-15,', 'B1,R2,40.000001,C1,new,P,10,USD,,2026-01-15,', 'B1,R3,20,C1,new,P,10,USD,,2026-01-15,'),
    );
    expect(over.errors).toEqual([
      at('bookings.csv', 4, 'split_pct', `the splits of booking "B1" add up to 120.000001% (lines 2, 4, 5); a booking's revenue splits credit at most 100% of it (an overlay credit on top has split_type overlay)`),
    ]);
  });
});

describe('a file with many errors', () => {
  it('lists the first ones in reading order and counts the rest', () => {
    const sink = new RowErrors(['a', 'b'], 3);
    sink.push(at('f', 9, 'b', 'x'), at('f', 9, 'a', 'x'), at('f', 5, null, 'x'), at('f', 7, 'a', 'x'));
    sink.push(at('f', 1, 'b', 'header')); // a late problem on an early line still comes first
    sink.push(at('f', 8, 'a', 'x'), at('f', 6, 'a', 'x'), at('f', 10, 'a', 'x'));
    expect(sink.length).toBe(8);
    expect(sink.listed()).toEqual([at('f', 1, 'b', 'header'), at('f', 5, null, 'x'), at('f', 6, 'a', 'x')]);
  });

  it('keeps the listed ones exactly the first N of all, sorted, whatever the order they come in', () => {
    const error = fc.record({ line: fc.integer({ min: 1, max: 50 }), column: fc.constantFrom(null, 'a', 'b', 'c') });
    fc.assert(
      fc.property(fc.array(error, { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (errors, limit) => {
        const sink = new RowErrors(['a', 'b', 'c'], limit);
        for (const e of errors) sink.push(at('f', e.line, e.column, 'm'));
        const rank = (c: string | null) => (c === null ? -1 : ['a', 'b', 'c'].indexOf(c));
        const key = (e: { line: number; column: string | null }) => e.line * 10 + rank(e.column);
        const expected = errors.map(key).sort((x, y) => x - y).slice(0, limit);
        expect(sink.listed().map(key)).toEqual(expected);
        expect(sink.length).toBe(errors.length);
      }),
    );
  });

  it('reads a garbage file to the end, lists the first 1,000 and says how many more', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `X${i},nobody,abc,C,weird,P,1.2.3,USD,,2026-01-15,`);
    const result = validateBookings(bookings(...rows));
    expect(result.errorCount).toBe(20_000); // rep, split, type and amount on each row
    expect(result.errors).toHaveLength(1_000);
    expect(result.errors[0]).toEqual(at('bookings.csv', 2, 'rep_id', 'rep "nobody" is not in the database'));
    expect(result.errors[999]).toEqual(at('bookings.csv', 251, 'amount', '"1.2.3" is not a plain decimal'));
    expect(importRejected('bookings.csv', result.errors, result.errorCount).message).toBe(
      'bookings.csv rejected, nothing was imported: 20,000 errors; the first 1,000 are listed, and 19,000 more',
    );
  });

  it('stops remembering bookings once the list is full, and then says the count is a lower bound', () => {
    // Line 3 fills the list (limit 1). B1 was remembered before, so its disagreeing row 4 is still found; B2 is first
    // seen on the row that filled it, so its duplicate row 5 is not.
    const content = bookings('B1,R1,50,C1,new,P,10,USD,,2026-01-15,', 'B2,R1,100,C1,new,P,10,USD,,2026-13-01,', 'B1,R2,50,C1,new,P,99,USD,,2026-01-15,', 'B2,R1,100,C1,new,P,10,USD,,2026-01-15,');
    const result = readBookingTable(content, 'bookings.csv', { repExists: (id) => KNOWN.has(id), maxErrors: 1 });
    expect(result.errorCount).toBe(2);
    expect(result.errorCountIsLowerBound).toBe(true);
    expect(importRejected('bookings.csv', result.errors, result.errorCount, result.errorCountIsLowerBound).message).toBe(
      'bookings.csv rejected, nothing was imported: at least 2 errors; the first 1 are listed, and at least 1 more (once the list was full, checks across rows of bookings first seen later were not made)',
    );
    const all = readBookingTable(content, 'bookings.csv', { repExists: (id) => KNOWN.has(id) });
    expect(all.errorCount).toBe(3);
    expect(all.errorCountIsLowerBound).toBe(false);
  });
});
