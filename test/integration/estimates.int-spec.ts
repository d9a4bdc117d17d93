import * as fs from 'node:fs';
import { Actor, cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { CommissionError } from '../../src/core/errors/commission-error';
import { IntakeKind } from '../../src/core/intake/intake';
import { DashboardService } from '../../src/estimates/dashboard.service';
import { EstimatesService, EstimateView } from '../../src/estimates/estimates.service';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

const BOOKING_HEADER = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';

/**
 * The what-if estimator on the demo data with January and February closed (March is the open period).
 *
 * Hand check (ae-2026: Q 1.2M, V 120k, marginal 5% of credit to 600k, 10% to 1.2M, year-to-date; mgr-2026: 1.5%
 * override in EUR at the booked date's rate, 0.8 from March):
 * - A1's March today: B1 (ACV 120k) is cancelled on 2026-03-20, inside the 90-day window: −6,000 clawback and −500
 *   SPIF clawback; without B1 the 600k of B2 pays 30,000, so B2 falls from 36,000 to 30,000 (−6,000); the renewal R1
 *   pays 2% of 100k = 2,000. Earned −10,500.00.
 * - What if A1 also books W1, 50,000 USD of CORE, new, 12 months, on 2026-03-10: year-to-date credit 650k, so W1 fills
 *   600k..650k at 10% = 5,000.00. Earned −5,500.00.
 * - G1 (A1's manager) with the same deal: 50,000 × 0.8 × 1.5% = 600.00 EUR more.
 * - What if R1 (the renewal, booked 2026-03-05) is cancelled on 2026-03-25: its 2,000 goes. Earned −12,500.00.
 */
describe('the what-if estimator', () => {
  let t: TestApp;
  const admin = cliActor();
  const ada: Actor = { userId: null, role: 'rep', repId: 'A1', label: 'rep:A1' };
  const imp = (kind: IntakeKind, name: string, csv: string | Buffer) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), admin);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.app.get(Db).query<T>(sql, params);
  const estimates = () => t.app.get(EstimatesService);
  const W1 = { bookingId: 'W1', customerId: 'C9', amount: '50000', currency: 'USD', type: 'new', product: 'CORE', termMonths: 12, bookedDate: '2026-03-10' };
  const march = (v: EstimateView) => v.periods.find((p) => p.period === '2026-03')!;
  /** Row counts of every table an estimate could write to. */
  const counts = async () =>
    (
      await q<{ t: string; n: string }>(
        `SELECT 'runs' AS t, count(*)::text AS n FROM calculation_runs UNION ALL SELECT 'payouts', count(*)::text FROM payouts
         UNION ALL SELECT 'lines', count(*)::text FROM payout_lines UNION ALL SELECT 'bookings', count(*)::text FROM booking_versions
         UNION ALL SELECT 'periods', count(*)::text FROM periods UNION ALL SELECT 'audit', count(*)::text FROM audit_events ORDER BY 1`,
      )
    ).map((r) => `${r.t}=${r.n}`);

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imp(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`));
    await t.app.get(PeriodsService).close('2026-01', admin);
    await t.app.get(PeriodsService).close('2026-02', admin);
  });
  afterAll(async () => t?.close());

  it("shows today's figures for the open period and what a hypothetical deal adds, writing only one audit event", async () => {
    const before = await counts();
    const v = await estimates().estimate(ada, { deals: [W1] });
    expect(v.openPeriod).toBe('2026-03');
    expect(v.periods.map((p) => [p.period, p.basis])).toEqual([
      ['2026-01', 'closed'],
      ['2026-02', 'closed'],
      ...['03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => [`2026-${m}`, 'estimate']),
    ]);
    const m = march(v);
    expect(m.today.earned).toBe('-10500.00');
    expect(m.withWhatIf.earned).toBe('-5500.00');
    expect(m.difference).toEqual({ earned: '5000.00', payout: '0.00' });
    // the deal's own line, in the engine's words, and the smaller amount owed carried forward (10,500 → 5,500)
    const changed = m.lines.filter((l) => l.changed);
    expect(changed.map((l) => [l.kind, l.bookingId, l.amount, l.hypothetical])).toEqual([
      ['commission', 'W1', '5000.00', true],
      ['negative_carried_forward', null, '5500.00', false],
    ]);
    expect(changed[0].explanation).toContain('10%');
    // a line another booking moved says so in its description, and how in its explanation
    const b2 = m.lines.find((l) => l.bookingId === 'B2')!;
    expect([b2.description, b2.amount]).toEqual(['Quota commission (marginal tiers, YTD): booking B2 (moved: booking B1 cancelled; booking W1 added)', '-6000.00']);
    expect(b2.explanation).toContain('was tier 1 (below 50%): 480,000.00 USD at 5%, tier 2 (50-100%): 120,000.00 USD at 10%, now tier 1 (below 50%): 600,000.00 USD at 5%');
    // the year: earned 5,000 more; paid the same (March owes either way, and nothing later repays it)
    expect(v.year.difference).toEqual({ earned: '5000.00', payout: '0.00' });
    expect(await counts()).toEqual(before.map((c) => (c.startsWith('audit=') ? `audit=${Number(c.slice(6)) + 1}` : c)));
    const [event] = await q<{ action: string; actor: string; entity_id: string }>(`SELECT action, actor, entity_id FROM audit_events ORDER BY id DESC LIMIT 1`);
    expect(event).toEqual({ action: 'estimate.run', actor: 'rep:A1', entity_id: 'A1' });
  });

  it("shows a manager the override a report's deal would add", async () => {
    const g1: Actor = { userId: null, role: 'manager', repId: 'G1', label: 'manager:G1' };
    const v = await estimates().estimate(g1, { deals: [{ ...W1, credits: [{ repId: 'A1', splitPct: '100' }] }] });
    expect(v.currency).toBe('EUR');
    expect(march(v).difference.earned).toBe('600.00');
    expect(march(v).lines.filter((l) => l.changed).map((l) => [l.kind, l.amount, l.currency])).toEqual([['override', '600.00', 'EUR']]);
  });

  it('simulates a cancellation of an imported booking', async () => {
    const v = await estimates().estimate(ada, { cancellations: [{ bookingId: 'R1', cancelledDate: '2026-03-25' }] });
    expect(march(v).withWhatIf.earned).toBe('-12500.00');
    expect(march(v).difference.earned).toBe('-2000.00');
    // R1's renewal line goes; nothing replaces it
    expect(march(v).removed.map((l) => [l.kind, l.bookingId, l.amount, l.changed])).toEqual([['commission', 'R1', '2000.00', true]]);
  });

  it('names the JSON path of every problem and estimates nothing', async () => {
    const problems = async (req: Parameters<EstimatesService['estimate']>[1]) => {
      try {
        await estimates().estimate(ada, req);
      } catch (e) {
        return ((e as CommissionError).details as { problems: string[] }).problems;
      }
      throw new Error('no error');
    };
    expect(await problems({ deals: [{ ...W1, amount: 50000 }] })).toEqual([
      'deals[0].amount: must be a string; amounts, rates and percentages are decimal strings (for example "120000.00"), so that no binary number rounds them',
    ]);
    expect(await problems({ deals: [{ ...W1, bookingId: 'B2' }, { ...W1, bookingId: 'W2', currency: 'usd', bookedDate: '2026-02-30' }] })).toEqual([
      'deals[0].bookingId: "B2" is an imported booking; a hypothetical deal needs a new id (to simulate that booking\'s cancellation, list it in cancellations)',
    ]);
    const p = await problems({ deals: [{ ...W1, currency: 'usd', bookedDate: '2026-02-30', colour: 'red' }] });
    expect(p).toEqual(['deals[0].colour: is not a deal field (fields: amount, bookedDate, bookingId, cancelledDate, credits, currency, customerId, product, renewsBookingId, splitPct, taxRate, termMonths, type)']);
    const q2 = await problems({ deals: [{ ...W1, currency: 'usd', bookedDate: '2026-02-30' }] });
    expect(q2.map((s) => s.split(':')[0])).toEqual(['deals[0].currency', 'deals[0].bookedDate']);
    expect(await problems({ cancellations: [{ bookingId: 'N1A', cancelledDate: '2026-03-25' }] })).toEqual([
      'cancellations[0].bookingId: "N1A" is not a booking this payee\'s results read',
    ]);
  });

  it("shows a rep where they stand: attainment and pace, the next tier, earnings against target, computed vs paid", async () => {
    const d = await t.app.get(DashboardService).forActor(ada, new Date('2026-12-02T10:00:00Z'));
    expect(d.openPeriod).toBe('2026-03');
    expect(d.asOf).toBe('2026-03-31');
    // year window, quota 1.2M; credit today is B2's 600k (B1 is cancelled): 50%, tier "50-100%" (1.0 x base rate);
    // the accelerator starts at 100% = 1,200,000, 600,000 more; a steady pace is at 90 of 365 days = 24.66%
    expect(d.standing).toEqual({
      component: 'Quota commission (marginal tiers, YTD)',
      window: '2026',
      windowStart: '2026-01-01',
      windowEnd: '2026-12-31',
      currency: 'USD',
      quota: '1200000.00',
      credit: '600000.00',
      attainmentPct: '50.00',
      pacePct: '24.66',
      tier: { label: '50-100%', rate: '1.0 × base rate' },
      next: { label: 'accelerator 100-150%', fromPct: '100.00', atCredit: '1200000.00', needed: '600000.00' },
    });
    // January 6,500 (B1 6,000 + SPIF 500), February 36,000 (B2), March today -10,500: 32,000 of 120,000 = 26.67%
    expect(d.months.map((m) => [m.period, m.basis, m.earned, m.computedPayout])).toEqual([
      ['2026-01', 'closed', '6500.00', '6500.00'],
      ['2026-02', 'closed', '36000.00', '36000.00'],
      ['2026-03', 'estimate', '-10500.00', '0.00'],
    ]);
    expect(d.earnings).toEqual({ earnedToDate: '32000.00', targetVariable: '120000.00', proratedTargetVariable: '120000.00', ote: '230000.00', pctOfTarget: '26.67' });
    expect(d.computedYtd).toBe('42500.00');
    expect(d.paidByPayrollYtd).toEqual([]); // no payroll imported: nothing is shown as paid
    expect(d.owedBack).toBe('10500.00'); // March's negative earnings, recovered from later months
    expect(d.lastStatement).toEqual({ period: '2026-02', status: 'final' });
    expect(d.team).toBeUndefined();
  });

  it("shows a manager each report's standing and the team's attainment", async () => {
    const g1: Actor = { userId: null, role: 'manager', repId: 'G1', label: 'manager:G1' };
    const d = await t.app.get(DashboardService).forActor(g1, new Date('2026-12-02T10:00:00Z'));
    expect(d.team!.reports.map((r) => r.repId)).toEqual(['A1', 'M1', 'N1']);
    expect(d.team!.attainment.map((a) => a.currency)).toEqual(['USD']);
  });

  it('pays, once the deal is imported and March calculated, exactly what the estimate said', async () => {
    const v = await estimates().estimate(ada, { deals: [W1] });
    await imp('bookings', 'w1.csv', `${BOOKING_HEADER}\nW1,A1,100,C9,new,CORE,50000,USD,12,2026-03-10,\n`);
    await t.app.get(CalculationService).calculate('2026-03', admin);
    const [paid] = await t.app.get(CalculationService).payouts('2026-03', new Set(['A1']));
    const lines = await t.app.get(CalculationService).lines('2026-03', 'A1');
    expect({ earned: paid.earned, payout: paid.payout, balance: paid.balance, draw: paid.draw }).toEqual(march(v).withWhatIf);
    expect(lines.map((l) => [l.kind, l.ref, l.amount, l.description])).toEqual(march(v).lines.map((l) => [l.kind, l.ref, l.amount, l.description]));
    expect(paid.earned).toBe('-5500.00');
    // and the estimate now finds nothing to add: today's figures are the calculated ones
    const after = await estimates().estimate(ada, {});
    expect(march(after).today).toEqual(march(v).withWhatIf);
  });
});
