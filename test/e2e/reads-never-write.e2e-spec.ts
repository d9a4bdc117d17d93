import { importDemo, startTestApp, TestApp } from '../support/test-app';

/**
 * Reads never write (issue 14, finding 11). A period goes stale when an earlier one changes; a rep, a manager or an
 * auditor reading it is served the last calculation, flagged stale with the time it was made, and no run or audit
 * event is written in their name. Finance reading it gets it recalculated first, as before.
 */
describe('reads never write', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const counts = async () => {
    const [row] = await t.query<{ runs: string; events: string }>(`SELECT (SELECT count(*) FROM calculation_runs)::text AS runs, (SELECT count(*) FROM audit_events)::text AS events`);
    return row;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await importDemo(t.app);
    token.finance = await t.tokenFor('finance');
    token.auditor = await t.tokenFor('auditor');
    token.rep = await t.tokenFor('rep', 'A1');
    token.manager = await t.tokenFor('manager', 'G1');
    const as = (role: string) => ({ Authorization: `Bearer ${token[role]}` });
    await t.http().post('/periods/2026-02/calculate').set(as('finance')).expect(200);
    // A change to January makes January and February stale.
    await t.http().post('/periods/2026-01/adjustments').set(as('finance')).send({ repId: 'A1', amount: '100.00', reasonCode: 'correction', note: 'stale maker' }).expect(201);
  });
  afterAll(async () => t?.close());

  const get = (role: string, path: string) => t.http().get(path).set('Authorization', `Bearer ${token[role]}`);
  const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

  it('serves a stale period to readers who may not calculate as stale, with the time of its calculation, and writes nothing', async () => {
    const before = await counts();
    const payouts = await get('auditor', '/periods/2026-02/payouts').expect(200);
    expect(payouts.body.stale).toBe(true);
    expect(payouts.body.calculatedAt).toMatch(ISO_UTC);
    const lines = await get('rep', '/periods/2026-02/payouts/A1/lines').expect(200);
    expect(lines.body).toMatchObject({ stale: true, calculatedAt: payouts.body.calculatedAt });
    const statement = await get('rep', '/periods/2026-02/statements/A1').expect(200);
    expect(JSON.stringify(statement.body.header)).toContain(`DRAFT, OUT OF DATE (calculated ${payouts.body.calculatedAt}`);
    await get('rep', '/periods/2026-02/statements/A1/pdf').expect(200);
    const attainment = await get('manager', '/kpis/attainment?period=2026-02').expect(200);
    expect(attainment.body.stale).toBe(true);
    const kpis = await get('auditor', '/kpis?period=2026-02').expect(200);
    expect(kpis.body.stale).toBe(true);
    await get('rep', '/reps/A1/periods').expect(200);
    expect(await counts()).toEqual(before);
  });

  it('recalculates it first for finance, who may calculate, in their name', async () => {
    const before = await counts();
    const payouts = await get('finance', '/periods/2026-02/payouts').expect(200);
    expect(payouts.body).toMatchObject({ stale: false });
    const after = await counts();
    expect(Number(after.runs)).toBe(Number(before.runs) + 2); // January, then February
    const [event] = await t.query<{ actor: string }>(`SELECT actor FROM audit_events ORDER BY id DESC LIMIT 1`);
    expect(event.actor).toMatch(/\(automatic recalculation of a stale period\)$/);
    const fresh = await get('auditor', '/periods/2026-02/payouts').expect(200);
    expect(fresh.body.stale).toBe(false);
  });
});
