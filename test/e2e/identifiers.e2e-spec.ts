import { startTestApp, TestApp } from '../support/test-app';

/**
 * Ids in URLs, queries and bodies follow the identifier rule (issue 14, findings 7 and 8): CR/LF, slashes, quotes,
 * formula starts, full-width letters and 10,000 characters are a 400 naming the parameter, before anything is read
 * or written. They used to reach the queries (and, with CR/LF, a 500 from the statement's headers).
 */
describe('ids in requests', () => {
  let t: TestApp;
  let finance: string;
  beforeAll(async () => {
    t = await startTestApp();
    finance = await t.tokenFor('finance');
  });
  afterAll(async () => t?.close());

  const events = async () => (await t.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_events`))[0].n;

  it.each([
    ['/periods/2026-01/statements/A1%0D%0ASet-Cookie:x/pdf', 'repId'],
    ['/periods/2026-01/statements/..%2F..%2Fetc%2Fpasswd', 'repId'],
    ['/periods/2026-01/payouts/%3DHYPERLINK(1)/lines', 'repId'],
    ['/reps/x…x (10,000 characters)', 'repId'],
    ['/reps/%EF%BC%A11', 'repId'],
    ['/bookings/B1%22x/versions', 'bookingId'],
    ['/periods/2026-01/payouts?after=a%2Fb', 'after'],
  ])('GET %s is a 400 naming %s', async (shown, name) => {
    const path = shown.startsWith('/reps/x…x') ? `/reps/${'x'.repeat(10_000)}` : shown;
    const res = await t.http().get(path).set('Authorization', `Bearer ${finance}`);
    expect({ status: res.status, message: res.body.message?.split(':')[0] }).toEqual({ status: 400, message: name });
  });

  it('a body id that breaks the rule is a 400 naming the field, and nothing is written', async () => {
    const before = await events();
    const res = await t.http().post('/periods/2026-01/adjustments').set('Authorization', `Bearer ${finance}`).send({ repId: '=cmd|x', amount: '1.00', reasonCode: 'correction', note: 'x' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/repId must be an id/);
    const user = await t.http().post('/users').set('Authorization', `Bearer ${await t.tokenFor('admin')}`).send({ role: 'rep', repId: 'A1\r\nB' });
    expect(user.status).toBe(400);
    expect(await events()).toBe(String(Number(before) + 1)); // the admin token created above, nothing else
  });
});
