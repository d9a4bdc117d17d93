import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { RunVerifier } from '../../src/calculation/run-verifier';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A year under test/fixtures/combo-plans/combo-2026.json, on the real store: earned on payment, a seasonal quota,
 * a 25% holdback through the 90-day window, quarterly tiers, a team pool, an MBO and activity pay, with payments,
 * objective results and activities imported as CSV. P1 and P2 (USD, Q 1,200,000, one team under M).
 *
 * Q1 quota 240,000 (20%), Q2 300,000. Holdbacks release 91 days after booking: K1 (15 Jan) on 16 Apr, K2 (1 Feb) on 3 May.
 * P1: Feb: PY1 (K1, 100,000 on 10 Feb) → 41.7% → 5% = 5,000, 25% held → 3,750; 2 meetings → 100. 3,850.
 *     Mar: K2 paid: team Q1 400,000 → pool 2% × 200,000 = 4,000, 2,000 each: K1/P1 500 and K2/P2 1,500, held → 1,500;
 *          MBO score 1 → 2,000. 3,500.
 *     Apr: K1 released: +1,250 (tiers) +125 (pool); PY3 (K1's other 100,000 on 20 Apr) in Q2: 33.3% → 5,000. 6,375.
 *     May: CN1 (60,000 on K2, 10 May) takes 20% of K2 back: team Q1 340,000 → pool 2,800, 1,400 each:
 *          K1/P1 1,400 × 100/340 = 411.76 (−88.24), K2/P2 1,400 × 240/340 = 988.24 (was 1,125 held: −136.76, a clawback). −225.
 *     Earned to date 13,500 = tiers 10,000 + pool 1,400 + MBO 2,000 + meetings 100.
 * P2: Mar: Q1 300,000 = 125% → 8% = 24,000, held → 18,000; pool 1,500; MBO score 0.5 → 1,000; 1 meeting 50. 20,550.
 *     Apr: K1's pool share released +125. May: K2 keeps 240,000 = exactly 100% → still 8%: 19,200, now settled (no
 *     longer held): +1,200; pool −225. 975. Earned to date 21,650.
 * Then March closes and P2's Q1 score is corrected to 0.75: April (the first open period) pays +500 for March.
 */
describe('a year of cash-earned team pay with a holdback, a seasonal quota, an MBO and activity pay', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, csv: string) => t.app.get(ImportsService).importFile(kind, `${kind}.csv`, Buffer.from(csv), actor);
  const calc = () => t.app.get(CalculationService);
  const row = async (period: string, repId: string) => (await calc().payouts(period, new Set([repId])))[0];
  const monthly = async (repId: string, months: string[]) => Promise.all(months.map(async (m) => [m, (await row(m, repId)).earned]));
  const lines = async (period: string, repId: string) =>
    (await calc().lines(period, repId)).map((l) => [l.kind, l.ref, l.amount, l.originPeriod]);
  const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

  beforeAll(async () => {
    t = await startTestApp({ plansDir: path.join(__dirname, '..', 'fixtures', 'combo-plans') });
    await imp('reps', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nM,Mo Lead,m@example.com,,Manager,2025-01-01,,USD\nP1,Pat One,p1@example.com,M,AE,2025-01-01,,USD\nP2,Pia Two,p2@example.com,M,AE,2025-01-01,,USD\n');
    await imp('assignments', 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nP1,combo-2026,2026-01-01,2026-12-31,1200000,120000,90000\nP2,combo-2026,2026-01-01,2026-12-31,1200000,120000,90000\n');
    await imp(
      'bookings',
      'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\nK1,P1,100,C1,new,CORE,200000,USD,12,2026-01-15,\nK2,P2,100,C2,new,CORE,300000,USD,12,2026-02-01,\n',
    );
  });
  afterAll(async () => t?.close());

  it('refuses bad payments, activities and objective results whole, naming line and column, and writes nothing', async () => {
    await expect(
      imp('payments', 'payment_id,booking_id,amount,currency,paid_date,kind\nPY1,K1,100000,USD,2026-02-10,payment\nPY9,NOPE,5,USD,2026-02-10,payment\nPY8,K2,5,EUR,2026-02-10,payment\nPY1,K1,1,USD,2026-02-11,gift\n'),
    ).rejects.toMatchObject({
      details: [
        { line: 5, column: 'payment_id', message: 'duplicate payment_id "PY1" (first on line 2)' },
        { line: 5, column: 'kind', message: '"gift" is not one of payment, credit_note, refund' },
      ],
    });
    await expect(imp('payments', 'payment_id,booking_id,amount,currency,paid_date,kind\nPY9,NOPE,5,USD,2026-02-10,payment\nPY8,K2,5,EUR,2026-02-10,payment\n')).rejects.toMatchObject({
      details: [
        { file: 'payments.csv', line: 2, column: 'booking_id', message: 'unknown booking "NOPE"' },
        { file: 'payments.csv', line: 3, column: 'currency', message: '"EUR" is not the currency of booking K2 (USD)' },
      ],
    });
    await expect(imp('objectives', 'rep_id,objective_id,window,score\nP1,pipeline,2026-Q5,1\nZZ,pipeline,2026-Q1,-1\n')).rejects.toMatchObject({
      details: [
        { line: 2, column: 'window', message: '"2026-Q5" is not a window: a year (2026), a quarter (2026-Q1) or a month (2026-03)' },
        { line: 3, column: 'rep_id', message: 'unknown rep "ZZ"' },
        { line: 3, column: 'score' },
      ],
    });
    await expect(imp('activities', 'activity_id,rep_id,kind,date,quantity\nA1,P1,meeting,2026-02-30,\n')).rejects.toMatchObject({ details: [{ line: 2, column: 'date' }] });
    const counts = await t.query<{ n: number }>(`SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM activities) + (SELECT count(*) FROM objective_results) AS n`);
    expect(Number(counts[0].n)).toBe(0);
  });

  it('imports the cash, the results and the activities, and re-importing the same files changes nothing', async () => {
    const payments = 'payment_id,booking_id,amount,currency,paid_date,kind\nPY1,K1,100000,USD,2026-02-10,payment\nPY2,K2,300000,USD,2026-03-15,payment\nPY3,K1,100000,USD,2026-04-20,payment\nCN1,K2,60000,USD,2026-05-10,credit_note\n';
    expect(await imp('payments', payments)).toMatchObject({ rows: 4, created: 4, changed: 0, unchanged: 0 });
    expect(await imp('payments', payments)).toMatchObject({ rows: 4, created: 0, changed: 0, unchanged: 4 });
    expect(await imp('objectives', 'rep_id,objective_id,window,score\nP1,pipeline,2026-Q1,1\nP2,pipeline,2026-Q1,0.5\n')).toMatchObject({ created: 2 });
    expect(await imp('activities', 'activity_id,rep_id,kind,date,quantity\nA1,P1,meeting,2026-02-03,2\nA2,P2,meeting,2026-03-09,\n')).toMatchObject({ created: 2 });
  });

  it('pays P1 month by month as cash comes in, the holdback releases, and the credit note takes back', async () => {
    await calc().calculate('2026-06', actor);
    expect(await monthly('P1', MONTHS)).toEqual([
      ['2026-01', '0.00'],
      ['2026-02', '3850.00'],
      ['2026-03', '3500.00'],
      ['2026-04', '6375.00'],
      ['2026-05', '-225.00'],
      ['2026-06', '0.00'],
    ]);
    expect((await row('2026-06', 'P1')).earnedToDate).toBe('13500.00');
    expect(await lines('2026-05', 'P1')).toEqual([
      ['commission', 'K1/P1', '-88.24', null],
      ['clawback', 'K2/P2', '-136.76', '2026-02'],
      ['negative_carried_forward', null, '225.00', null],
    ]);
  });

  it('pays P2 the tier reached at exactly 100% after the credit note, settled and no longer held', async () => {
    expect(await monthly('P2', MONTHS)).toEqual([
      ['2026-01', '0.00'],
      ['2026-02', '0.00'],
      ['2026-03', '20550.00'],
      ['2026-04', '125.00'],
      ['2026-05', '975.00'],
      ['2026-06', '0.00'],
    ]);
    expect((await row('2026-06', 'P2')).earnedToDate).toBe('21650.00');
    const [tiers] = (await calc().lines('2026-05', 'P2')) as unknown as { ref: string; amount: string; description: string; trace: Record<string, unknown> }[];
    expect([tiers.ref, tiers.amount]).toEqual(['K2', '1200.00']);
  });

  it('closes Q1; a corrected objective result reaches March as an adjustment in April, and the runs verify', async () => {
    for (const p of ['2026-01', '2026-02', '2026-03']) await t.app.get(PeriodsService).close(p, actor);
    expect(await imp('objectives', 'rep_id,objective_id,window,score\nP2,pipeline,2026-Q1,0.75\n')).toMatchObject({ created: 0, changed: 1 });
    // the first open period takes the late fact; the later ones go stale and follow
    const runs = [...(await calc().calculate('2026-04', actor)), ...(await calc().calculate('2026-12', actor))];
    expect(runs.map((r) => r.period)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect((await lines('2026-04', 'P2')).filter(([kind]) => kind === 'prior_period_adjustment')).toEqual([['prior_period_adjustment', 'objective:pipeline', '500.00', '2026-03']]);
    // nothing more is earned in the second half: the year ends at 13,500 and 22,150
    expect(await monthly('P2', ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'])).toEqual(['07', '08', '09', '10', '11', '12'].map((m) => [`2026-${m}`, '0.00']));
    expect((await row('2026-12', 'P1')).earnedToDate).toBe('13500.00');
    expect((await row('2026-12', 'P2')).earnedToDate).toBe('22150.00');
    for (const r of runs) {
      const v = await t.app.get(RunVerifier).recalculateRun(r.runId);
      expect(v.resultHash).toBe(v.storedResultHash);
    }
  });
});
