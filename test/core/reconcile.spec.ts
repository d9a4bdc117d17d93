import { reconcile } from '../../src/core/reconciliation/reconcile';
import { D } from '../support/core-builders';

describe('reconcile: closed payouts against what payroll paid', () => {
  const payout = (repId: string, amount: string, currency = 'USD', team: string | null = 'G1', plan: string | null = 'ae-2026') => ({ repId, payout: D(amount), currency, team, plan });
  const paid = (id: string, repId: string, amount: string, reference: string, currency = 'USD') => ({ id, repId, amount: D(amount), currency, reference, paidDate: '2026-02-27', team: 'G1', plan: 'ae-2026' });

  const result = reconcile(
    '2026-02',
    [payout('A', '1000.00'), payout('B', '500.00', 'USD', 'G2', 'am-2026'), payout('C', '250.00', 'EUR'), payout('D', '0.00'), payout('E', '300.00')],
    [paid('1', 'A', '1000.00', 'P-A'), paid('2', 'B', '450.00', 'P-B'), paid('3', 'E', '300.00', 'P-E1'), paid('4', 'E', '300.00', 'P-E2'), paid('5', 'F', '99.00', 'P-F')],
    [{ repId: 'E', source: 'dispute', paidInPeriod: '2026-03', ref: 'dispute:7', amount: D('20.00') }],
  );

  it('classifies every payee and record', () => {
    expect(result.rows.map((r) => [r.repId, r.status, r.computed, r.paid, r.difference, r.errorFree, r.errorAmount])).toEqual([
      ['A', 'matched', '1000.00', '1000.00', null, true, '0.00'],
      ['B', 'mismatched', '500.00', '450.00', '-50.00', false, '50.00'],
      ['C', 'missing', '250.00', null, null, false, '250.00'],
      ['E', 'matched', '300.00', '300.00', null, false, '20.00'], // paid right, then corrected by an upheld dispute
      ['E', 'unexpected', null, '300.00', null, false, '300.00'], // paid twice
      ['F', 'unexpected', null, '99.00', null, false, '99.00'], // nothing computed
    ]);
    expect(result.counts).toEqual({ matched: 2, mismatched: 1, missing: 1, unexpected: 2 });
  });

  it('count rate = 1 error-free of 6 (4 non-zero payouts + 2 unexpected records); dollar rate = 1 − 719 / 2050', () => {
    expect(result.accuracy).toEqual({
      totalPayouts: 6,
      errorFreePayouts: 1,
      countRatePct: '16.66666666666666666666666666666666666667',
      sumAbsError: '719.00',
      sumAbsClosedPayout: '2050.00',
      dollarRatePct: '64.92682926829268292682926829268292682927',
    });
    expect(result.errors.map((e) => e.repId)).toEqual(['B', 'C', 'E', 'E', 'F']);
  });

  it('breaks the rates down by team and plan', () => {
    expect(result.byTeam.G2).toEqual({ totalPayouts: 1, errorFreePayouts: 0, countRatePct: '0', sumAbsError: '50.00', sumAbsClosedPayout: '500.00', dollarRatePct: '90' });
    expect(result.byPlan['ae-2026'].totalPayouts).toBe(5);
  });

  it('everything paid exactly and never corrected is 100%', () => {
    const r = reconcile('2026-02', [payout('A', '10.00')], [paid('1', 'A', '10.00', 'X')], []);
    expect([r.accuracy.countRatePct, r.accuracy.dollarRatePct]).toEqual(['100', '100']);
  });
});
