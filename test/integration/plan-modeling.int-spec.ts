import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { Decimal } from '../../src/core/money/decimal';
import { ModelReport } from '../../src/core/plans/plan-model';
import { seedDemo } from '../../src/demo/demo-seed';
import { importDemo, startTestApp, TestApp } from '../support/test-app';

/** ae-2026 with the first tier (below 50% attainment) paying 0.6 × the base rate instead of 0.5. */
function draftPlan(version = 2): Record<string, unknown> {
  const plan = JSON.parse(fs.readFileSync('plans/ae-2026.json', 'utf8')) as { version: number; components: { tiers?: { rate: string }[] }[] };
  plan.components[0].tiers![0].rate = '0.6';
  plan.version = version;
  return plan as unknown as Record<string, unknown>;
}

/**
 * A draft plan run over a past range against the current plan, writing nothing; its figures equal, payee by payee,
 * the engine's on a copy of the data where the draft is the plan.
 */
describe('plan modeling', () => {
  let t: TestApp;
  let copy: TestApp;
  const plansCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-plans-'));

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.app, () => undefined);
    for (const f of fs.readdirSync('plans').filter((x) => x.endsWith('.json'))) fs.copyFileSync(path.join('plans', f), path.join(plansCopy, f));
    fs.mkdirSync(path.join(plansCopy, 'schema'));
    fs.copyFileSync('plans/schema/plan.schema.json', path.join(plansCopy, 'schema', 'plan.schema.json'));
    fs.writeFileSync(path.join(plansCopy, 'ae-2026.json'), JSON.stringify(draftPlan(1), null, 2));
  });
  afterAll(async () => {
    await t?.close();
    await copy?.close();
    fs.rmSync(plansCopy, { recursive: true, force: true });
  });

  it('reports per payee and in total what the draft would have paid (hand-checked), writing nothing', async () => {
    const finance = await t.tokenFor('finance');
    const before = await t.query<{ n: number }>(`SELECT (SELECT count(*) FROM calculation_runs)::int + (SELECT count(*) FROM audit_events)::int AS n`);
    const res = await t.http().post('/plans/ae-2026/model').set('Authorization', `Bearer ${finance}`).send({ plan: draftPlan(), from: '2026-01', to: '2026-03' });
    expect(res.status).toBe(200);
    const m = res.body as ModelReport;
    expect(await t.query(`SELECT (SELECT count(*) FROM calculation_runs)::int + (SELECT count(*) FROM audit_events)::int AS n`)).toEqual(before);
    // A1: 600,000 quota credit (50% of 1,200,000): the first band pays 0.06 instead of 0.05 of it, +6,000.00.
    // N1: 100,000 credit, all in the first band: +1,000.00. Current payouts: A1 6,500 + 36,000 + 0; N1 2,000 (draw) + 3,000.
    expect(m.payees.map((p) => [p.repId, p.attainmentPct, p.current.payout, p.draft.payout, p.change, p.changePct])).toEqual([
      ['A1', '50.00', '42500.00', '48500.00', '6000.00', '14.12'],
      ['N1', '10.68', '5000.00', '6000.00', '1000.00', '20.00'],
    ]);
    expect(m.totals).toEqual({ current: '47500.00', draft: '54500.00', change: '7000.00', changePct: '14.74', costOfSalesPct: { current: '6.79', draft: '7.79' } });
    expect(m.converted).toBe('in USD at rates of 2026-03-31');
    expect(m.distribution).toEqual([
      { bucket: 'down more than 10%', payees: 0 },
      { bucket: 'down up to 10%', payees: 0 },
      { bucket: 'unchanged', payees: 0 },
      { bucket: 'up up to 10%', payees: 0 },
      { bucket: 'up more than 10%', payees: 2 },
    ]);
    expect(m.attainmentBands.map((b) => [b.band, b.payees, b.current, b.draft])).toEqual([
      ['below 50%', 1, '5000.00', '6000.00'],
      ['50% to 100%', 1, '42500.00', '48500.00'],
      ['100% to 150%', 0, '0.00', '0.00'],
      ['150% and above', 0, '0.00', '0.00'],
    ]);
    expect(m.gainers.map((p) => p.repId)).toEqual(['A1', 'N1']);
    expect(m.losers).toEqual([]);
  });

  it("runs the current version too when a period of the range has no fresh run, with the calculation's figures", async () => {
    const finance = await t.tokenFor('finance');
    // April has never been calculated: the current version's figures come from the engine, not from stored runs
    const m = (await t.http().post('/plans/ae-2026/model').set('Authorization', `Bearer ${finance}`).send({ plan: draftPlan(), from: '2026-03', to: '2026-04' }).expect(200)).body as ModelReport;
    await t.app.get(CalculationService).calculate('2026-04', cliActor());
    const stored = await t.query<{ rep_id: string; payout: string }>(
      `SELECT p.rep_id, sum(p.payout)::text AS payout FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND r.period BETWEEN '2026-03' AND '2026-04' AND p.rep_id IN ('A1', 'N1') GROUP BY p.rep_id ORDER BY p.rep_id`,
    );
    expect(stored.map((c) => [c.rep_id, cents(c.payout)])).toEqual(m.payees.map((p) => [p.repId, p.current.payout]));
  });

  it('refuses a draft that is not valid, or not of the plan, naming the JSON path; finance only', async () => {
    const finance = await t.tokenFor('finance');
    const bad = draftPlan();
    (bad.components as { tiers?: { rate: string }[] }[])[0].tiers![1].rate = 'lots';
    const r1 = await t.http().post('/plans/ae-2026/model').set('Authorization', `Bearer ${finance}`).send({ plan: bad, from: '2026-01', to: '2026-03' });
    expect(r1.status).toBe(422);
    expect(JSON.stringify(r1.body)).toContain('components[0].tiers[1].rate');
    const r2 = await t.http().post('/plans/am-2026/model').set('Authorization', `Bearer ${finance}`).send({ plan: draftPlan(), from: '2026-01', to: '2026-03' });
    expect(r2.status).toBe(400);
    expect(r2.body.message).toBe('the draft is plan "ae-2026", not "am-2026": a model compares versions of one plan');
    const rep = await t.tokenFor('rep', 'A1');
    expect((await t.http().post('/plans/ae-2026/model').set('Authorization', `Bearer ${rep}`).send({ plan: draftPlan(), from: '2026-01', to: '2026-03' })).status).toBe(403);
  });

  it("equals, payee by payee, the engine's figures on a copy of the data where the draft is the plan", async () => {
    const finance = await t.tokenFor('finance');
    const m = (await t.http().post('/plans/ae-2026/model').set('Authorization', `Bearer ${finance}`).send({ plan: draftPlan(), from: '2026-01', to: '2026-03' }).expect(200)).body as ModelReport;
    // the model's current figures are the demo's stored ones
    const current = await t.query<{ rep_id: string; payout: string }>(
      `SELECT p.rep_id, sum(p.payout)::text AS payout FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND r.period BETWEEN '2026-01' AND '2026-03' AND p.rep_id IN ('A1', 'N1') GROUP BY p.rep_id ORDER BY p.rep_id`,
    );
    expect(current.map((c) => [c.rep_id, cents(c.payout)])).toEqual(m.payees.map((p) => [p.repId, p.current.payout]));
    // one embedded store at a time in a process: the demo's closes before the copy opens
    await t.close();
    t = undefined as unknown as TestApp;
    copy = await startTestApp({ plansDir: plansCopy });
    await importDemo(copy.app);
    await copy.app.get(CalculationService).calculate('2026-03', cliActor());
    const stored = await copy.query<{ rep_id: string; earned: string; payout: string }>(
      `SELECT p.rep_id, sum(p.earned)::text AS earned, sum(p.payout)::text AS payout FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.superseded_by IS NULL AND r.period BETWEEN '2026-01' AND '2026-03' AND p.rep_id IN ('A1', 'N1') GROUP BY p.rep_id ORDER BY p.rep_id`,
    );
    expect(stored.map((s) => [s.rep_id, cents(s.earned), cents(s.payout)])).toEqual(m.payees.map((p) => [p.repId, p.draft.earned, p.draft.payout]));
  });
});

/** A numeric sum as the model writes it: "42500.000000" -> "42500.00" (payouts are whole cents). */
const cents = (v: string): string => new Decimal(v).toFixed(2);
