import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { KPI_DICTIONARY } from '../../src/core/kpis/kpi-dictionary';
import { IntakeKind } from '../../src/core/intake/intake';
import { DisputesService } from '../../src/disputes/disputes.service';
import { ImportsService } from '../../src/imports/imports.service';
import { KpiValue, KpisService } from '../../src/kpis/kpis.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/** KPIs on the demo data, every expected value worked out by hand (see the comments). */
describe('KPI dictionary and values', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const kpi = (r: { kpis: KpiValue[] }, code: string) => r.kpis.find((k) => k.code === code)!;

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imp(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`, 'utf8'));
    await t.app.get(PeriodsService).close('2026-01', actor);
    await t.app.get(PeriodsService).close('2026-02', actor);
    await imp(
      'payroll',
      'payroll.csv',
      'rep_id,period,currency,amount,paid_date,reference\nA1,2026-02,USD,36000.00,2026-02-27,PR-1\nG1,2026-02,EUR,8550.00,2026-02-27,PR-2\nN1,2026-02,USD,2000.00,2026-02-27,PR-3\nN1,2026-02,USD,2000.00,2026-02-28,PR-4\n',
    );
    await t.app.get(CalculationService).calculate('2026-03', actor);
  });
  afterAll(async () => t?.close());

  it('every KPI has a formula, source, owner, cadence and the action a breach triggers', () => {
    for (const k of KPI_DICTIONARY) {
      expect(k.formula.length).toBeGreaterThan(10);
      expect(k.dataSource.length).toBeGreaterThan(3);
      expect(k.breachAction.length).toBeGreaterThan(10);
    }
    expect(new Set(KPI_DICTIONARY.map((k) => k.code)).size).toBe(KPI_DICTIONARY.length);
  });

  it('February (closed, payroll imported): accuracy 1 of 5 error-free (N1 paid twice); 1 − 4149.50 / 49455.50 USD by amount; both breach', async () => {
    const r = await t.app.get(KpisService).compute('2026-02');
    expect([kpi(r, 'commission_accuracy_count').value, kpi(r, 'commission_accuracy_count').status]).toEqual(['20', 'breach']);
    // G1's 45.00 EUR and 8505.00 EUR at the demo's EUR->USD 1.1: errors 49.50 + 2100 + 2000, payouts 36000 + 9355.50 + 2100 + 2000
    expect(kpi(r, 'commission_accuracy_dollar')).toMatchObject({
      value: '91.60962885826652242925458240236171912123',
      status: 'breach',
      note: 'Σ error 4149.50 of 49455.50 in USD at rates of 2026-02-28',
    });
    expect(kpi(r, 'commission_accuracy_count').breakdown).toContainEqual({ dimension: 'plan', key: 'am-2026', value: '0', status: 'breach' });
  });

  it('February attainment: A1 720,000 / 1,200,000 = 60%; N1 0 of a ramped quota; M1 70,000 / 100,000 (Q1) = 70%', async () => {
    const r = await t.app.get(KpisService).compute('2026-02');
    const a = kpi(r, 'quota_attainment');
    expect(a.breakdown.filter((b) => b.dimension === 'payee').map((b) => [b.key, b.value, b.status, b.detail?.reason])).toEqual([
      ['A1', '60.00', 'ok', undefined], // pace 59/365: needs 12.93%
      ['M1', '70.00', 'ok', undefined], // pace 59/90: needs 52.44%
      ['N1', '0.00', 'breach', undefined],
      // the manager has no quota of their own: listed as not applicable, never left out (and not in the mean)
      ['G1', null, 'no_data', 'n/a: no quota-based component covers this period'],
    ]);
    expect(a.value).toBe('43.33'); // (60 + 70 + 0) / 3
    expect(a.breakdown.find((b) => b.dimension === 'team')).toMatchObject({ key: 'G1', value: '43.33' });
  });

  it('earnings at risk V / (base + V): A1 52.17, G1 16.67, M1 23.73, N1 54.55; mean 36.78', async () => {
    const r = await t.app.get(KpisService).compute('2026-02');
    const e = kpi(r, 'earnings_at_risk');
    expect(e.breakdown.map((b) => [b.key, b.value])).toEqual([
      ['A1', '52.17'],
      ['G1', '16.67'],
      ['M1', '23.73'],
      ['N1', '54.55'],
    ]);
    expect([e.value, e.status]).toEqual(['36.78', 'ok']);
  });

  it('average deal size in February: (600,000 + 30,000) / 2', async () => {
    const r = await t.app.get(KpisService).compute('2026-02');
    expect(kpi(r, 'average_deal_size').value).toBe('315000.00');
    expect(kpi(r, 'win_rate').status).toBe('no_data');
  });

  it('ramp time: N1 (hired 16 Feb) books a full month of quota (100,000) in March, tenure month 2', async () => {
    const r = await t.app.get(KpisService).compute('2026-03');
    expect(kpi(r, 'average_ramp_time')).toMatchObject({ value: '2.00', status: 'ok' });
    expect(kpi(r, 'commission_accuracy_count')).toMatchObject({ value: null, status: 'no_data' }); // March is not closed
  });

  it('quota-to-capacity: G1\'s 3,000,000 EUR team quota (3,750,000 USD at the demo\'s 1.25 of 2026-03-01) over 1,200,000 + 936,607.14 (N1 ramped) + 400,000 USD = 1.4784, a breach', async () => {
    await imp('assignments', 'assignments.csv', fs.readFileSync('demo/assignments.csv', 'utf8').replace('G1,mgr-2026,2026-01-01,2026-12-31,0,', 'G1,mgr-2026,2026-01-01,2026-12-31,3000000,'));
    const r = await t.app.get(KpisService).compute('2026-03');
    expect(kpi(r, 'quota_to_capacity')).toMatchObject({ value: '1.4784', status: 'breach' });
    expect(kpi(r, 'quota_to_capacity').breakdown[0].detail).toEqual({
      teamQuota: '3750000.00',
      rampAdjustedCapacity: '2536607.14',
      currency: 'USD',
      converted: 'in USD at rates of 2026-03-31',
      reports: 3,
    });
  });

  it('dispute KPIs: 2 disputes on 4 February statements = 50 per 100 (a breach); 1 upheld of 1 resolved', async () => {
    const disputes = t.app.get(DisputesService);
    const a = await disputes.raise(actor, { repId: 'A1', period: '2026-02', targetKind: 'payout', reasonCode: 'missing_credit', text: 'deal C12 is missing' });
    await disputes.raise(actor, { repId: 'M1', period: '2026-02', targetKind: 'payout', reasonCode: 'wrong_rate', text: 'should be 5%' });
    await disputes.uphold(actor, a.id, { amount: '100.00', note: 'credit confirmed' });
    const r = await t.app.get(KpisService).compute('2026-02');
    expect(kpi(r, 'disputes_per_100_statements')).toMatchObject({ value: '50.00', status: 'breach' });
    expect(kpi(r, 'disputes_per_100_statements').breakdown.map((b) => [b.key, b.value])).toEqual([
      ['missing_credit', '25.00'],
      ['wrong_rate', '25.00'],
    ]);
    expect(kpi(r, 'dispute_upheld_share')).toMatchObject({ value: '100.00', status: 'breach' });
    expect(kpi(r, 'dispute_time_to_resolve_median').status).toBe('ok'); // resolved within seconds
  });
});
