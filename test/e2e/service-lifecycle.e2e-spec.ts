import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCliProcess, SERVICE_ARGS } from '../support/cli-process';

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
 * JSON logs with ISO 8601 times, CLI commands for its store run inside it, and a graceful stop on SIGTERM that says
 * so and exits 0. The tests run in order against one service (starting it with the demo is the slow part).
 * The embedded store only: against PostgreSQL the CLI works directly (every other CLI test).
 */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('the service process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-service-'));
  const callerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-caller-'));
  const cli = (args: string[]) => runCliProcess(args, { DATABASE_URL: '', DATA_DIR: dir }, 240_000, callerDir);
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let out = '';
  let port = 0;
  afterAll(() => {
    child?.kill('SIGKILL');
    for (const d of [dir, callerDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('starts with the demo and logs ISO times', async () => {
    port = await freePort();
    child = spawn(process.execPath, SERVICE_ARGS, {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, PORT: String(port), DEMO: 'true', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // up: no fixed deadline of its own (a loaded machine is slow, not wrong); jest's timeout bounds the whole test
    while (!out.includes('CLI commands for the embedded store run in this service')) {
      if (child.exitCode !== null) throw new Error(`the service exited ${child.exitCode}:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain('listening on');
    expect(out).toContain('Demo loaded: January and February 2026 closed and paid');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const logs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { timestamp: unknown; message: string });
    expect(logs.length).toBeGreaterThan(5);
    for (const l of logs) expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }, 240_000);

  it('runs CLI commands for its store inside itself, with the caller\'s directory, as the operator', async () => {
    // the control file: next to the lock, readable by the owner only
    const control = path.join(dir, 'commission-engine.control.json');
    expect(fs.statSync(control).mode & 0o777).toBe(0o600);
    const { port: controlPort, pid } = JSON.parse(fs.readFileSync(control, 'utf8')) as { port: number; pid: number };
    expect(pid).toBe(child.pid);

    // the demo's figures (test/integration/demo-seed.int-spec.ts checks them by hand), read through the service
    const periods = await cli(['periods']);
    expect(periods.stderr).toBe('');
    expect(periods.code).toBe(0);
    expect(periods.stdout).toContain('2026-01\tclosed\t1\tfalse\t3\t2160.00 EUR + 6500.00 USD\n');
    expect(periods.stdout).toContain('2026-02\tclosed\t2\tfalse\t4\t8505.00 EUR + 40100.00 USD\n');

    const reconcile = await cli(['reconcile', '--period', '2026-02', '--errors-only']);
    expect(reconcile.code).toBe(0);
    expect(reconcile.stdout).toContain('commission accuracy: 20.00% of payouts (1/5), 91.61% by amount');

    // a relative path is the caller's: the file lands in the CLI's working directory, not the service's
    const exported = await cli(['export', 'payroll', '--period', '2026-01', '--out', 'january.csv']);
    expect(exported.stderr).toBe('');
    // January's third payee earned nothing, so payroll gets two rows (demo/payroll.csv paid exactly these)
    expect(exported.stdout).toBe('wrote 2 payroll rows for 2026-01 to january.csv\n');
    expect(fs.readFileSync(path.join(callerDir, 'january.csv'), 'utf8')).toBe(
      'rep_id,period,currency,amount,reference\nA1,2026-01,USD,6500.00,CE-2026-01-A1\nG1,2026-01,EUR,2160.00,CE-2026-01-G1\n',
    );
    expect(fs.existsSync(path.join(REPO_ROOT, 'january.csv'))).toBe(false);

    // exit statuses and errors come back as the command set them
    const verify = await cli(['verify', '--period', '2026-01']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('MATCH: inputs match, result matches');
    const bad = await cli(['close', '--period', '2026-13']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: period must be YYYY-MM, got "2026-13"\n');
    const worker = await cli(['worker']);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('it does not run inside the service');

    // two at once, beside the HTTP API: a user the CLI creates is one the service knows at once, audited as cli:<user>
    const [created, again] = await Promise.all([cli(['users', 'create', '--role', 'auditor', '--name', 'Ada Auditor']), cli(['periods'])]);
    expect(again.code).toBe(0);
    expect(created.code).toBe(0);
    const token = /token: (\S+)/.exec(created.stdout)![1];
    const res = await fetch(`http://127.0.0.1:${port}/audit-events?action=user.create&actor=cli`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { actor: string; action: string }[] };
    expect(page.items.map((e) => `${e.actor} ${e.action}`)).toContain(`cli:${os.userInfo().username} user.create`);
    const messages = out.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages.some((m) => /^cli command 'users create' ran in the service: exit 0 in \d+ ms$/.test(m))).toBe(true);

    // without the token the channel runs nothing
    const refused = await fetch(`http://127.0.0.1:${controlPort}/run`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: JSON.stringify({ argv: ['periods'], cwd: callerDir }) });
    expect(refused.status).toBe(401);
  }, 240_000);

  it('stops on SIGTERM with exit 0 and a word on the work in flight; the CLI then opens the store itself', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping; requests in flight finish first');
    expect(out).toMatch(/stopped cleanly in \d+ ms/);
    expect(fs.existsSync(path.join(dir, 'commission-engine.control.json'))).toBe(false);

    const direct = await cli(['periods']);
    expect(direct.stderr).toBe('');
    expect(direct.stdout).toContain('2026-02\tclosed\t2\tfalse\t4\t8505.00 EUR + 40100.00 USD\n');
  }, 240_000);
});
