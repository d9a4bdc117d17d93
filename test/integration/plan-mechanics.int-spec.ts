import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { RunVerifier } from '../../src/calculation/run-verifier';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { StatementsService } from '../../src/statements/statements.service';
import { pdfText } from '../support/pdf-text';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A year under test/fixtures/plans/mix-2026.json, through the service on the real store (embedded and PostgreSQL):
 * a quarterly payout curve on a seasonal quota, a clawback schedule with a 20% holdback, and a declining draw with
 * deferred recovery. Every figure below is worked by hand.
 *
 * R1 (USD, hired 2025, Q 1,200,000, V 120,000): quarter quotas 240,000 / 300,000 / 300,000 / 360,000 (20/25/25/30%);
 * quarter target V × 3/12 = 30,000. Curve: 20% at 50%, 100% at 100%, 150% at 150%, linear.
 * - Jan: B1 180,000 (20 Jan) → 75% → 20 + 80 × 0.25/0.5 = 60% → 18,000; 20% held → paid 14,400.
 * - Feb: B2 60,000 (10 Feb) → 240,000 = 100% → 30,000: B1 22,500 (held → 18,000, +3,600), B2 7,500 (held → 6,000).
 * - May: B2 cancelled 1 May, 80 days after booking → 50% back: Q1 credit 180,000 + 30,000 = 210,000 → 87.5% →
 *   20 + 80 × 0.375/0.5 = 80% → 24,000. B2 (settled by its clawback) 24,000 × 30/210 = 3,428.571… → clawback −2,571.43;
 *   B1's holdback is released on 21 May (20 Jan + 121 days): 24,000 × 180/210 = 20,571.428… → +2,571.43. Earned 0.00.
 * R2 (USD, hired 16 Feb 2026, Q 600,000, V 60,000): draw 2,000 in tenure month 1 (Feb), 1,000 in month 2 (Mar),
 * recovery from month 4 (May).
 * - Feb: 2,000 draw, balance 2,000 · Mar: 1,000, balance 3,000 (no recovery yet).
 * - Apr (month 3): C1 150,000 (15 Apr) = Q2 quota 150,000 → 100% → Q2 target 15,000, 20% held → paid 12,000; the
 *   balance stays 3,000 (recovery deferred).
 * - May (month 4): recovery starts: x = 0 − 3,000 → paid 0, balance 3,000.
 * - Aug: C1's 3,000 is released on 14 Aug (15 Apr + 121 days): x = 3,000 − 3,000 = 0 → paid 0, balance 0.
 */
describe('plan mechanics through a year on the store', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, csv: string) => t.app.get(ImportsService).importFile(kind, `${kind}.csv`, Buffer.from(csv), actor);
  const calc = () => t.app.get(CalculationService);
  type Line = { kind: string; ref: string | null; amount: string; trace: Record<string, unknown>; description: string };
  const lines = async (period: string, repId: string) => ((await calc().lines(period, repId)) as unknown as Line[]).map((l) => [l.kind, l.ref, l.amount]);
  const money = async (period: string, repId: string) => {
    const p = (await calc().payouts(period, new Set([repId])))[0] as unknown as { earned: string; payout: string; balance: string };
    return [p.earned, p.payout, p.balance];
  };

  beforeAll(async () => {
    t = await startTestApp({ plansDir: path.join(__dirname, '..', 'fixtures', 'plans') });
    await imp('reps', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nR1,Rita One,r1@example.com,,AE,2025-06-01,,USD\nR2,Ravi Two,r2@example.com,,AE,2026-02-16,,USD\n');
    await imp(
      'assignments',
      'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nR1,mix-2026,2026-01-01,2026-12-31,1200000,120000,100000\nR2,mix-2026,2026-02-16,2026-12-31,600000,60000,80000\n',
    );
    await imp(
      'bookings',
      'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\n' +
        'B1,R1,100,C1,new,CORE,180000,USD,12,2026-01-20,\nB2,R1,100,C2,new,CORE,60000,USD,12,2026-02-10,2026-05-01\nC1,R2,100,C3,new,CORE,150000,USD,12,2026-04-15,\n',
    );
    await calc().calculate('2026-12', actor);
  });
  afterAll(async () => t?.close());

  it('R1: the curve on the seasonal Q1 quota, the holdback, and the 50% clawback that meets the release in May', async () => {
    expect(await lines('2026-01', 'R1')).toEqual([['commission', 'B1', '14400.00']]);
    expect(await lines('2026-02', 'R1')).toEqual([
      ['commission', 'B1', '3600.00'],
      ['commission', 'B2', '6000.00'],
    ]);
    for (const m of ['2026-03', '2026-04']) expect(await lines(m, 'R1')).toEqual([]);
    expect(await lines('2026-05', 'R1')).toEqual([
      ['commission', 'B1', '2571.43'],
      ['clawback', 'B2', '-2571.43'],
    ]);
    expect(await money('2026-05', 'R1')).toEqual(['0.00', '0.00', '0.00']);
    const may = (await calc().lines('2026-05', 'R1')) as unknown as Line[];
    expect(may[1].description).toBe('clawback: booking B2: booking cancelled 2026-05-01, 80 days after booking; 50% of its credit clawed back, 50% still counts (Quarterly payout curve)');
  });

  it('R2: the declining draw, recovery deferred to tenure month 4, and the holdback released in August', async () => {
    expect(await money('2026-02', 'R2')).toEqual(['0.00', '2000.00', '2000.00']);
    expect(await money('2026-03', 'R2')).toEqual(['0.00', '1000.00', '3000.00']);
    expect(await money('2026-04', 'R2')).toEqual(['12000.00', '12000.00', '3000.00']);
    expect(await money('2026-05', 'R2')).toEqual(['0.00', '0.00', '3000.00']);
    expect(await money('2026-07', 'R2')).toEqual(['0.00', '0.00', '3000.00']);
    expect(await lines('2026-08', 'R2')).toEqual([
      ['commission', 'C1', '3000.00'],
      ['balance_recovery', null, '-3000.00'],
    ]);
    expect(await money('2026-08', 'R2')).toEqual(['3000.00', '0.00', '0.00']);
  });

  it('closes the first quarter and the statement explains the curve, the seasonal quota and the holdback', async () => {
    for (const p of ['2026-01', '2026-02']) await t.app.get(PeriodsService).close(p, actor);
    const svc = t.app.get(StatementsService);
    const view = await svc.view('2026-02', 'R1');
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await svc.render(view, '2026-02', sink);
    const text = (await pdfText(Buffer.concat(chunks))).text.replace(/\s+/g, ' ');
    expect(text).toContain('FINAL');
    expect(text).toContain('the seasonal 6.6667% of the annual quota'); // 20% / 3 a month in Q1
    expect(text).toContain('window attainment 100% (240,000.00 USD of 240,000.00 USD), at point 2 (target)');
    expect(text).toContain('20% held back (4,500.00 USD) until 2026-05-21');
  });
});

/**
 * Team mechanics on the store, with one payee per shard (a team's members and managers are in different shards)
 * and an incremental recalculation after one booking changes. M manages A and B; A manages C.
 * February (hand check as in test/core/plan-mechanics.spec.ts): A 24,000 on the team rate (300,000 × 8%) + 1,500
 * pool share; B 20,000 + 1,500; C 5,000; M 5,500 (1% of the 550,000 direct team) + 3,250 (0.5% of 650,000, C
 * included). Then B1 grows to 350,000: the team's 650,000 gives A 24,000 still, B 28,000, the pool
 * 2% × 250,000 = 5,000 (2,500 each); M 7,000 on the direct team of 650,000 (1% of 600,000 + 2% of 50,000) and 3,750
 * on the tree (0.5% of 750,000).
 */
describe('team mechanics on the store, across shards, recalculated incrementally', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const calc = () => t.app.get(CalculationService);
  const earned = async (period: string) =>
    Object.fromEntries((await calc().payouts(period, null)).map((p) => [p.repId, p.earnedToDate]));
  const BOOKINGS = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
  // six payees of no team, so that three recalculated of ten is an incremental run (past a third it would be full)
  const OTHERS = ['X1', 'X2', 'X3', 'X4', 'X5', 'X6'];
  const zero = Object.fromEntries(OTHERS.map((id) => [id, '0.00']));

  beforeAll(async () => {
    t = await startTestApp({ plansDir: path.join(__dirname, '..', 'fixtures', 'team-plans'), calcShardSize: 1 });
    await imp(
      'reps',
      'reps.csv',
      'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nM,Mia Manager,m@example.com,,Manager,2025-01-01,,USD\nA,Ann Lead,a@example.com,M,AE,2025-01-01,,USD\nB,Bo Rep,b@example.com,M,AE,2025-01-01,,USD\nC,Cy Rep,c@example.com,A,AE,2025-01-01,,USD\n' +
        OTHERS.map((id) => `${id},Other ${id},${id.toLowerCase()}@example.com,,AE,2025-01-01,,USD\n`).join(''),
    );
    await imp(
      'assignments',
      'assignments.csv',
      'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nM,mgr-team-2026,2026-01-01,2026-12-31,0,30000,150000\n' +
        ['A', 'B', 'C', ...OTHERS].map((id) => `${id},rep-team-2026,2026-01-01,2026-12-31,1200000,120000,100000`).join('\n') +
        '\n',
    );
    await imp('bookings', 'bookings.csv', `${BOOKINGS}\nA1,A,100,K1,new,CORE,300000,USD,12,2026-01-10,\nB1,B,100,K2,new,CORE,250000,USD,12,2026-02-05,\nC1,C,100,K3,new,CORE,100000,USD,12,2026-02-20,\n`);
  });
  afterAll(async () => t?.close());

  it('pays the team rate, the pool, the gated team override and the tree override with every payee in its own shard', async () => {
    await calc().calculate('2026-02', actor);
    expect(await earned('2026-02')).toEqual({ A: '25500.00', B: '21500.00', C: '5000.00', M: '8750.00', ...zero });
  });

  it('after B1 grows, recalculates B, their team (A) and their managers up the tree (M) only, to the figures a full run gives', async () => {
    await imp('bookings', 'amend.csv', `${BOOKINGS}\nB1,B,100,K2,new,CORE,350000,USD,12,2026-02-05,\n`);
    const [feb] = await calc().calculate('2026-02', actor);
    expect(feb.recalculated).toBe(3); // A (team), B (own), M (manager); C's results are copied
    expect(await earned('2026-02')).toEqual({ A: '26500.00', B: '30500.00', C: '5000.00', M: '10750.00', ...zero });
    const v = await t.app.get(RunVerifier).recalculateRun(feb.runId);
    expect(v.resultHash).toBe(v.storedResultHash);
  });
});

/**
 * Booking shapes on the store: bookings.csv with the optional split_type and renews_booking_id columns.
 * - N1 (monthly contract: 5,000 for 1 month, annualised to 60,000): A's revenue split 100% → 6,000; S's overlay
 *   100% on top → 2% of 60,000 = 1,200 (and nothing toward S's quota).
 * - P0 (X1's, 2025, 240,000 over 24 months: 120,000 a year) is renewed by R1 (A, 12 months, 150,000): the uplift is
 *   30,000 → 5% = 1,500. When P0 is amended to 264,000 (132,000 a year) the uplift is 18,000 → 900, and the
 *   incremental recalculation picks A up because R1 renews P0.
 */
describe('overlay credits and renewal uplift on the store', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, csv: string) => t.app.get(ImportsService).importFile(kind, `${kind}.csv`, Buffer.from(csv), actor);
  const calc = () => t.app.get(CalculationService);
  const HEADER = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date,split_type,renews_booking_id';
  const view = async (repId: string) => (await calc().lines('2026-02', repId)).map((l) => [l.componentKey!.split(':')[1], l.ref, l.amount]);

  beforeAll(async () => {
    t = await startTestApp({ plansDir: path.join(__dirname, '..', 'fixtures', 'shape-plans') });
    await imp(
      'reps',
      'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nA,Ada,a@example.com,,AE,2025-01-01,,USD\nS,Sol Specialist,s@example.com,,SE,2025-01-01,,USD\n' +
        ['X1', 'X2', 'X3', 'X4'].map((id) => `${id},Other ${id},${id.toLowerCase()}@example.com,,AE,2025-01-01,,USD\n`).join(''),
    );
    await imp(
      'assignments',
      'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\n' +
        ['A', 'S', 'X1', 'X2', 'X3', 'X4'].map((id) => `${id},shape-2026,2026-01-01,2026-12-31,1200000,120000,100000`).join('\n') +
        '\n',
    );
    await imp(
      'bookings',
      `${HEADER}\nN1,A,100,K1,new,CORE,5000,USD,1,2026-02-03,,,\nN1,S,100,K1,new,CORE,5000,USD,1,2026-02-03,,overlay,\nP0,X1,100,K2,new,CORE,240000,USD,24,2025-02-01,,,\nR1,A,100,K2,renewal,CORE,150000,USD,12,2026-02-01,,,P0\n`,
    );
  });
  afterAll(async () => t?.close());

  it('pays the revenue split, the overlay on top and the renewal on its uplift', async () => {
    await calc().calculate('2026-02', actor);
    expect(await view('A')).toEqual([
      ['quota-10', 'N1', '6000.00'],
      ['uplift-5', 'R1', '1500.00'],
    ]);
    expect(await view('S')).toEqual([['overlay-2', 'N1', '1200.00']]);
  });

  it('amending the renewed contract moves the renewal, recalculated incrementally', async () => {
    await imp('bookings', `${HEADER}\nP0,X1,100,K2,new,CORE,264000,USD,24,2025-02-01,,,\n`);
    const [feb] = await calc().calculate('2026-02', actor);
    expect(feb.recalculated).toBe(2); // X1, credited on P0, and A, whose R1 renews it
    expect(await view('A')).toEqual([
      ['quota-10', 'N1', '6000.00'],
      ['uplift-5', 'R1', '900.00'],
    ]);
    const v = await t.app.get(RunVerifier).recalculateRun(feb.runId);
    expect(v.resultHash).toBe(v.storedResultHash);
  });
});

/**
 * Kickers, pace gates, deal counts, rate overrides, tax-inclusive amounts and prorated and termination clawbacks on
 * the store (test/fixtures/cross-plans/cross-2026.json). T1: Q 1,200,000 (a quarter of the year: 300,000).
 * - Jan: D1 (VAT product, 125,000 incl. 25% VAT: base 100,000) → 10% = 10,000; 1 deal → 100; the year is not on
 *   pace (100,000 < 31/365 × 1,200,000 = 101,917.81): no accelerator. 10,100.
 * - Feb: D2 (PLATFORM, 200,000) → the 12% override: 24,000; the year reaches exactly 300,000 = 25%: the kicker pays
 *   50% of Q1's 34,000 = 17,000 (D1 5,000, D2 12,000); 1 deal in February → 100; on pace (300,000 ≥ 193,972.60):
 *   2% of 300,000 = 6,000. 47,100.
 * - Jun: D2 cancelled 10 Jun, 4 of its 12 months served: 8/12 of its credit back (66,666.67 still counts). Q1's
 *   base falls to 10,000 + 8,000 (−16,000), the year to date at Q1's end is 166,666.67 (< 25%: kicker −17,000; not on
 *   pace: accelerator −6,000), February's deal counts 1/3 (33.33: −66.67). −39,066.67.
 * T2 (terminated 20 Mar): the year's quota counts only the days employed: 100,000 + 100,000 + 100,000 × 20/31 =
 * 264,516.13. D3 (25 Feb, 50,000) pays 5,000 + 100 in February, and the year is on pace (50,000 ≥ 59/365 of it,
 * 42,757.10): 2% = 1,000 (25% would be 66,129.03: no kicker). The termination 23 days later claws all of it back.
 */
describe('kickers, pace gates, counts, rate overrides, tax and clawback policies on the store', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, csv: string) => t.app.get(ImportsService).importFile(kind, `${kind}.csv`, Buffer.from(csv), actor);
  const calc = () => t.app.get(CalculationService);
  const earned = async (repId: string, months: string[]) =>
    Promise.all(months.map(async (m) => ((await calc().payouts(m, new Set([repId])))[0] as unknown as { earned: string }).earned));
  const lines = async (period: string, repId: string) =>
    (await calc().lines(period, repId))
      .filter((l) => l.componentKey)
      .map((l) => [l.kind, l.componentKey!.split(':')[1], l.ref, l.amount]);

  beforeAll(async () => {
    t = await startTestApp({ plansDir: path.join(__dirname, '..', 'fixtures', 'cross-plans') });
    await imp('reps', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nT1,Tia,t1@example.com,,AE,2025-01-01,,USD\nT2,Tom,t2@example.com,,AE,2025-01-01,2026-03-20,USD\n');
    await imp('assignments', 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nT1,cross-2026,2026-01-01,2026-12-31,1200000,120000,100000\nT2,cross-2026,2026-01-01,2026-12-31,1200000,120000,100000\n');
    await imp(
      'bookings',
      'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\n' +
        'D1,T1,100,K1,new,VAT,125000,USD,12,2026-01-10,\nD2,T1,100,K2,new,PLATFORM,200000,USD,12,2026-02-10,2026-06-10\nD3,T2,100,K3,new,CORE,50000,USD,12,2026-02-25,\n',
    );
    // T3's booking says its own tax: 110,000 with 10% is a base of 100,000 (its product, CORE, has no plan rate)
    await imp('reps', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nT3,Tess,t3@example.com,,AE,2025-01-01,,USD\n');
    await imp('assignments', 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nT3,cross-2026,2026-01-01,2026-12-31,1200000,120000,100000\n');
    await imp('bookings', 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date,tax_rate\nD5,T3,100,K5,new,CORE,110000,USD,12,2026-01-12,,0.1\n');
    await calc().calculate('2026-06', actor);
  });
  afterAll(async () => t?.close());

  it("T3: a booking's own tax rate comes out of its amount: 10% of 100,000 and one deal", async () => {
    expect(await earned('T3', ['2026-01'])).toEqual(['10100.00']);
  });

  it('T1: the override rate, the kicker at exactly 25%, the deal count and the pace gate, then a prorated clawback', async () => {
    expect(await earned('T1', ['2026-01', '2026-02', '2026-03', '2026-06'])).toEqual(['10100.00', '47100.00', '0.00', '-39066.67']);
    expect(await lines('2026-02', 'T1')).toEqual([
      ['commission', 'base', 'D2', '24000.00'],
      ['commission', 'kicker', 'D1', '5000.00'],
      ['commission', 'kicker', 'D2', '12000.00'],
      ['commission', 'deal-spif', 'D2', '100.00'],
      ['commission', 'accel', 'D1', '2000.00'],
      ['commission', 'accel', 'D2', '4000.00'],
    ]);
    expect(await lines('2026-06', 'T1')).toEqual([
      ['clawback', 'base', 'D2', '-16000.00'],
      ['commission', 'kicker', 'D1', '-5000.00'],
      ['clawback', 'kicker', 'D2', '-12000.00'],
      ['clawback', 'deal-spif', 'D2', '-66.67'],
      ['commission', 'accel', 'D1', '-2000.00'],
      ['clawback', 'accel', 'D2', '-4000.00'],
    ]);
  });

  it('T2: the termination claws back the booking of 23 days before', async () => {
    expect(await earned('T2', ['2026-02', '2026-03'])).toEqual(['6100.00', '-6100.00']);
    expect(await lines('2026-03', 'T2')).toEqual([
      ['clawback', 'base', 'D3', '-5000.00'],
      ['clawback', 'deal-spif', 'D3', '-100.00'],
      ['clawback', 'accel', 'D3', '-1000.00'],
    ]);
  });
});
