import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, SERVICE_ARGS } from '../support/cli-process';

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The service as `npm start` runs it, in a process of its own on a fresh embedded store: the demo on first start,
 * JSON logs with ISO 8601 times, and a graceful stop on SIGTERM that says so and exits 0.
 */
describe('the service process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-service-'));
  let child: ChildProcess;
  let out = '';
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the demo, logs ISO times, and stops on SIGTERM with exit 0 and a word on the work in flight', async () => {
    const port = await freePort();
    child = spawn(process.execPath, SERVICE_ARGS, {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, PORT: String(port), DEMO: 'true', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // up: no fixed deadline of its own (a loaded machine is slow, not wrong); jest's timeout bounds the whole test
    while (!out.includes('listening on')) {
      if (child.exitCode !== null) throw new Error(`the service exited ${child.exitCode}:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain('Demo loaded: January and February 2026 closed and paid');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const logs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { timestamp: unknown; message: string });
    expect(logs.length).toBeGreaterThan(5);
    for (const l of logs) expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping; requests in flight finish first');
    expect(out).toMatch(/stopped cleanly in \d+ ms/);
  }, 240_000);
});
