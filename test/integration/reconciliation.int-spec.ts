import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Payroll intake and reconciliation on the demo data. Closed payouts (hand-checked in the core specs):
 * 2026-02: A1 36000.00 USD, G1 8505.00 EUR, M1 2100.00 USD, N1 2000.00 USD (total 48605.00).
 */
describe('payroll reconciliation and the accuracy rates', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const PAYROLL = [
    'rep_id,period,currency,amount,paid_date,reference',
    'A1,2026-02,USD,36000.00,2026-02-27,PR-1001',
    'G1,2026-02,EUR,8550.00,2026-02-27,PR-1002', // 45.00 too much
    'N1,2026-02,USD,2000.00,2026-02-27,PR-1003',
    'N1,2026-02,USD,2000.00,2026-02-28,PR-1004', // paid twice
    // M1 is missing
  ].join('\n');

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imp(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`, 'utf8'));
    await t.app.get(PeriodsService).close('2026-01', actor);
    await t.app.get(PeriodsService).close('2026-02', actor);
  });
  afterAll(async () => t?.close());

  it('refuses to reconcile a period that is not closed', async () => {
    await expect(t.app.get(ReconciliationService).reconcile('2026-03')).rejects.toThrow('period 2026-03 is open; only closed periods are reconciled');
  });

  it('imports payroll all or nothing; unknown reps and bad amounts reject the file with line and column', async () => {
    await expect(imp('payroll', 'payroll.csv', 'rep_id,period,currency,amount,paid_date,reference\nA1,2026-02,USD,1.005,2026-02-27,X\nZZ,2026-13,USD,1,2026-02-27,Y\n')).rejects.toMatchObject({
      details: [
        { file: 'payroll.csv', line: 2, column: 'amount', message: '"1.005" has more than 2 decimals (the minor unit of USD)' },
        { file: 'payroll.csv', line: 3, column: 'rep_id', message: 'unknown rep "ZZ"' },
        { file: 'payroll.csv', line: 3, column: 'period', message: '"2026-13" is not a period in the form YYYY-MM' },
      ],
    });
    const [{ n }] = await t.app.get(Db).query<{ n: string }>(`SELECT count(*)::text AS n FROM payroll_records`);
    expect(n).toBe('0');
  });

  it('matches, finds the mismatch, the missing payout and the double payment; count rate 1/5, amount rate 1 − 4149.50/49455.50 in USD', async () => {
    expect(await imp('payroll', 'payroll.csv', PAYROLL)).toMatchObject({ rows: 4, created: 4 });
    expect(await imp('payroll', 'payroll.csv', PAYROLL)).toMatchObject({ rows: 4, created: 0, changed: 0, unchanged: 4 });
    const r = await t.app.get(ReconciliationService).reconcile('2026-02');
    // G1 is paid in EUR; the demo's EUR->USD rate on or before 2026-02-28 is 1.1 (loaded for 2026-01-01)
    expect(r.rows.map((x) => [x.repId, x.status, x.currency, x.computed, x.paid, x.difference, x.errorAmount, x.errorConverted])).toEqual([
      ['A1', 'matched', 'USD', '36000.00', '36000.00', null, '0.00', '0'],
      ['G1', 'mismatched', 'EUR', '8505.00', '8550.00', '45.00', '45.00', '49.5'],
      ['M1', 'missing', 'USD', '2100.00', null, null, '2100.00', '2100'],
      ['N1', 'mismatched', 'USD', '2000.00', '4000.00', '2000.00', '2000.00', '2000'], // paid twice
      ['N1', 'unexpected', 'USD', null, '2000.00', null, '0.00', '0'], // the second record: its money is in N1's error
    ]);
    // errors 49.50 + 2100 + 2000 = 4149.50 USD; payouts 36000 + 9355.50 (8505 EUR) + 2100 + 2000 = 49455.50 USD
    expect(r.accuracy).toEqual({
      totalPayouts: 5,
      errorFreePayouts: 1,
      countRatePct: '20',
      reportingCurrency: 'USD',
      ratesAsOf: '2026-02-28',
      sumAbsError: '4149.50',
      sumAbsClosedPayout: '49455.50',
      dollarRatePct: '91.60962885826652242925458240236171912123',
      sumAbsCorrections: '0.00',
      byCurrency: [
        { currency: 'EUR', sumAbsError: '45.00', sumAbsClosedPayout: '8505.00' },
        { currency: 'USD', sumAbsError: '4100.00', sumAbsClosedPayout: '40100.00' },
      ],
    });
    expect(r.rates).toEqual([{ from: 'EUR', to: 'USD', rate: '1.1', date: '2026-01-01' }]);
    expect(Object.keys(r.byTeam)).toEqual(['(none)', 'G1']);
    expect(r.byPlan['am-2026']).toMatchObject({ totalPayouts: 1, errorFreePayouts: 0 });
  });

  it('a corrected payroll file replaces the period, keeping the old records', async () => {
    const fixed = PAYROLL.replace('8550.00', '8505.00').replace('\nN1,2026-02,USD,2000.00,2026-02-28,PR-1004', '') + '\nM1,2026-02,USD,2100.00,2026-03-02,PR-1005';
    expect(await imp('payroll', 'payroll-fixed.csv', fixed)).toMatchObject({
      rows: 4,
      created: 4,
      changed: 0,
      unchanged: 0,
      superseded: 4,
      text: '4 rows: 4 payroll records, 4 created, 0 changed, 0 unchanged; 4 earlier payroll records of the same periods superseded (kept, marked with this import)',
    });
    const [{ current, kept }] = await t.app.get(Db).query<{ current: string; kept: string }>(
      `SELECT count(*) FILTER (WHERE superseded_by_import IS NULL)::text AS current, count(*) FILTER (WHERE superseded_by_import IS NOT NULL)::text AS kept FROM payroll_records`,
    );
    expect([current, kept]).toEqual(['4', '4']);
    const r = await t.app.get(ReconciliationService).reconcile('2026-02');
    expect([r.accuracy.countRatePct, r.accuracy.dollarRatePct]).toEqual(['100', '100']);
  });

  it('a backdated and an amended booking for the closed February make its payouts wrong after the fact', async () => {
    await imp(
      'bookings',
      'late.csv',
      'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\n' +
        'LATE1,A1,100,C9,new,CORE,50000,USD,12,2026-02-20,\nB2,A1,100,C2,expansion,CORE,660000,USD,12,2026-02-10,\n',
    );
    await t.app.get(CalculationService).calculate('2026-03', actor);
    const r = await t.app.get(ReconciliationService).reconcile('2026-02');
    // A1: +6000.00 (B2 amended) +5000.00 (LATE1); G1: +810.00 +675.00 EUR override on them. Payroll paid what the
    // close said, so the corrections are errors in the count and beside the amount rate, not in it.
    expect(r.errors.map((e) => [e.repId, e.status, e.errorAmount, e.correctionAmount, e.corrections.map((c) => [c.source, c.amount, c.paidInPeriod])])).toEqual([
      ['A1', 'matched', '0.00', '11000.00', [['prior_period_adjustment', '6000.00', '2026-03'], ['prior_period_adjustment', '5000.00', '2026-03']]],
      ['G1', 'matched', '0.00', '1485.00', [['prior_period_adjustment', '810.00', '2026-03'], ['prior_period_adjustment', '675.00', '2026-03']]],
    ]);
    // 11000 USD + 1485 EUR × 1.1 = 12633.50 USD
    expect(r.accuracy).toMatchObject({ totalPayouts: 4, errorFreePayouts: 2, countRatePct: '50', sumAbsError: '0.00', dollarRatePct: '100', sumAbsCorrections: '12633.50' });
  });

  it('a manual adjustment that names the period is a correction of it', async () => {
    await t.app.get(PeriodsService).addAdjustment(actor, { repId: 'M1', period: '2026-03', amount: '-100.00', reasonCode: 'correction', note: 'overpaid in February', originPeriod: '2026-02' });
    const r = await t.app.get(ReconciliationService).reconcile('2026-02');
    expect(r.errors.find((e) => e.repId === 'M1')).toMatchObject({ errorAmount: '0.00', correctionAmount: '100.00', corrections: [{ source: 'manual', amount: '-100.00', paidInPeriod: '2026-03' }] });
  });
});
