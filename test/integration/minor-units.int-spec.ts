import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { Decimal } from '../../src/core/money/decimal';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Minor units end to end, on both stores: a JPY and a BHD payee on ae-2026 (the figures of test/core/minor-units.spec.ts,
 * worked by hand there), stored in their own scale, paid, reconciled in USD, with payroll amounts and adjustments
 * checked against the currency.
 */
describe('minor units end to end', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);

  beforeAll(async () => {
    t = await startTestApp();
    await imp('reps', 'reps.csv', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nJ,Jun,j@example.com,,AE,2024-01-01,,JPY\nB,Badr,b@example.com,,AE,2024-01-01,,BHD\nP,Pip,p@example.com,,AE,2024-01-01,,GBP\n');
    await imp('assignments', 'assignments.csv', 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nJ,ae-2026,2026-01-01,2026-12-31,120000000,12000000,10000000\nB,ae-2026,2026-01-01,2026-12-31,120000000,12000000,10000000\nP,ae-2026,2026-01-01,2026-12-31,1200000,120000,100000\n');
    await imp('fx', 'fx.csv', 'date,from_currency,to_currency,rate\n2026-01-01,JPY,USD,0.0067\n2026-01-01,BHD,USD,2.65\n2026-01-01,GBP,USD,1.25\n');
    await imp(
      'bookings',
      'bookings.csv',
      'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\n' +
        'J1,J,100,C1,new,CORE,1000010,JPY,12,2026-01-10,\nJ2,J,100,C2,new,CORE,1000010,JPY,12,2026-02-10,\n' +
        'B1,B,100,C3,new,CORE,10000.01,BHD,12,2026-01-10,\nB2,B,100,C4,new,CORE,10000.01,BHD,12,2026-02-10,\n' +
        'P1,P,100,C5,new,CORE,10000,GBP,12,2026-01-20,\n',
    );
  });
  afterAll(async () => t?.close());

  it('stores each payee\'s amounts in their minor unit; totals stay per currency', async () => {
    const runs = await t.app.get(CalculationService).calculate('2026-02', actor);
    expect(runs.map((r) => [r.period, r.totals])).toEqual([
      ['2026-01', [{ currency: 'BHD', amount: '500.001' }, { currency: 'GBP', amount: '500.00' }, { currency: 'JPY', amount: '50001' }]],
      ['2026-02', [{ currency: 'BHD', amount: '500.000' }, { currency: 'GBP', amount: '0.00' }, { currency: 'JPY', amount: '50000' }]],
    ]);
    const calc = t.app.get(CalculationService);
    const feb = await calc.payouts('2026-02', null);
    expect(feb.map((p) => [p.repId, p.currency, p.earnedToDate, p.payout])).toEqual([
      ['B', 'BHD', '1000.001', '500.000'],
      ['J', 'JPY', '100001', '50000'],
      ['P', 'GBP', '500.00', '0.00'],
    ]);
    expect((await calc.lines('2026-02', 'J')).map((l) => [l.kind, l.amount])).toEqual([['commission', '50001'], ['rounding', '-1']]);
    expect((await calc.lines('2026-02', 'B')).map((l) => [l.kind, l.amount])).toEqual([['commission', '500.001'], ['rounding', '-0.001']]);
    const periods = await t.app.get(PeriodsService).list();
    expect(periods.find((p) => p.period === '2026-02')?.payoutTotals).toEqual([{ currency: 'BHD', amount: '500.000' }, { currency: 'GBP', amount: '0.00' }, { currency: 'JPY', amount: '50000' }]);
  });

  it('refuses a payroll amount or an adjustment finer than the currency, naming line and column', async () => {
    await expect(imp('payroll', 'payroll.csv', 'rep_id,period,currency,amount,paid_date,reference\nJ,2026-01,JPY,50001.5,2026-02-05,P1\n')).rejects.toMatchObject({
      details: [{ file: 'payroll.csv', line: 2, column: 'amount', message: '"50001.5" has more than 0 decimals (the minor unit of JPY)' }],
    });
    await expect(t.app.get(PeriodsService).addAdjustment(actor, { repId: 'J', period: '2026-03', amount: '10.5', reasonCode: 'correction', note: 'half a yen' })).rejects.toThrow(
      'amount has at most 0 decimals in JPY (its minor unit), got "10.5"',
    );
  });

  it('reconciles in each currency and converts into USD: 50,001 JPY and 500.001 BHD paid exactly, 500.00 GBP paid in USD', async () => {
    await t.app.get(PeriodsService).close('2026-01', actor);
    await imp('payroll', 'payroll.csv', 'rep_id,period,currency,amount,paid_date,reference\nJ,2026-01,JPY,50001,2026-02-05,P1\nB,2026-01,BHD,500.001,2026-02-05,P2\nP,2026-01,USD,500.00,2026-02-05,P3\n');
    const r = await t.app.get(ReconciliationService).reconcile('2026-01');
    expect(r.rows.map((x) => [x.repId, x.status, x.computed, x.paid, x.errorAmount])).toEqual([
      ['B', 'matched', '500.001', '500.001', '0.000'],
      ['J', 'matched', '50001', '50001', '0'],
      ['P', 'mismatched', '500.00', '0.00', '500.00'], // paid 500.00 USD instead: 500.00 GBP + 500.00 USD of error
    ]);
    expect(r.rows[2].otherCurrencies).toEqual([{ currency: 'USD', amount: '500.00' }]);
    // payouts: 50,001 × 0.0067 + 500.001 × 2.65 + 500 × 1.25 = 335.0067 + 1,325.00265 + 625 = 2,285.00935 USD
    // errors: 500 GBP × 1.25 + 500 USD = 1,125 USD; amount rate (1 − 1125 / 2285.00935) × 100
    expect(r.accuracy).toMatchObject({
      countRatePct: '66.66666666666666666666666666666666666667',
      sumAbsError: '1125.00',
      sumAbsClosedPayout: '2285.01',
      byCurrency: [
        { currency: 'BHD', sumAbsError: '0.000', sumAbsClosedPayout: '500.001' },
        { currency: 'GBP', sumAbsError: '500.00', sumAbsClosedPayout: '500.00' },
        { currency: 'JPY', sumAbsError: '0', sumAbsClosedPayout: '50001' },
        { currency: 'USD', sumAbsError: '500.00', sumAbsClosedPayout: '0.00' },
      ],
    });
    expect(r.accuracy.dollarRatePct).toBe(new Decimal(1).minus(new Decimal(1125).dividedBy('2285.00935')).times(100).toFixed());
  });
});
