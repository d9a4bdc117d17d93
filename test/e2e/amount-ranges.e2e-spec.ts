import { importDemo, startTestApp, TestApp } from '../support/test-app';

/**
 * Amounts are range-checked where they enter (issue 14, finding 5): more than 18 digits before the point is a 400
 * naming the field, and a period holding the largest allowed adjustments still calculates and reads, for everyone.
 */
describe('amount ranges', () => {
  let t: TestApp;
  let finance: string;
  let rep: string;
  beforeAll(async () => {
    t = await startTestApp();
    await importDemo(t.app);
    finance = await t.tokenFor('finance');
    rep = await t.tokenFor('rep', 'M1');
  });
  afterAll(async () => t?.close());

  const adjust = (amount: string) =>
    t.http().post('/periods/2026-01/adjustments').set('Authorization', `Bearer ${finance}`).send({ repId: 'M1', amount, reasonCode: 'correction', note: 'range test' });

  it('a 31-digit amount is a 400 naming the field, and nothing is written', async () => {
    const res = await adjust('1234567890123456789012345678901');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/amount must be a decimal string of at most 18 digits before the point/);
    const list = await t.http().get('/periods/2026-01/adjustments').set('Authorization', `Bearer ${finance}`).expect(200);
    expect(list.body).toEqual([]);
  });

  it('eleven of the largest allowed adjustments: the period calculates, and every role reads it', async () => {
    for (let i = 0; i < 11; i++) await adjust('999999999999999999.99').expect(201);
    await t.http().post('/periods/2026-01/calculate').set('Authorization', `Bearer ${finance}`).expect(200);
    const payouts = await t.http().get('/periods/2026-01/payouts').set('Authorization', `Bearer ${finance}`).expect(200);
    // M1 earns nothing in January (the demo's first renewal pays in February): 11 × 999,999,999,999,999,999.99
    const m1 = (payouts.body.payouts as { repId: string; payout: string }[]).find((p) => p.repId === 'M1');
    expect(m1?.payout).toBe('10999999999999999999.89');
    const own = await t.http().get('/periods/2026-01/payouts').set('Authorization', `Bearer ${rep}`).expect(200);
    expect((own.body.payouts as { repId: string }[]).map((p) => p.repId)).toEqual(['M1']);
  });
});
