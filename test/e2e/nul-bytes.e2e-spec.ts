import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { importDemo, startTestApp, TestApp } from '../support/test-app';

/** NUL bytes and line breaks in ids are a 4xx, never a 500 from the database (issue 14, finding 7). */
describe('NUL bytes and line breaks in the request', () => {
  let t: TestApp;
  let finance: string;
  const actor = cliActor();
  beforeAll(async () => {
    t = await startTestApp();
    await importDemo(t.app);
    await t.app.get(CalculationService).calculate('2026-01', actor);
    finance = await t.tokenFor('finance');
  });
  afterAll(async () => t?.close());

  const get = (path: string) => t.http().get(path).set('Authorization', `Bearer ${finance}`);
  const NUL = { error: 'INVALID_INPUT', message: 'NUL bytes are not allowed in the path, the query or the body' };

  it.each([
    ['a rep id', '/periods/2026-01/payouts/A1%00/lines'],
    ['the after= cursor', '/periods/2026-01/payouts?after=A%00'],
    ['a booking id', '/bookings/B1%00/versions'],
    ['a statement rep id', '/periods/2026-01/statements/A1%00'],
    ['a statement PDF rep id', '/periods/2026-01/statements/A1%00/pdf'],
  ])('a NUL byte in %s is a 400', async (_what, path) => {
    const res = await get(path);
    expect([res.status, res.body]).toEqual([400, NUL]);
  });

  it('a NUL byte in a JSON body is a 400, and nothing is written', async () => {
    const res = await t.http().post('/periods/2026-02/adjustments').set('Authorization', `Bearer ${finance}`).send({ repId: 'A1\u0000', amount: '10.00', reasonCode: 'correction', note: 'x' });
    expect([res.status, res.body]).toEqual([400, NUL]);
    const list = await get('/periods/2026-02/adjustments').expect(200);
    expect(list.body).toEqual([]);
  });

  it('a line break in a rep id is refused as an id: 400, not 500', async () => {
    await get('/periods/2026-01/statements/A1%0D%0AX/pdf').expect(400);
  });
});
