import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures', 'intake');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/**
 * Imports over HTTP (multipart and raw text/csv) and the read endpoints' scoping.
 * Org chart of the fixtures: M1 ── R1, M1 ── R2 ── R3; M2 ── R4.
 * Bookings: B-100 split R1 60 / R4 40; B-101 R3; B-102 R2; B-103 R4.
 */
describe('imports and reads over HTTP', () => {
  let t: TestApp;
  const token: Record<'admin' | 'finance' | 'auditor' | 'rep' | 'manager' | 'manager2', string> = {} as never;
  const get = (path: string, who: keyof typeof token) => t.http().get(path).set('Authorization', `Bearer ${token[who]}`);
  const postCsv = (path: string, who: keyof typeof token, body: Buffer | string, contentType = 'text/csv') =>
    t.http().post(path).set('Authorization', `Bearer ${token[who]}`).set('Content-Type', contentType).send(Buffer.isBuffer(body) ? body : Buffer.from(body));
  const postFile = (path: string, who: keyof typeof token, name: string) =>
    t.http().post(path).set('Authorization', `Bearer ${token[who]}`).attach('file', fixture(name), { filename: name, contentType: 'text/csv' });

  beforeAll(async () => {
    t = await startTestApp();
    token.admin = await t.tokenFor('admin');
    token.finance = await t.tokenFor('finance');
    token.auditor = await t.tokenFor('auditor');
  });
  afterAll(async () => t?.close());

  describe('POST /imports/:kind', () => {
    it('accepts a multipart upload (field "file") and answers 201 with the batch summary', async () => {
      const res = await postFile('/imports/reps', 'admin', 'reps.csv').expect(201);
      expect(res.body).toEqual({ kind: 'reps', file: 'reps.csv', rows: 6, created: 6, changed: 0, unchanged: 0, unit: 'reps', batchId: expect.any(String), text: '6 rows: 6 reps, 6 created, 0 changed, 0 unchanged' });
      token.rep = await t.tokenFor('rep', 'R1');
      token.manager = await t.tokenFor('manager', 'M1');
      token.manager2 = await t.tokenFor('manager', 'M2');
    });

    it('accepts a raw text/csv body, named by ?filename= or after its kind', async () => {
      const a = await postCsv('/imports/assignments?filename=q1-assignments.csv', 'finance', fixture('assignments.csv'), 'text/csv; charset=utf-8').expect(201);
      expect(a.body).toEqual({ kind: 'assignments', file: 'q1-assignments.csv', rows: 5, created: 5, changed: 0, unchanged: 0, unit: 'assignments', batchId: expect.any(String), text: '5 rows: 5 assignments, 5 created, 0 changed, 0 unchanged' });
      const b = await postCsv('/imports/bookings', 'finance', fixture('bookings.csv')).expect(201);
      expect(b.body).toEqual({ kind: 'bookings', file: 'bookings.csv', rows: 5, created: 4, changed: 0, unchanged: 0, unit: 'bookings', batchId: expect.any(String), text: '5 rows (one per credited payee): 4 bookings, 4 created, 0 changed, 0 unchanged' });
      const f = await postFile('/imports/fx', 'finance', 'fx.csv').expect(201);
      expect(f.body).toMatchObject({ kind: 'fx', rows: 3, created: 3 });
    });

    it('re-posting the same file changes nothing', async () => {
      const res = await postFile('/imports/bookings', 'admin', 'bookings.csv').expect(201);
      expect(res.body).toMatchObject({ rows: 5, created: 0, changed: 0, unchanged: 4 });
    });

    it('answers 422 IMPORT_REJECTED with every bad row', async () => {
      const body = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\nB-9,R1,100,C,new,P,"12,50",USD,,2026-01-01,\nB-9,R2,0,C,new,P,"12,50",USD,,2026-01-01,\n';
      const res = await postCsv('/imports/bookings?filename=late.csv', 'finance', body).expect(422);
      expect(res.body).toEqual({
        error: 'IMPORT_REJECTED',
        message: 'late.csv rejected, nothing was imported: 3 errors on 2 lines',
        details: [
          { file: 'late.csv', line: 2, column: 'amount', message: '"12,50" is not a plain decimal' },
          { file: 'late.csv', line: 3, column: 'split_pct', message: '"0" must be greater than 0 and at most 100' },
          { file: 'late.csv', line: 3, column: 'amount', message: '"12,50" is not a plain decimal' },
        ],
      });
      const all = await get('/bookings', 'auditor').expect(200);
      expect(all.body.map((b: { bookingId: string }) => b.bookingId)).toEqual(['B-100', 'B-101', 'B-102', 'B-103']);
    });

    it('refuses reps, managers and auditors (403) and callers without a token (401)', async () => {
      for (const who of ['rep', 'manager', 'auditor'] as const) {
        const res = await postFile('/imports/bookings', who, 'bookings.csv').expect(403);
        expect(res.body.error).toBe('FORBIDDEN');
      }
      await t.http().post('/imports/bookings').set('Content-Type', 'text/csv').send('x').expect(401);
    });

    it('answers 400 for an unknown kind or a request without a file', async () => {
      expect((await postFile('/imports/commissions', 'admin', 'fx.csv').expect(400)).body).toEqual({
        error: 'INVALID_INPUT',
        message: 'unknown import kind "commissions"; expected one of reps, assignments, bookings, fx, payroll, payments, activities, objectives',
      });
      const none = await t.http().post('/imports/fx').set('Authorization', `Bearer ${token.admin}`).expect(400);
      expect(none.body.message).toBe('send the CSV as a text/csv body or as the multipart/form-data field "file"');
    });
  });

  describe('GET endpoints, scoped per caller', () => {
    const ids = (body: Record<string, string>[], key: string) => body.map((x) => x[key]);

    it('GET /reps: a rep sees themself, a manager their team transitively, the auditor everyone', async () => {
      expect(ids((await get('/reps', 'rep').expect(200)).body, 'repId')).toEqual(['R1']);
      expect(ids((await get('/reps', 'manager').expect(200)).body, 'repId')).toEqual(['M1', 'R1', 'R2', 'R3']);
      expect(ids((await get('/reps', 'auditor').expect(200)).body, 'repId')).toEqual(['M1', 'M2', 'R1', 'R2', 'R3', 'R4']);
    });

    it('GET /reps/:repId: the full rep when visible, 404 otherwise', async () => {
      expect((await get('/reps/R1', 'rep').expect(200)).body).toEqual({
        repId: 'R1',
        name: 'Rob, Jr.',
        email: 'rob@example.com',
        managerId: 'M1',
        role: 'AE',
        hireDate: '2024-03-01',
        terminationDate: null,
        currency: 'USD',
      });
      await get('/reps/R3', 'manager').expect(200);
      await get('/reps/R2', 'rep').expect(404);
      await get('/reps/R4', 'manager').expect(404);
      await get('/reps/NOBODY', 'admin').expect(404);
    });

    it('GET /assignments: scoped, money as decimal strings', async () => {
      expect((await get('/assignments', 'rep').expect(200)).body).toEqual([
        { id: expect.any(String), repId: 'R1', planId: 'ae-2026', startDate: '2026-01-01', endDate: null, annualQuota: '1200000', targetVariable: '60000', baseSalary: '90000' },
      ]);
      expect(ids((await get('/assignments', 'manager').expect(200)).body, 'repId')).toEqual(['M1', 'R1', 'R2', 'R3']);
      const all = (await get('/assignments', 'auditor').expect(200)).body;
      expect(all.find((a: { repId: string }) => a.repId === 'R2')).toMatchObject({ annualQuota: '3000000.5' });
    });

    it('GET /bookings: bookings crediting a visible rep, with only the visible credits', async () => {
      const rep = (await get('/bookings', 'rep').expect(200)).body;
      expect(rep).toEqual([
        {
          bookingId: 'B-100',
          versionId: expect.any(String),
          version: 1,
          customerId: 'CUST-1',
          type: 'new',
          product: 'Platform',
          amount: '120000',
          currency: 'USD',
          termMonths: 24,
          bookedDate: '2026-01-15',
          cancelledDate: null,
          supersededBy: null,
          importId: expect.any(String),
          createdAt: expect.any(String),
          credits: [{ repId: 'R1', splitPct: '60' }],
        },
      ]);
      const manager = (await get('/bookings', 'manager').expect(200)).body;
      expect(manager.map((b: { bookingId: string; credits: unknown }) => [b.bookingId, b.credits])).toEqual([
        ['B-100', [{ repId: 'R1', splitPct: '60' }]],
        ['B-101', [{ repId: 'R3', splitPct: '100' }]],
        ['B-102', [{ repId: 'R2', splitPct: '100' }]],
      ]);
      const auditor = (await get('/bookings', 'auditor').expect(200)).body;
      expect(auditor.map((b: { bookingId: string; amount: string; credits: unknown[] }) => [b.bookingId, b.amount, b.credits.length])).toEqual([
        ['B-100', '120000', 2],
        ['B-101', '9000.5', 1],
        ['B-102', '-1500', 1],
        ['B-103', '50000', 1],
      ]);
    });

    it('GET /bookings pages by booking_id with ?limit and ?after', async () => {
      expect(ids((await get('/bookings?limit=2', 'auditor').expect(200)).body, 'bookingId')).toEqual(['B-100', 'B-101']);
      expect(ids((await get('/bookings?after=B-101&limit=2', 'auditor').expect(200)).body, 'bookingId')).toEqual(['B-102', 'B-103']);
      await get('/bookings?limit=0', 'auditor').expect(400);
    });

    it('GET /bookings/:id/versions: every version after an amendment, credits scoped, 404 without a visible credit', async () => {
      await postFile('/imports/bookings', 'finance', 'bookings-amended.csv').expect(201);
      const mine = (await get('/bookings/B-100/versions', 'manager').expect(200)).body;
      expect(mine.map((v: { version: number; amount: string; supersededBy: string | null; credits: unknown }) => [v.version, v.amount, v.supersededBy, v.credits])).toEqual([
        [1, '120000', mine[1].versionId, [{ repId: 'R1', splitPct: '60' }]],
        [2, '125000', null, [{ repId: 'R1', splitPct: '50' }, { repId: 'R2', splitPct: '50' }]],
      ]);
      // R4 was credited on version 1 only: M2 still sees the history, with R4's credit alone.
      const other = (await get('/bookings/B-100/versions', 'manager2').expect(200)).body;
      expect(other.map((v: { version: number; credits: unknown }) => [v.version, v.credits])).toEqual([
        [1, [{ repId: 'R4', splitPct: '40' }]],
        [2, []],
      ]);
      // ...but B-100 is no longer among M2's current bookings.
      expect(ids((await get('/bookings', 'manager2').expect(200)).body, 'bookingId')).toEqual(['B-103']);
      await get('/bookings/B-101/versions', 'rep').expect(404);
      await get('/bookings/NOPE/versions', 'admin').expect(404);
    });

    it('GET /fx-rates: every role sees every rate, as decimal strings', async () => {
      const res = await get('/fx-rates', 'rep').expect(200);
      expect(res.body).toEqual([
        { date: '2026-01-31', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0834', importId: expect.any(String) },
        { date: '2026-01-31', fromCurrency: 'GBP', toCurrency: 'USD', rate: '1.265', importId: expect.any(String) },
        { date: '2026-02-28', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0791', importId: expect.any(String) },
      ]);
    });
  });
});
