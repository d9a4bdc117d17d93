import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Response headers and what the service takes from request headers (issue 14, finding 9 and the Content-Disposition
 * case of finding 7): security headers on every response, no-store on API responses, no X-Powered-By, a CSP on
 * /docs (which a setting turns off), a bounded X-Request-Id, and a file name that cannot add a header parameter.
 */
describe('security headers', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('API responses: no X-Powered-By, no caching, nothing to run, no framing', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    const denied = await t.http().get('/periods').expect(401);
    expect(denied.headers['cache-control']).toBe('no-store');
  });

  it('the portal keeps its own policy; /docs gets one that runs only its own scripts', async () => {
    const portal = await t.http().get('/').expect(200);
    expect(portal.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self';/);
    expect(portal.headers['x-powered-by']).toBeUndefined();
    const docs = await t.http().get('/docs').redirects(1).expect(200);
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
  });

  it('keeps a short plain X-Request-Id and replaces anything else', async () => {
    const token = await t.tokenFor('finance');
    await t.http().post('/periods/2026-01/calculate').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'abc-123').expect(200);
    await t.http().post('/periods/2026-02/calculate').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'x'.repeat(10_000)).expect(200);
    const ids = await t.app.get(Db).query<{ request_id: string }>(`SELECT request_id FROM audit_events WHERE action = 'calculation.run' ORDER BY id`);
    expect(ids.map((r) => r.request_id)).toEqual(['abc-123', expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)]);
  });

  it('a rep id cannot add a second filename to Content-Disposition: such an id is refused at import and in the URL', async () => {
    const evil = 'Q"; filename=evil.exe';
    await expect(imp('reps', 'reps.csv', `rep_id,name,email,manager_id,role,hire_date,termination_date,currency\n"Q""; filename=evil.exe",Q,q@example.com,,AE,2024-01-01,,USD\n`)).rejects.toMatchObject({
      details: [{ file: 'reps.csv', line: 2, column: 'rep_id', message: expect.stringContaining('is not a valid id') }],
    });
    const token = await t.tokenFor('finance');
    const res = await t.http().get(`/periods/2026-03/statements/${encodeURIComponent(evil)}/pdf`).set('Authorization', `Bearer ${token}`).expect(400);
    expect(res.body.message).toMatch(/^repId: "Q\"; filename=evil\.exe" is not a valid id/);
    expect(res.headers['content-disposition']).toBeUndefined();
    // And the header of a statement that exists: one quoted file name.
    await imp('reps', 'reps.csv', 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nQ.1,Q,q@example.com,,AE,2024-01-01,,USD\n');
    await imp('assignments', 'assignments.csv', 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\nQ.1,ae-2026,2026-01-01,2026-12-31,1200000,120000,100000\n');
    await t.app.get(CalculationService).calculate('2026-03', actor);
    const ok = await t.http().get('/periods/2026-03/statements/Q.1/pdf').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.headers['content-disposition']).toBe('attachment; filename="Q.1-2026-03.pdf"');
    expect(ok.headers['cache-control']).toBe('no-store');
  });
});

// its own app, after the one above is closed (the embedded store is one per process)
describe('DOCS=false', () => {
  it('serves no OpenAPI page', async () => {
    const off = await startTestApp({ docs: false });
    try {
      await off.http().get('/docs-json').expect(404);
      await off.http().get('/health').expect(200);
    } finally {
      await off.close();
    }
  });
});
