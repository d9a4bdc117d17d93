import { startTestApp, TestApp } from '../support/test-app';

describe('health and auth basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('reports the database as up without a token', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves OpenAPI docs', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.info.title).toBe('Commission engine');
  });
});
