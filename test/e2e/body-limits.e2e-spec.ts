import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, TestApp } from '../support/test-app';
import { MISSING_TOKEN } from '../../src/infra/token-messages';

/**
 * Bodies are read only after authentication, and within limits (issue 14, finding 3 and the JSON case of finding 7):
 * a request without a valid token is answered 401 before its body arrives; a JSON body over 1 MB and a CSV body over
 * IMPORT_MAX_MB are 413 naming the limit; an unreadable JSON body is 400.
 */
describe('request bodies', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ importMaxMb: 1 });
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  /** Starts a POST that announces `declared` bytes, sends 1 KB of them, and waits for the answer (or 5 s). */
  const partialPost = (path: string, declared: number, headers: Record<string, string> = {}) =>
    new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'text/csv', 'Content-Length': String(declared), ...headers } });
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: undefined, body: 'no answer while the body was still coming' });
      }, 5000);
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode, body });
        });
      });
      req.on('error', (e) => (timer ? undefined : reject(e)));
      req.write('x'.repeat(1024));
    });

  it('answers 401 to a body without a valid token before reading it', async () => {
    const none = await partialPost('/imports/bookings', 190 * 1024 * 1024);
    expect(none).toEqual({ status: 401, body: JSON.stringify({ error: 'UNAUTHENTICATED', message: MISSING_TOKEN }) });
    const bad = await partialPost('/imports/bookings', 190 * 1024 * 1024, { Authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
  });

  it('a JSON body over 1 MB is 413, an unreadable one 400', async () => {
    const token = await t.tokenFor('admin');
    const big = await t.http().post('/users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(1_100_000), role: 'rep' }));
    expect([big.status, big.body]).toEqual([413, { error: 'PAYLOAD_TOO_LARGE', message: 'the JSON body is larger than 1mb' }]);
    const broken = await t.http().post('/users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('INVALID_INPUT');
  });

  it('a CSV body over IMPORT_MAX_MB is 413 naming the limit', async () => {
    const token = await t.tokenFor('finance');
    const res = await t.http().post('/imports/bookings').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/csv').send('x'.repeat(1_200_000));
    expect([res.status, res.body]).toEqual([413, { error: 'PAYLOAD_TOO_LARGE', message: 'the CSV body is larger than 1mb (IMPORT_MAX_MB)' }]);
  });
});
