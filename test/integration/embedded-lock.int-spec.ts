import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataSource } from '../../src/infra/database';
import { loadConfig } from '../../src/infra/env';
import { REPO_ROOT, runCliProcess } from '../support/cli-process';

/**
 * PGlite is single-process. A second process opening the same DATA_DIR must be refused with a message naming the
 * holder, and a lock left behind by a crashed process must not block the store forever.
 * This is about the embedded store only: skipped when the suite runs against PostgreSQL.
 */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('embedded store lock (DATA_DIR)', () => {
  let dataDir: string;
  let lockPath: string;
  const embeddedEnv = () => ({ DATA_DIR: dataDir, DATABASE_URL: '' });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-lock-'));
    lockPath = path.join(dataDir, 'commission-engine.lock');
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second process while the store is open, naming the holder, and lets it in after release', async () => {
    const cfg = { ...loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir }), inMemory: false };
    const ds = await openDataSource(cfg);
    try {
      expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);

      const refused = await runCliProcess(['migrate'], embeddedEnv());
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(refused.stderr).toContain(dataDir);
      // The refused process must not have taken or removed the holder's lock.
      expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
      expect(Number((await ds.query(`SELECT count(*)::int AS n FROM users`))[0].n)).toBe(0);
    } finally {
      await ds.destroy();
    }
    expect(fs.existsSync(lockPath)).toBe(false);

    const after = await runCliProcess(['migrate'], embeddedEnv());
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('schema is up to date');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses while another process holds the lock, and takes over the lock once that process has died', async () => {
    const holder = await startLockHolder(dataDir);
    try {
      const refused = await runCliProcess(['migrate'], embeddedEnv());
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`in use by process ${holder.pid}`);
    } finally {
      // SIGKILL: no exit handler runs, so the lock file stays behind, naming a dead pid.
      holder.kill('SIGKILL');
      await new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(null) : holder.once('exit', resolve)));
    }
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).pid).toBe(holder.pid);

    const takeover = await runCliProcess(['migrate'], embeddedEnv());
    expect(takeover.stderr).toBe('');
    expect(takeover.code).toBe(0);
    expect(takeover.stdout).toContain('applied Foundation1767225600000');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('takes over a stale lock file written by a pid that no longer exists', async () => {
    const deadPid = await exitedPid();
    fs.writeFileSync(lockPath, JSON.stringify({ pid: deadPid, command: 'src/cli/main.ts migrate', since: '2026-01-01T00:00:00.000Z' }));

    const r = await runCliProcess(['migrate'], embeddedEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied Foundation1767225600000');
    expect(fs.existsSync(lockPath)).toBe(false);
  });
});

/** A separate process that takes the embedded lock and keeps it until killed. */
function startLockHolder(dataDir: string): Promise<ChildProcess> {
  const script = `require('./src/infra/embedded-lock').acquireEmbeddedLock(${JSON.stringify(dataDir)}); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => String(d).includes('locked') && resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${err}`)));
  });
}

/** The pid of a process that has already exited. */
function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });
}
