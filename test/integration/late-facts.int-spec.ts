import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

const BOOKING_HEADER = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';

/**
 * Late facts for closed periods never touch them: they land in the first open period as linked adjustment lines.
 * Demo data with 2026-01 and 2026-02 closed, then a backdated booking LATE1 (A1, new, 50,000 USD, booked 2026-02-20)
 * and an amended B2 (600,000 → 660,000, booked 2026-02-10) arrive.
 *
 * Hand check (ae-2026: Q 1.2M, V 120k, marginal 5% to 600k, 10% to 1.2M; mgr-2026: 1.5% override in EUR at the
 * booked-date rate, 0.9 before March, 0.8 from March):
 * - February recalculated with the new facts: YTD 120k (B1) + 660k (B2) + 50k (LATE1) = 830k → 53,000; recorded 42,000.
 *   B2's share grows from 36,000 (480k × 5% + 120k × 10%) to 42,000 (480k × 5% + 180k × 10%): +6,000.00;
 *   LATE1 was recorded 0 and is worth 50k × 10% = 5,000.00. Both are prior-period adjustments for 2026-02.
 *   G1's override: B2 +60,000 × 0.9 × 1.5% = +810.00, LATE1 50,000 × 0.9 × 1.5% = +675.00.
 * - March: B1 is cancelled on 2026-03-20 (64 days, inside the 90-day window): −6,000 clawback, −500 SPIF clawback;
 *   without B1, 710k YTD pays 41,000, so B2 falls back to 36,000 (−6,000); R1 renewal 2% = +2,000.
 *   A1 earned = 11,000 − 6,000 − 6,000 + 2,000 − 500 = 500.00; earned to date 41,000 + 2,000 = 43,000.00.
 *   G1: 810 + 675 − 1,620 (B1) + 216 (MR2: 18,000 ACV × 0.8 × 1.5%) + 1,200 (N1A: 100,000 × 0.8 × 1.5%) = 1,281.00;
 *   earned to date 2,160 + 8,505 + 1,281 = 11,946.00.
 */
describe('late facts for closed periods', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string | Buffer) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.app.get(Db).query<T>(sql, params);
  const periods = () => t.app.get(PeriodsService);

  /** Every stored row of the closed periods (payouts, lines with traces, runs, periods rows), as text. */
  const closedRows = async (): Promise<string[]> =>
    (
      await q<{ r: string }>(
        `SELECT 'payout ' || row_to_json(p)::text AS r FROM payouts p WHERE p.period IN ('2026-01', '2026-02')
         UNION ALL SELECT 'line ' || row_to_json(l)::text FROM payout_lines l WHERE l.period IN ('2026-01', '2026-02')
         UNION ALL SELECT 'run ' || row_to_json(r)::text FROM calculation_runs r WHERE r.period IN ('2026-01', '2026-02')
         UNION ALL SELECT 'period ' || row_to_json(x)::text FROM periods x WHERE x.period IN ('2026-01', '2026-02')
         ORDER BY 1`,
      )
    ).map((r) => r.r);

  type Line = { kind: string; ref: string | null; bookingId: string | null; originPeriod: string | null; amount: string; trace: Record<string, unknown> };
  const lines = (period: string, repId: string) => t.app.get(CalculationService).lines(period, repId) as Promise<Line[]>;
  const payout = async (period: string, repId: string) => (await t.app.get(CalculationService).payouts(period, new Set([repId])))[0];
  const view = (ls: Line[]) => ls.map((l) => [l.kind, l.ref, l.bookingId, l.originPeriod, l.amount]);

  let before: string[];
  let closedHashes: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imp(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`));
    await periods().close('2026-01', actor);
    await periods().close('2026-02', actor);
    before = await closedRows();
    closedHashes = Object.fromEntries(
      await Promise.all(['2026-01', '2026-02'].map(async (p) => [p, (await periods().get(p)).resultHash as string] as const)),
    );
    expect(before.length).toBeGreaterThan(10);
  });
  afterAll(async () => t?.close());

  it('imports a backdated booking and an amended one for the closed February without touching it', async () => {
    expect(await imp('bookings', 'late.csv', `${BOOKING_HEADER}\nLATE1,A1,100,C9,new,CORE,50000,USD,12,2026-02-20,\nB2,A1,100,C2,expansion,CORE,660000,USD,12,2026-02-10,\n`)).toMatchObject({
      rows: 2,
      created: 1,
      changed: 1,
    });
    const versions = await q(`SELECT booking_id, version, amount::text AS amount, superseded_by IS NULL AS current FROM booking_versions WHERE booking_id IN ('B2', 'LATE1') ORDER BY booking_id, version`);
    expect(versions).toEqual([
      { booking_id: 'B2', version: 1, amount: '600000.000000', current: false },
      { booking_id: 'B2', version: 2, amount: '660000.000000', current: true },
      { booking_id: 'LATE1', version: 1, amount: '50000.000000', current: true },
    ]);
    expect(await closedRows()).toEqual(before);
  });

  it('the closed periods cannot be recalculated with the late facts, and still verify against their stored inputs', async () => {
    await expect(t.app.get(CalculationService).calculate('2026-02', actor)).rejects.toMatchObject({ code: 'PERIOD_LOCKED' });
    for (const p of ['2026-01', '2026-02']) {
      expect(await periods().verify(p)).toMatchObject({ period: p, matches: true, resultHash: closedHashes[p], storedResultHash: closedHashes[p] });
    }
    expect(await periods().firstOpenPeriod()).toBe('2026-03');
  });

  it('calculating 2026-03 pays the late facts as prior-period adjustments for 2026-02, naming the booking', async () => {
    const runs = await t.app.get(CalculationService).calculate('2026-03', actor);
    expect(runs.map((r) => r.period)).toEqual(['2026-03']); // nothing earlier is recalculated
    expect(await closedRows()).toEqual(before);

    const a1 = await lines('2026-03', 'A1');
    expect(view(a1)).toEqual([
      ['clawback', 'B1', 'B1', '2026-01', '-6000.00'],
      ['prior_period_adjustment', 'B2', 'B2', '2026-02', '6000.00'],
      ['commission', 'B2', 'B2', null, '-6000.00'],
      ['prior_period_adjustment', 'LATE1', 'LATE1', '2026-02', '5000.00'],
      ['commission', 'R1', 'R1', null, '2000.00'],
      ['clawback', 'B1', 'B1', '2026-01', '-500.00'],
    ]);
    expect(a1.find((l) => l.ref === 'B2' && l.kind === 'prior_period_adjustment')!.trace).toMatchObject({ cause: 'amended', recorded: '36000', recalculated: '42000' });
    expect(a1.find((l) => l.ref === 'LATE1')!.trace).toMatchObject({ cause: 'backdated', recorded: '0', recalculated: '5000' });
    expect(await payout('2026-03', 'A1')).toMatchObject({ earned: '500.00', earnedToDate: '43000.00', payout: '500.00', balance: '0.00' });

    const g1 = await lines('2026-03', 'G1');
    expect(view(g1.filter((l) => l.kind === 'prior_period_adjustment'))).toEqual([
      ['prior_period_adjustment', 'B2/A1', 'B2', '2026-02', '810.00'],
      ['prior_period_adjustment', 'LATE1/A1', 'LATE1', '2026-02', '675.00'],
    ]);
    // G1's override on the cancelled B1 goes back too: 120,000 × 0.9 × 1.5% = 1,620.00. (Its kind is not asserted: the
    // core labels it `override`, not `clawback`, because it asks the manager's plan, which has no clawback policy.)
    expect(g1.filter((l) => l.ref === 'B1/A1').map((l) => [l.bookingId, l.amount])).toEqual([['B1', '-1620.00']]);
    expect(await payout('2026-03', 'G1')).toMatchObject({ currency: 'EUR', earned: '1281.00', earnedToDate: '11946.00', payout: '1281.00' });
  });

  it('a cancellation of a January booking, imported after the close, is clawed back in the open period', async () => {
    // MR1 (M1, renewal 40,000, booked 2026-01-10) cancelled 2026-03-15: 64 days, inside am-2026's 90-day window.
    // Q1 credit falls from 88,000 (88% → 5%) to 48,000 (48%, below the 50% gate): everything recorded goes back.
    const m1Before = await payout('2026-03', 'M1');
    expect(m1Before).toMatchObject({ earned: '2300.00', payout: '2300.00' });
    await imp('bookings', 'cancel.csv', `${BOOKING_HEADER}\nMR1,M1,100,C5,renewal,CORE,40000,USD,12,2026-01-10,2026-03-15\n`);
    await t.app.get(CalculationService).calculate('2026-03', actor);
    expect(await closedRows()).toEqual(before);

    const m1 = await lines('2026-03', 'M1');
    expect(view(m1)).toEqual([
      ['commission', 'ME1', 'ME1', null, '-900.00'],
      ['clawback', 'MR1', 'MR1', '2026-01', '-1200.00'],
      ['negative_carried_forward', null, null, null, '2100.00'],
    ]);
    expect(m1.find((l) => l.kind === 'clawback')!.trace).toMatchObject({ bookingId: 'MR1', cancelledDate: '2026-03-15', windowAmountBefore: '1200', windowAmountNow: '0' });
    expect(await payout('2026-03', 'M1')).toMatchObject({ earned: '-2100.00', payout: '0.00', balance: '2100.00' });
    // and G1's override on it goes back: 40,000 × 0.9 × 1.5% = 540.00 (kind: see B1/A1 above)
    expect((await lines('2026-03', 'G1')).filter((l) => l.ref === 'MR1/M1').map((l) => [l.bookingId, l.amount])).toEqual([['MR1', '-540.00']]);

    for (const p of ['2026-01', '2026-02']) expect((await periods().verify(p)).matches).toBe(true);
  });
});
