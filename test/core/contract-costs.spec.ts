import fc from 'fast-check';
import { AccountingPolicy, DEFAULT_ACCOUNTING_POLICY, parseAccountingPolicy } from '../../src/core/accounting/accounting-policy';
import { BookingTerms, CloseAccounting, CostLine, Schedule, accountForClose, amortisationIn, endPeriod, remainingAfter, spread } from '../../src/core/accounting/cost-schedules';
import { RollForward, StoredWriteOff, journalEntries, journalRows, rollForward, ties } from '../../src/core/accounting/roll-forward';
import { Period, addMonths } from '../../src/core/calendar/dates';
import { Decimal, ZERO } from '../../src/core/money/decimal';

/*
 * Commission expense accounting (issue 19). Every expected figure below was worked out by hand from the rule it names;
 * the arithmetic is in the comment beside it.
 */

const d = (v: string) => new Decimal(v);
const s2 = (v: Decimal) => v.toFixed(2);

let lineNo = 0;
function line(repId: string, bookingId: string | null, amount: string, kind = 'commission', componentKey: string | null = 'ae-2026@v1:quota-commission:2026'): CostLine {
  return { runId: '1', repId, lineNo: ++lineNo, kind, componentKey, bookingId, currency: 'USD', amount: d(amount) };
}

function booking(bookingId: string, termMonths: number, extra: Partial<BookingTerms> = {}): BookingTerms {
  return { bookingId, versionId: '1', type: 'new', product: 'CORE', termMonths, cancelledDate: null, ...extra };
}

/** A store of schedules and write-offs as the service keeps them, closed month by month. */
class Books {
  readonly schedules: Schedule[] = [];
  readonly writeOffs: StoredWriteOff[] = [];
  readonly closes = new Map<Period, CloseAccounting>();
  private nextId = 1;

  constructor(
    private readonly bookings: BookingTerms[],
    private readonly policy: AccountingPolicy = DEFAULT_ACCOUNTING_POLICY,
    private readonly types: (key: string) => string | null = () => 'tiered',
  ) {}

  close(p: Period, lines: CostLine[] = []): CloseAccounting {
    const open = this.schedules.filter((s) => endPeriod(s) >= p && s.writtenOffIn === null);
    const input = { period: p, lines, bookings: new Map(this.bookings.map((b) => [b.bookingId, b])), open, policy: this.policy, componentType: this.types, places: () => 2 };
    const r = accountForClose(input);
    // the service reads only the open schedules a close can act on (accounting.repository.ts openAt): the same result
    const touched = new Set([
      ...lines.filter((l) => l.bookingId !== null && l.amount.isNegative()).map((l) => l.bookingId),
      ...this.bookings.filter((b) => b.cancelledDate !== null && b.cancelledDate <= `${p}-31`).map((b) => b.bookingId),
    ]);
    expect(accountForClose({ ...input, open: open.filter((s) => touched.has(s.bookingId)) })).toEqual(r);
    const ids = r.schedules.map(() => String(this.nextId++));
    const idOf = (ref: Schedule['ref']) => ('id' in ref ? ref.id : ids[ref.fresh]);
    for (const s of r.schedules) this.schedules.push({ ...s, ref: { id: idOf(s.ref) }, reduces: s.reduces ? { id: idOf(s.reduces) } : null });
    for (const w of r.writeOffs) {
      const id = idOf(w.schedule);
      this.schedules.find((s) => 'id' in s.ref && s.ref.id === id)!.writtenOffIn = p;
      this.writeOffs.push({ scheduleId: id, period: p, amount: w.amount });
    }
    this.closes.set(p, r);
    return r;
  }

  rollForward(p: Period, currency = 'USD'): RollForward {
    const r = rollForward(p, this.schedules, this.writeOffs).find((x) => x.currency === currency);
    if (!r) throw new Error(`no roll-forward in ${currency} for ${p}`);
    return r;
  }
}

const figures = (r: RollForward) => ({
  opening: s2(r.opening),
  additions: s2(r.additions),
  reductions: s2(r.reductions),
  amortisation: s2(r.amortisation),
  writeOffs: s2(r.writeOffs),
  closing: s2(r.closing),
  current: s2(r.current),
  nonCurrent: s2(r.nonCurrent),
});

describe('straight-line spread: each month rounded once half-up, the last month the remainder', () => {
  it('30 over 48 months: 0.625 a month is 0.63 for 47 months and 0.39 in the last (47 × 0.63 = 29.61)', () => {
    const s = spread(d('30'), '2026-01', 48, 2);
    expect({ monthly: s2(s.monthly), last: s2(s.last) }).toEqual({ monthly: '0.63', last: '0.39' });
    expect(s2(s.monthly.times(47).plus(s.last))).toBe('30.00');
  });

  it('10 over 24 months: 0.41666… is 0.42 for 23 months and 0.34 in the last (23 × 0.42 = 9.66)', () => {
    const s = spread(d('10'), '2028-01', 24, 2);
    expect({ monthly: s2(s.monthly), last: s2(s.last), end: endPeriod(s) }).toEqual({ monthly: '0.42', last: '0.34', end: '2029-12' });
  });

  it('30,000 over 48 months is 625.00 every month', () => {
    const s = spread(d('30000'), '2026-01', 48, 2);
    expect({ monthly: s2(s.monthly), last: s2(s.last) }).toEqual({ monthly: '625.00', last: '625.00' });
  });

  it('a few cents over many months rounds toward zero instead, so the balance never crosses zero (0.75 over 48: 0.01 a month, 0.28 last)', () => {
    // half-up would give 0.02 × 47 = 0.94 > 0.75: the balance would go negative in month 38
    const s = spread(d('0.75'), '2026-01', 48, 2);
    expect({ monthly: s2(s.monthly), last: s2(s.last) }).toEqual({ monthly: '0.01', last: '0.28' });
  });

  it('in a currency of 0 minor units (JPY) the months are whole', () => {
    const s = spread(d('1000'), '2026-01', 24, 0);
    expect({ monthly: s.monthly.toFixed(), last: s.last.toFixed() }).toEqual({ monthly: '42', last: '34' }); // 41.67→42; 1000 − 23×42
  });
});

describe('the worked example: 30 on a 2-year contract, 10 on each 2-year renewal, expected customer life 4 years', () => {
  const policy = parseAccountingPolicy({ expectedLifeMonths: { PLATFORM: 48 } }, 'test policy');
  const books = new Books(
    [booking('N1', 24, { product: 'PLATFORM' }), booking('R1', 24, { product: 'PLATFORM', type: 'renewal' })],
    policy,
  );

  it('the initial 30 is amortised over the 48 months of the expected life, the renewal 10 over its own 24', () => {
    const jan = books.close('2026-01', [line('A1', 'N1', '30')]);
    expect(jan.schedules.map((s) => ({ cost: s2(s.cost), months: s.months, basis: s.basis, monthly: s2(s.monthly), last: s2(s.last) }))).toEqual([
      { cost: '30.00', months: 48, basis: 'expected_life', monthly: '0.63', last: '0.39' },
    ]);
    expect(jan.schedules[0].note).toBe('capitalised: amortised over the expected customer life of PLATFORM, 48 months from 2026-01');
    for (let p = '2026-02'; p <= '2027-12'; p = addMonths(p, 1)) books.close(p);
    const renewal = books.close('2028-01', [line('A1', 'R1', '10')]);
    expect(renewal.schedules.map((s) => ({ cost: s2(s.cost), months: s.months, basis: s.basis, monthly: s2(s.monthly) }))).toEqual([{ cost: '10.00', months: 24, basis: 'term', monthly: '0.42' }]);
  });

  it('two years in, the asset is 30 − 24 × 0.63 = 14.88; in January 2028 it adds the renewal: 14.88 + 10 − 0.63 − 0.42 = 23.83', () => {
    expect(s2(books.rollForward('2027-12').closing)).toBe('14.88');
    expect(figures(books.rollForward('2028-01'))).toEqual({
      opening: '14.88',
      additions: '10.00',
      reductions: '0.00',
      amortisation: '1.05',
      writeOffs: '0.00',
      closing: '23.83',
      current: '12.60', // the next 12 months: 12 × 0.63 + 12 × 0.42
      nonCurrent: '11.23',
    });
  });
});

describe('a cancellation in month 7 of a 36-month schedule', () => {
  // 3,600 over 36 months: 100.00 a month from January; the booking is cancelled on 10 July.
  const books = new Books([booking('B36', 36, { cancelledDate: '2026-07-10' })]);

  it('amortises January to July (7 × 100) and writes off the remaining 2,900 in July, the month the cancellation is known', () => {
    books.close('2026-01', [line('A1', 'B36', '3600')]);
    for (const p of ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) expect(books.close(p).writeOffs).toEqual([]);
    const jul = books.close('2026-07');
    expect(jul.writeOffs.map((w) => ({ amount: s2(w.amount), cancelledDate: w.cancelledDate }))).toEqual([{ amount: '2900.00', cancelledDate: '2026-07-10' }]);
    expect(figures(books.rollForward('2026-06'))).toEqual({ opening: '3100.00', additions: '0.00', reductions: '0.00', amortisation: '100.00', writeOffs: '0.00', closing: '3000.00', current: '1200.00', nonCurrent: '1800.00' });
    expect(figures(books.rollForward('2026-07'))).toEqual({ opening: '3000.00', additions: '0.00', reductions: '0.00', amortisation: '100.00', writeOffs: '2900.00', closing: '0.00', current: '0.00', nonCurrent: '0.00' });
    expect(ties(books.rollForward('2026-07'))).toBe(true);
  });

  it('nothing amortises after the write-off', () => {
    books.close('2026-08');
    expect(figures(books.rollForward('2026-08'))).toEqual({ opening: '0.00', additions: '0.00', reductions: '0.00', amortisation: '0.00', writeOffs: '0.00', closing: '0.00', current: '0.00', nonCurrent: '0.00' });
    expect(amortisationIn(books.schedules[0], '2026-08').toFixed(2)).toBe('0.00');
  });

  it('the journal of July: amortisation 100 and write-off 2,900, both out of the asset; no commission cost (no lines)', () => {
    const entries = journalEntries('USD', ZERO, books.rollForward('2026-07'));
    expect(entries.map((e) => [e.entry, e.debit, e.credit, s2(e.amount)])).toEqual([
      ['amortise', 'amortisationExpense', 'asset', '100.00'],
      ['write_off', 'writeOffExpense', 'asset', '2900.00'],
    ]);
  });
});

describe('clawbacks reduce the asset', () => {
  it('a full clawback when the booking is cancelled in month 7: 2,900 comes out of the asset, the 700 already amortised reverses expense', () => {
    const books = new Books([booking('B36', 36, { cancelledDate: '2026-07-10' })]);
    books.close('2026-01', [line('A1', 'B36', '3600')]);
    for (const p of ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) books.close(p);
    const jul = books.close('2026-07', [line('A1', 'B36', '-3600', 'clawback')]);
    expect(jul.schedules.map((s) => ({ treatment: s.treatment, cost: s2(s.cost), start: s.startPeriod, months: s.months }))).toEqual([
      { treatment: 'reduction', cost: '-2900.00', start: '2026-08', months: 29 },
    ]);
    expect(jul.expensed.map((e) => [s2(e.amount), e.reason])).toEqual([['-700.00', 'clawback beyond the asset left for booking B36: reverses commission expense']]);
    // both the schedule (2,900) and its reduction (−2,900) are written off: net nothing
    expect(jul.writeOffs.map((w) => s2(w.amount))).toEqual(['2900.00', '-2900.00']);
    const rf = books.rollForward('2026-07');
    expect(figures(rf)).toEqual({ opening: '3000.00', additions: '0.00', reductions: '-2900.00', amortisation: '100.00', writeOffs: '0.00', closing: '0.00', current: '0.00', nonCurrent: '0.00' });
    // the journal: the payee owes back 3,600 (the clawback line): 2,900 against the asset, 700 against expense
    const entries = journalEntries('USD', d('-3600'), rf);
    expect(entries.map((e) => [e.entry, e.debit, e.credit, s2(e.amount)])).toEqual([
      ['expense', 'payable', 'commissionExpense', '700.00'],
      ['reduce', 'payable', 'asset', '2900.00'],
      ['amortise', 'amortisationExpense', 'asset', '100.00'],
    ]);
  });

  it('a partial clawback without a cancellation (1,800 in July) reduces the remaining 2,900 to 1,100, spread over the 29 months left', () => {
    const books = new Books([booking('B36', 36)]);
    books.close('2026-01', [line('A1', 'B36', '3600')]);
    for (const p of ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) books.close(p);
    const jul = books.close('2026-07', [line('A1', 'B36', '-1800', 'clawback')]);
    // −1,800 / 29 = −62.0689… → −62.07 for 28 months, −1,800 + 28 × 62.07 = −62.04 in the last
    expect(jul.schedules.map((s) => ({ cost: s2(s.cost), start: s.startPeriod, months: s.months, monthly: s2(s.monthly), last: s2(s.last) }))).toEqual([
      { cost: '-1800.00', start: '2026-08', months: 29, monthly: '-62.07', last: '-62.04' },
    ]);
    expect(jul.expensed).toEqual([]);
    expect(figures(books.rollForward('2026-07'))).toEqual({
      opening: '3000.00',
      additions: '0.00',
      reductions: '-1800.00',
      amortisation: '100.00',
      writeOffs: '0.00',
      closing: '1100.00',
      current: '455.16', // 12 × (100 − 62.07)
      nonCurrent: '644.84',
    });
    books.close('2026-08');
    expect(figures(books.rollForward('2026-08'))).toMatchObject({ opening: '1100.00', amortisation: '37.93', closing: '1062.07' });
    for (let p = '2026-09'; p <= '2028-12'; p = addMonths(p, 1)) books.close(p);
    expect(s2(books.rollForward('2028-12').closing)).toBe('0.00'); // both end in December 2028 and sum to their costs
  });

  it('a clawback of a booking whose cost was expensed (no asset) is all expense', () => {
    const books = new Books([booking('B12', 12, { cancelledDate: '2026-03-02' })]);
    expect(books.close('2026-01', [line('A1', 'B12', '1200')]).schedules).toEqual([]);
    const mar = books.close('2026-03', [line('A1', 'B12', '-1200', 'clawback')]);
    expect({ schedules: mar.schedules.length, expensed: mar.expensed.map((e) => s2(e.amount)), writeOffs: mar.writeOffs.length }).toEqual({ schedules: 0, expensed: ['-1200.00'], writeOffs: 0 });
  });
});

describe('the practical expedient', () => {
  const lines = () => [line('A1', 'B12', '1200'), line('A1', 'B13', '1300')];
  const bookings = [booking('B12', 12), booking('B13', 13)];

  it('on (the default): a 12-month period is expensed when incurred, a 13-month one capitalised', () => {
    const r = new Books(bookings).close('2026-01', lines());
    expect(r.expensed.map((e) => [s2(e.amount), e.reason])).toEqual([['1200.00', 'practical expedient: a period of benefit of 12 months (the contract term of 12 months) is expensed when incurred']]);
    expect(r.schedules.map((s) => [s.bookingId, s2(s.cost), s.months, s2(s.monthly)])).toEqual([['B13', '1300.00', 13, '100.00']]);
  });

  it('off: both are capitalised, the 12-month one at 100.00 a month', () => {
    const policy = parseAccountingPolicy({ practicalExpedient: false }, 'test policy');
    const books = new Books(bookings, policy);
    const r = books.close('2026-01', lines());
    expect(r.expensed).toEqual([]);
    expect(r.schedules.map((s) => [s.bookingId, s2(s.cost), s.months, s2(s.monthly)])).toEqual([
      ['B12', '1200.00', 12, '100.00'],
      ['B13', '1300.00', 13, '100.00'],
    ]);
    expect(figures(books.rollForward('2026-01'))).toEqual({ opening: '0.00', additions: '2500.00', reductions: '0.00', amortisation: '200.00', writeOffs: '0.00', closing: '2300.00', current: '2300.00', nonCurrent: '0.00' });
  });
});

describe('what is never capitalised', () => {
  it('draws, adjustments, rounding and threshold bonuses are not tied to a contract; the policy expenses what it names', () => {
    const policy = parseAccountingPolicy({ expense: { componentTypes: ['override'], components: ['ae-2026/platform-spif-q1'] } }, 'test policy');
    const books = new Books([booking('B24', 24)], policy, (key) => (key.startsWith('mgr-2026') ? 'override' : 'tiered'));
    const r = books.close('2026-01', [
      line('A1', null, '500', 'draw', null),
      line('A1', null, '25', 'adjustment', null),
      line('A1', null, '0.01', 'rounding', 'ae-2026@v1:quota-commission:2026'),
      line('A1', 'B24', '500', 'spiff', 'ae-2026@v1:platform-spif-q1:2026'),
      line('G1', 'B24', '360', 'override', 'mgr-2026@v1:team-override:2026'),
      line('A1', 'B24', '2400'),
    ]);
    expect(r.expensed.map((e) => e.reason)).toEqual([
      'not tied to a contract (draw line)',
      'not tied to a contract (adjustment line)',
      'not tied to a contract (rounding line)',
      'the policy expenses component ae-2026/platform-spif-q1',
      'the policy expenses override components',
    ]);
    expect(r.schedules.map((s) => [s.repId, s2(s.cost), s.months])).toEqual([['A1', '2400.00', 24]]);
  });

  it('a policy file with a mistake names the JSON path and what would be valid', () => {
    expect(() => parseAccountingPolicy({ expectedLifeMonths: { PLATFORM: '48' }, expense: { components: ['spif'] }, capitalize: true }, 'policy.json')).toThrow(
      'policy.json: $: "capitalize" is not a policy setting; $.expense.components.0: write a component as "planId/componentId"; $.expectedLifeMonths.PLATFORM: must be integer',
    );
  });
});

describe('balance lines (recoverable draws, balances carried forward, recoveries)', () => {
  const lines = () => [
    { ...line('N1', null, '2000', 'draw', null), drawKind: 'recoverable' },
    { ...line('N2', null, '1500', 'draw', null), drawKind: 'nonRecoverable' },
    line('A1', null, '10500', 'negative_carried_forward', null),
    line('N1', null, '-2000', 'balance_recovery', null),
  ];

  it('are commission expense by default, so the expense equals what payroll pays', () => {
    const r = new Books([]).close('2026-03', lines());
    expect({ expensed: r.expensed.map((e) => s2(e.amount)), advances: r.advances.length }).toEqual({ expensed: ['10500.00', '2000.00', '-2000.00', '1500.00'], advances: 0 }); // by payee, then line
  });

  it('with balanceLines "advance" they post to the advances account; a non-recoverable draw stays expense', () => {
    const policy = parseAccountingPolicy({ balanceLines: 'advance' }, 'test policy');
    const r = new Books([], policy).close('2026-03', lines());
    expect({ expensed: r.expensed.map((e) => s2(e.amount)), advances: r.advances.map((e) => s2(e.amount)) }).toEqual({ expensed: ['1500.00'], advances: ['10500.00', '2000.00', '-2000.00'] });
    // 12,000 of lines: 10,500 to advances, 1,500 to expense
    const entries = journalEntries('USD', d('12000'), { additions: ZERO, reductions: ZERO, amortisation: ZERO, writeOffs: ZERO }, d('10500'));
    expect(entries.map((e) => [e.entry, e.debit, e.credit, s2(e.amount)])).toEqual([
      ['expense', 'commissionExpense', 'payable', '1500.00'],
      ['advance', 'advances', 'payable', '10500.00'],
    ]);
  });
});

describe('journal rows', () => {
  it('each entry is a debit row and a credit row with one converted amount, so the reporting currency balances too', () => {
    const entries = journalEntries('EUR', d('2160'), { additions: d('1620'), reductions: ZERO, amortisation: d('67.50'), writeOffs: ZERO });
    const rows = journalRows('2026-01', entries, DEFAULT_ACCOUNTING_POLICY, () => 2, (a) => a.times('1.1'), 'USD');
    expect(rows.map((r) => [r.entry, r.account, r.debit, r.credit, r.reportingDebit, r.reportingCredit])).toEqual([
      ['capitalise', '1460', '1620.00', '', '1782.00', ''],
      ['capitalise', '2150', '', '1620.00', '', '1782.00'],
      ['expense', '6150', '540.00', '', '594.00', ''],
      ['expense', '2150', '', '540.00', '', '594.00'],
      ['amortise', '6160', '67.50', '', '74.25', ''],
      ['amortise', '1460', '', '67.50', '', '74.25'],
    ]);
  });
});

describe('properties', () => {
  const PERIODS = Array.from({ length: 30 }, (_, i) => addMonths('2026-01', i));
  const scenario = fc.record({
    expedient: fc.boolean(),
    bookings: fc.array(
      fc.record({ term: fc.integer({ min: 1, max: 60 }), cancelIn: fc.option(fc.integer({ min: 0, max: 29 }), { nil: null }), renewal: fc.boolean() }),
      { minLength: 1, maxLength: 5 },
    ),
    lines: fc.array(
      fc.record({ booking: fc.nat(), month: fc.integer({ min: 0, max: 29 }), cents: fc.integer({ min: -500_000, max: 2_000_000 }), rep: fc.constantFrom('A1', 'A2'), kind: fc.constantFrom('commission', 'spiff', 'draw') }),
      { maxLength: 25 },
    ),
  });

  it('every schedule sums to its cost, each month the roll-forward ties and carries into the next, and lines = capitalised + reductions + expensed', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const bookings = sc.bookings.map((b, i) =>
          booking(`B${i}`, b.term, { type: b.renewal ? 'renewal' : 'new', product: 'PLATFORM', cancelledDate: b.cancelIn === null ? null : `${PERIODS[b.cancelIn]}-15` }),
        );
        const policy = parseAccountingPolicy({ practicalExpedient: sc.expedient, expectedLifeMonths: { PLATFORM: 40 } }, 'p');
        const books = new Books(bookings, policy);
        let closingBefore = ZERO;
        for (const [m, p] of PERIODS.entries()) {
          const lines = sc.lines
            .filter((l) => l.month === m && l.cents !== 0)
            .map((l) => line(l.rep, l.kind === 'draw' ? null : `B${l.booking % bookings.length}`, new Decimal(l.cents).div(100).toFixed(2), l.kind, l.kind === 'draw' ? null : 'ae-2026@v1:quota-commission:2026'));
          const r = books.close(p, lines);
          const linesTotal = lines.reduce((s, l) => s.plus(l.amount), ZERO);
          const capitalised = r.schedules.filter((s) => s.treatment === 'capitalised').reduce((s, x) => s.plus(x.cost), ZERO);
          const reduced = r.schedules.filter((s) => s.treatment === 'reduction').reduce((s, x) => s.plus(x.cost), ZERO);
          const expensed = r.expensed.reduce((s, e) => s.plus(e.amount), ZERO);
          expect(s2(capitalised.plus(reduced).plus(expensed))).toBe(s2(linesTotal));
          for (const s of r.schedules) expect(s2(s.monthly.times(s.months - 1).plus(s.last))).toBe(s2(s.cost));
          const rf = rollForward(p, books.schedules, books.writeOffs).find((x) => x.currency === 'USD') ?? null;
          const closing = rf?.closing ?? ZERO;
          if (rf) {
            expect(s2(rf.closing)).toBe(s2(rf.scheduleBalances));
            expect(s2(rf.opening)).toBe(s2(closingBefore));
            expect(rf.closing.isNegative()).toBe(false);
            const entries = journalEntries('USD', linesTotal, rf);
            const rows = journalRows(p, entries, policy, () => 2, (a) => a, 'USD');
            const debit = rows.reduce((s, x) => s.plus(x.debit || '0'), ZERO);
            const credit = rows.reduce((s, x) => s.plus(x.credit || '0'), ZERO);
            expect(s2(debit)).toBe(s2(credit));
          }
          // a booking known to be cancelled carries no asset after its write-off
          for (const b of bookings) {
            if (b.cancelledDate && b.cancelledDate.slice(0, 7) <= p) {
              const left = books.schedules.filter((s) => s.bookingId === b.bookingId).reduce((s, x) => s.plus(remainingAfter(x, p)), ZERO);
              expect(s2(left)).toBe('0.00');
            }
          }
          closingBefore = closing;
        }
      }),
      { numRuns: 150 },
    );
  });
});
