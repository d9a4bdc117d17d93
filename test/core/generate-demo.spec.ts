import { DemoPayout, demoPayouts } from '../../src/core/demo/demo-payouts';
import { DemoPayroll, demoPayroll, errorsFor, InjectedPayrollError, PAYROLL_ERROR_KINDS, payrollCsvLines, payrollErrorCsvLines } from '../../src/core/demo/demo-payroll';
import { DemoGenerator } from '../../src/core/demo/generate-demo';
import { validateBookingsCsv } from '../../src/core/intake/booking-intake';
import { validatePayrollCsv } from '../../src/core/intake/payroll-intake';
import { Decimal } from '../../src/core/money/decimal';
import { reconcile } from '../../src/core/reconciliation/reconcile';
import { FxTable } from '../../src/core/calculation/fx-table';
import { periodEnd } from '../../src/core/calendar/dates';
import { ReportingConverter } from '../../src/core/money/currency-totals';
import { GOLDEN_PLANS } from '../support/core-builders';

describe('demo generate', () => {
  const build = (seed: number) => new DemoGenerator({ payees: 40, bookings: 500, seed });

  it('is reproducible: the same seed gives the same rows, another seed other rows', () => {
    expect([...build(1).bookingRows()]).toEqual([...build(1).bookingRows()]);
    expect([...build(1).bookingRows()]).not.toEqual([...build(2).bookingRows()]);
  });

  it('writes exactly the requested booking rows, splits summing to 100%, with hires, leavers and cancellations', () => {
    const g = build(3);
    const rows = [...g.bookingRows()].slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(500);
    const splits = new Map<string, number>();
    for (const r of rows) splits.set(r[0], (splits.get(r[0]) ?? 0) + Number(r[2]));
    expect([...splits.values()].every((s) => s === 100)).toBe(true);
    expect([...splits.keys()].length).toBeLessThan(500); // some bookings are split
    expect(rows.some((r) => r[10] !== '')).toBe(true);
    expect(g.reps.some((r) => r.hire >= '2026-01-01')).toBe(true);
    expect(new Set(rows.map((r) => r[7]))).toEqual(new Set(['USD', 'EUR', 'GBP']));
  });

  it('produces a bookings file the intake accepts', () => {
    const g = build(4);
    const csv = [...g.bookingRows()].join('\n');
    const reps = new Set(g.reps.map((r) => r.id));
    const result = validateBookingsCsv(csv, 'bookings.csv', { repExists: (id) => reps.has(id) });
    expect(result.errors).toEqual([]);
  });
});

describe('demo payroll: what payroll paid, with documented injected errors', () => {
  const opts = { payees: 40, bookings: 500, seed: 11 };
  const lines = (p: DemoPayroll) => [[...payrollCsvLines(p.rows)], [...payrollErrorCsvLines(p.errors)]];
  let computed: Awaited<ReturnType<typeof demoPayouts>>;
  // the generated rates, for converting errors into USD
  const fx = new FxTable(
    [...new DemoGenerator(opts).fxRows()].slice(1).map((l) => {
      const [date, from, to, rate] = l.split(',');
      return { date, from, to, rate: new Decimal(rate) };
    }),
  );
  beforeAll(async () => {
    computed = await demoPayouts(opts, GOLDEN_PLANS(), 3);
  });

  it('errors per period: about 1.5% of the non-zero payouts, at least two, never more than there are', () => {
    expect([0, 1, 2, 3, 100, 166, 167, 1000, 10_000].map(errorsFor)).toEqual([0, 1, 2, 2, 2, 2, 3, 15, 150]);
  });

  it('calculates every payee of January..March with the core and is reproducible: the same seed gives byte-identical files', async () => {
    expect(new Set(computed.payouts.map((p) => p.period))).toEqual(new Set(['2026-01', '2026-02', '2026-03']));
    // every payee employed in January (the 2026 hires join the month they start)
    const employed = new DemoGenerator(opts).reps.filter((r) => r.hire <= '2026-01-31').map((r) => r.id);
    expect(computed.payouts.filter((p) => p.period === '2026-01').map((p) => p.repId)).toEqual(employed.sort());
    expect(computed.payees).toHaveLength(40);
    expect(computed.payouts.every((p) => /^-?\d+\.\d\d$/.test(p.payout))).toBe(true);
    expect(computed.payouts.filter((p) => p.payout !== '0.00').length).toBeGreaterThan(60);
    const again = await demoPayouts(opts, GOLDEN_PLANS(), 3);
    expect(again).toEqual(computed);
    const a = demoPayroll(computed.payouts, computed.payees, opts.seed);
    expect(lines(demoPayroll(again.payouts, again.payees, opts.seed))).toEqual(lines(a));
    expect(lines(demoPayroll(computed.payouts, computed.payees, opts.seed + 1))).not.toEqual(lines(a));
    expect(await demoPayouts(opts, GOLDEN_PLANS(), 0)).toEqual({ payouts: [], payees: [] });
  });

  it('writes a payroll file the payroll intake accepts', () => {
    const p = demoPayroll(computed.payouts, computed.payees, opts.seed);
    const result = validatePayrollCsv([...payrollCsvLines(p.rows)].join('\n'), 'payroll.csv', new Set(computed.payees.map((x) => x.repId)));
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(p.rows.length);
  });

  it('the reconciliation finds exactly the injected errors, and matches everyone else', () => {
    const p = demoPayroll(computed.payouts, computed.payees, opts.seed);
    expect(p.errors.map((e) => e.kind)).toEqual(expect.arrayContaining([...PAYROLL_ERROR_KINDS]));
    for (const period of ['2026-01', '2026-02', '2026-03']) {
      const payouts = computed.payouts.filter((x) => x.period === period).map((x) => ({ repId: x.repId, currency: x.currency, payout: new Decimal(x.payout), team: null, plan: null }));
      const records = p.rows
        .filter((r) => r.period === period)
        .map((r, i) => ({ id: String(i + 1), repId: r.repId, currency: r.currency, amount: new Decimal(r.amount), paidDate: r.paidDate, reference: r.reference, team: null, plan: null }));
      const result = reconcile(period, payouts, records, [], new ReportingConverter('USD', periodEnd(period), fx));
      const expected = p.errors.filter((e) => e.period === period);
      // A duplicate is two rows: the payee paid twice (its error: the second amount) and the second record, unexpected.
      // A payment in the wrong currency pays nothing in the payout's currency.
      const rowsOf = (e: InjectedPayrollError) =>
        e.kind === 'duplicate'
          ? [
              [e.repId, 'mismatched', e.computed, new Decimal(e.computed as string).times(2).toFixed(2), e.computed, e.reference?.replace(/-2$/, '')],
              [e.repId, 'unexpected', null, e.paid, null, e.reference],
            ]
          : e.kind === 'wrong_currency'
            ? [[e.repId, 'mismatched', e.computed, '0.00', null, e.reference]]
            : [[e.repId, e.expectedStatus, e.expectedStatus === 'unexpected' ? null : e.computed, e.paid, e.difference, e.reference]];
      expect(result.errors.map((e) => [e.repId, e.status, e.computed, e.paid, e.difference, e.reference])).toEqual(expected.flatMap(rowsOf));
      const nonZero = payouts.filter((x) => !x.payout.isZero()).length;
      const duplicates = expected.filter((e) => e.kind === 'duplicate').length;
      expect(result.counts.matched).toBe(nonZero - expected.filter((e) => e.kind !== 'unexpected').length);
      expect(result.rows.filter((r) => r.status === 'matched').every((r) => r.errorFree)).toBe(true);
      expect(result.counts.unexpected).toBe(expected.filter((e) => e.kind === 'unexpected').length + duplicates);
    }
  });

  describe('the documented rules, on synthetic payouts', () => {
    // 2026-01: 150 payees P001..P150 paid 1000.00 + i cents (P007 nothing); 2026-02: the same; X1 and X2 never paid.
    const payouts: DemoPayout[] = ['2026-01', '2026-02'].flatMap((period) =>
      Array.from({ length: 150 }, (_, i) => ({ repId: `P${String(i + 1).padStart(3, '0')}`, period, currency: i % 3 === 0 ? 'EUR' : 'USD', payout: i === 6 ? '0.00' : new Decimal(100_000 + i).dividedBy(100).toFixed(2) })),
    );
    const payees = [...new Set(payouts.map((p) => p.repId)), 'X1', 'X2'].map((repId) => ({ repId, currency: repId === 'X2' ? 'GBP' : 'USD' }));
    const p = demoPayroll(payouts, payees, 5);
    const computedOf = (period: string, repId: string) => payouts.find((x) => x.period === period && x.repId === repId) as DemoPayout;

    it('k errors per period, kinds in the documented cycle across periods', () => {
      // 149 non-zero payouts a period: max(2, round(2.235)) = 2 errors each; the cycle goes on into February.
      expect(p.errors.filter((e) => e.period === '2026-01').map((e) => e.kind).sort()).toEqual(['amount_small', 'missing']);
      expect(p.errors.filter((e) => e.period === '2026-02').map((e) => e.kind).sort()).toEqual(['amount_large', 'duplicate']);
    });

    it('every payee without an error is paid exactly once, in their currency, on the 15th of the next month, referenced CE-<period>-<rep>', () => {
      const inError = new Set(p.errors.map((e) => `${e.period}|${e.repId}`));
      for (const x of payouts) {
        const rows = p.rows.filter((r) => r.period === x.period && r.repId === x.repId);
        if (x.payout === '0.00') expect(rows).toEqual([]);
        else if (!inError.has(`${x.period}|${x.repId}`)) {
          expect(rows).toEqual([{ repId: x.repId, period: x.period, currency: x.currency, amount: x.payout, paidDate: x.period === '2026-01' ? '2026-02-15' : '2026-03-15', reference: `CE-${x.period}-${x.repId}` }]);
        }
      }
      expect(p.rows.filter((r) => r.repId === 'X1' || r.repId === 'X2')).toEqual([]);
    });

    it('each kind does what it says', () => {
      const of = (kind: string) => p.errors.find((e) => e.kind === kind) as InjectedPayrollError;
      const rowsOf = (e: InjectedPayrollError) => p.rows.filter((r) => r.period === e.period && r.repId === e.repId);
      const small = of('amount_small');
      const d = new Decimal(small.difference as string).abs();
      expect(d.greaterThanOrEqualTo('0.01') && d.lessThanOrEqualTo('9.99')).toBe(true);
      expect(rowsOf(small)).toEqual([expect.objectContaining({ amount: new Decimal(computedOf(small.period, small.repId).payout).plus(small.difference as string).toFixed(2) })]);
      const large = of('amount_large');
      const l = new Decimal(large.difference as string).abs();
      expect(l.greaterThanOrEqualTo('100') && l.lessThanOrEqualTo('2500')).toBe(true);
      expect(rowsOf(large)).toEqual([expect.objectContaining({ amount: large.paid })]);
      expect(rowsOf(of('missing'))).toEqual([]);
      expect(of('missing')).toMatchObject({ expectedStatus: 'missing', paid: null, reference: null });
      const dup = of('duplicate');
      expect(rowsOf(dup).map((r) => [r.amount, r.paidDate, r.reference])).toEqual([
        [dup.computed, '2026-03-15', `CE-2026-02-${dup.repId}`],
        [dup.computed, '2026-03-16', `CE-2026-02-${dup.repId}-2`],
      ]);
    });

    it('wrong currency pays the figure in another currency; unexpected pays someone without a payout, or becomes a duplicate when there is nobody', () => {
      // Three months of the same payees: errors 5 and 6 of the cycle fall in March.
      const march = payouts.filter((x) => x.period === '2026-01').map((x) => ({ ...x, period: '2026-03' }));
      const q = demoPayroll([...payouts, ...march], payees, 5);
      const wrong = q.errors.find((e) => e.kind === 'wrong_currency') as InjectedPayrollError;
      expect(wrong.paidCurrency).toBe(wrong.computedCurrency === 'USD' ? 'EUR' : 'USD');
      expect(q.rows.filter((r) => r.period === wrong.period && r.repId === wrong.repId)).toEqual([expect.objectContaining({ currency: wrong.paidCurrency, amount: wrong.computed })]);
      const un = q.errors.find((e) => e.kind === 'unexpected') as InjectedPayrollError;
      expect(['P007', 'X1', 'X2']).toContain(un.repId);
      expect(q.rows.filter((r) => r.period === un.period && r.repId === un.repId)).toEqual([
        { repId: un.repId, period: '2026-03', currency: un.repId === 'X2' ? 'GBP' : 'USD', amount: un.paid, paidDate: '2026-04-15', reference: `OFF-2026-03-${un.repId}` },
      ]);
      expect(new Decimal(un.paid as string).greaterThanOrEqualTo(500) && new Decimal(un.paid as string).lessThanOrEqualTo(5000)).toBe(true);
      // Nobody without a payout: the sixth error is a second duplicate.
      const everyonePaid = demoPayroll([...payouts, ...march], payees.filter((x) => x.repId.startsWith('P') && x.repId !== 'P007'), 5);
      expect(everyonePaid.errors.map((e) => e.kind).sort()).toEqual(['amount_large', 'amount_small', 'duplicate', 'duplicate', 'missing', 'wrong_currency']);
    });
  });
});
