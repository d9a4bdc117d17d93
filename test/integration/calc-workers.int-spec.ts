import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { CLI_ARGS, REPO_ROOT, runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

/**
 * The close fans out over payee shards on pg-boss: three `cli worker` processes and the close itself share the
 * shards of one calculation of 2026 against one PostgreSQL, and the result hash of every month equals the hash
 * one process gets alone (inline). The generated data has managers whose overrides read reports that land in
 * other shards, hires with ramps and draws, cancellations and multi-currency bookings.
 */
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('calculation shards on pg-boss: three workers, one result (PostgreSQL)', () => {
  let store: Awaited<ReturnType<typeof freshStoreConfig>>;
  let env: Record<string, string>;
  const workers: { child: ChildProcess; log: string[] }[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-workers-'));

  beforeAll(async () => {
    store = await freshStoreConfig();
    env = { DATABASE_URL: store.cfg.databaseUrl as string, CALC_SHARD_SIZE: '8', LOG_LEVEL: 'warn' };
    const gen = await runCliProcess(['demo', 'generate', '--payees', '60', '--bookings', '1500', '--seed', '7', '--out', dir], env);
    expect(gen.code).toBe(0);
    for (const kind of ['reps', 'assignments', 'fx', 'bookings']) {
      const r = await runCliProcess(['import', kind, path.join(dir, `${kind}.csv`)], env);
      expect({ kind, code: r.code, err: r.stderr.slice(-500) }).toEqual({ kind, code: 0, err: expect.any(String) });
    }
  }, 300_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await store?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const hashes = async (): Promise<Record<string, string>> => {
    const c = new Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT period, result_hash FROM calculation_runs WHERE superseded_by IS NULL ORDER BY period`);
      return Object.fromEntries(rows.map((r) => [r.period, r.result_hash]));
    } finally {
      await c.end();
    }
  };

  it('gives every month the hash of a single-process calculation', async () => {
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [...CLI_ARGS, 'worker'], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const w = { child, log: [] as string[] };
      child.stderr?.on('data', (d) => w.log.push(String(d)));
      workers.push(w);
    }
    for (const deadline = Date.now() + 60_000; !workers.every((w) => w.log.join('').includes('waiting for shards')); ) {
      if (Date.now() > deadline) throw new Error(`workers did not start: ${workers.map((w) => w.log.join('')).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const fanned = await runCliProcess(['calc', '--period', '2026-12'], { ...env, CALC_QUEUE: 'pgboss' }, 300_000);
    expect({ code: fanned.code, stderr: fanned.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const viaWorkers = await hashes();
    expect(Object.keys(viaWorkers)).toHaveLength(12);

    const shardsTaken = workers.map((w) => (w.log.join('').match(/: shard of /g) ?? []).length);
    process.stderr.write(`calc-workers: shards taken by the three workers: ${shardsTaken.join(', ')} (the close took the rest of 8)\n`);
    // 60 payees in shards of 8: 8 shards, shared by the close and the three workers.
    expect(shardsTaken.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(shardsTaken.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(8);
    for (const w of workers) w.child.kill('SIGTERM');

    // The same year by one process, every payee recalculated (not incremental): January alone, then
    // February..December (stale after January) in one pass.
    expect((await runCliProcess(['calc', '--period', '2026-01'], { ...env, CALC_QUEUE: 'inline', CALC_SHARD_SIZE: '500', CALC_INCREMENTAL: 'false' })).code).toBe(0);
    expect((await runCliProcess(['calc', '--period', '2026-12'], { ...env, CALC_QUEUE: 'inline', CALC_SHARD_SIZE: '500', CALC_INCREMENTAL: 'false' }, 300_000)).code).toBe(0);
    const inline = await hashes();
    expect(inline).toEqual(viaWorkers);

    // And each committed run verifies from what it stored.
    const c = new Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM calculation_runs WHERE NOT committed`);
    await c.end();
    expect(rows[0].n).toBe(0);
  }, 600_000);
});
