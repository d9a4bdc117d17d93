import { FxTable } from '../../src/core/calculation/fx-table';
import { ReportingConverter } from '../../src/core/money/currency-totals';
import { reconcile } from '../../src/core/reconciliation/reconcile';
import { D } from '../support/core-builders';

/** Figures checked by hand; EUR converts into the reporting USD at 1.2 (the latest rate on or before 28 February). */
describe('reconcile: closed payouts against what payroll paid', () => {
  const fx = new FxTable([
    { date: '2026-01-01', from: 'EUR', to: 'USD', rate: D('1.1') },
    { date: '2026-02-01', from: 'EUR', to: 'USD', rate: D('1.2') },
    { date: '2026-03-01', from: 'EUR', to: 'USD', rate: D('1.3') },
  ]);
  const usd = () => new ReportingConverter('USD', '2026-02-28', fx);
  const payout = (repId: string, amount: string, currency = 'USD', team: string | null = 'G1', plan: string | null = 'ae-2026') => ({ repId, payout: D(amount), currency, team, plan });
  const paid = (id: string, repId: string, amount: string, reference: string, currency = 'USD') => ({ id, repId, amount: D(amount), currency, reference, paidDate: '2026-02-27', team: 'G1', plan: 'ae-2026' });

  const result = reconcile(
    '2026-02',
    [payout('A', '1000.00'), payout('B', '500.00', 'USD', 'G2', 'am-2026'), payout('C', '250.00', 'EUR'), payout('D', '0.00'), payout('E', '300.00')],
    [paid('1', 'A', '1000.00', 'P-A'), paid('2', 'B', '450.00', 'P-B'), paid('3', 'E', '300.00', 'P-E1'), paid('4', 'E', '300.00', 'P-E2'), paid('5', 'F', '99.00', 'P-F')],
    [{ repId: 'E', source: 'dispute', paidInPeriod: '2026-03', ref: 'dispute:7', amount: D('20.00') }],
    usd(),
  );

  it('classifies every payee and record; a payee paid twice is an error of the second amount, its second record unexpected', () => {
    expect(result.rows.map((r) => [r.repId, r.status, r.currency, r.computed, r.paid, r.difference, r.errorFree, r.errorAmount, r.errorConverted, r.correctionAmount])).toEqual([
      ['A', 'matched', 'USD', '1000.00', '1000.00', null, true, '0.00', '0', '0.00'],
      ['B', 'mismatched', 'USD', '500.00', '450.00', '-50.00', false, '50.00', '50', '0.00'],
      ['C', 'missing', 'EUR', '250.00', null, null, false, '250.00', '300', '0.00'], // 250 EUR × 1.2
      ['E', 'mismatched', 'USD', '300.00', '600.00', '300.00', false, '300.00', '300', '20.00'], // paid twice, then corrected
      ['E', 'unexpected', 'USD', null, '300.00', null, false, '0.00', '0', '0.00'], // its 300.00 is in E's error
      ['F', 'unexpected', 'USD', null, '99.00', null, false, '99.00', '99', '0.00'], // nothing computed
    ]);
    expect(result.counts).toEqual({ matched: 1, mismatched: 2, missing: 1, unexpected: 2 });
    expect(result.rows[3].reasons).toEqual(['paid 2 times (P-E1, P-E2)', 'paid 600.00, computed 300.00 USD (difference 300.00)', 'later correction 20.00 (dispute dispute:7, paid in 2026-03)']);
    expect(result.rates).toEqual([{ from: 'EUR', to: 'USD', rate: '1.2', date: '2026-02-01' }]);
  });

  it('count rate = 1 error-free of 6 (4 non-zero payouts + 2 unexpected records); amount rate = 1 − 749 / 2100 in USD', () => {
    // errors 0 + 50 + 300 (250 EUR) + 300 + 0 + 99 = 749 USD; payouts 1000 + 500 + 300 (250 EUR) + 300 = 2100 USD
    expect(result.accuracy).toEqual({
      totalPayouts: 6,
      errorFreePayouts: 1,
      countRatePct: '16.66666666666666666666666666666666666667',
      reportingCurrency: 'USD',
      ratesAsOf: '2026-02-28',
      sumAbsError: '749.00',
      sumAbsClosedPayout: '2100.00',
      dollarRatePct: '64.33333333333333333333333333333333333333',
      sumAbsCorrections: '20.00',
      byCurrency: [
        { currency: 'EUR', sumAbsError: '250.00', sumAbsClosedPayout: '250.00' },
        { currency: 'USD', sumAbsError: '449.00', sumAbsClosedPayout: '1800.00' },
      ],
    });
    expect(result.errors.map((e) => e.repId)).toEqual(['B', 'C', 'E', 'E', 'F']);
  });

  it('breaks the rates down by team and plan', () => {
    expect(result.byTeam.G2).toMatchObject({ totalPayouts: 1, errorFreePayouts: 0, countRatePct: '0', sumAbsError: '50.00', sumAbsClosedPayout: '500.00', dollarRatePct: '90' });
    expect(result.byPlan['ae-2026'].totalPayouts).toBe(5);
  });

  it('everything paid exactly and never corrected is 100%', () => {
    const r = reconcile('2026-02', [payout('A', '10.00')], [paid('1', 'A', '10.00', 'X')], [], usd());
    expect([r.accuracy.countRatePct, r.accuracy.dollarRatePct]).toEqual(['100', '100']);
  });

  it('a duplicate payment of 50.00 USD on a 50.00 payout: an error of 50.00 and two errors in the count', () => {
    const r = reconcile('2026-02', [payout('X', '50.00')], [paid('1', 'X', '50.00', 'X-1'), paid('2', 'X', '50.00', 'X-2')], [], usd());
    expect(r.rows.map((x) => [x.status, x.errorAmount])).toEqual([['mismatched', '50.00'], ['unexpected', '0.00']]);
    expect(r.accuracy).toMatchObject({ totalPayouts: 2, errorFreePayouts: 0, countRatePct: '0', sumAbsError: '50.00', sumAbsClosedPayout: '50.00', dollarRatePct: '0' });
  });

  it('70.00 paid in EUR on a 70.00 USD payout: 70.00 USD + 70.00 EUR converted (84.00 USD) of error', () => {
    const r = reconcile('2026-02', [payout('Y', '70.00')], [paid('1', 'Y', '70.00', 'Y-1', 'EUR')], [], usd());
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ status: 'mismatched', currency: 'USD', paid: '0.00', difference: null, errorAmount: '70.00', otherCurrencies: [{ currency: 'EUR', amount: '70.00' }], errorConverted: '154' });
    expect(r.rows[0].reasons).toEqual(['nothing paid in USD; computed 70.00 USD', 'paid 70.00 EUR, not in USD']);
    expect(r.accuracy).toMatchObject({ sumAbsError: '154.00', sumAbsClosedPayout: '70.00', dollarRatePct: '-120', byCurrency: [{ currency: 'EUR', sumAbsError: '70.00', sumAbsClosedPayout: '0.00' }, { currency: 'USD', sumAbsError: '70.00', sumAbsClosedPayout: '70.00' }] });
  });

  it('a currency without a rate into the reporting currency is an error naming the pair and the date', () => {
    expect(() => reconcile('2026-02', [payout('Z', '10.00', 'GBP')], [], [], usd())).toThrow('no FX rate GBP->USD on or before 2026-02-28');
  });
});
