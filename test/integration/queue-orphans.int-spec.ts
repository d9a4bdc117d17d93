import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { CLI_ARGS, REPO_ROOT, runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

/**
 * Queue mode leaves no orphan work (issue 14, finding 10). With CALC_QUEUE=pgboss a close commits its pending runs
 * and each shard's payouts as it goes; killed halfway, it leaves pending runs with some payouts and shard jobs still
 * queued. The next close removes those runs (they were never current) and the queued jobs write nothing into them,
 * so the store ends with no uncommitted run and the same results as a calculation that was never interrupted.
 *
 * PostgreSQL only: the queue needs it (the embedded store is single-process, so it has no queue mode).
 */
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('a killed queue-mode close leaves no orphan (PostgreSQL)', () => {
  let store: Awaited<ReturnType<typeof freshStoreConfig>>;
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-orphans-'));

  const sql = async <T>(text: string): Promise<T[]> => {
    const c = new Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query(text)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const pendingPayouts = async () =>
    (await sql<{ runs: number; payouts: number }>(`SELECT count(DISTINCT r.id)::int AS runs, count(p.rep_id)::int AS payouts FROM calculation_runs r LEFT JOIN payouts p ON p.run_id = r.id WHERE NOT r.committed`))[0];
  const hashes = async () =>
    Object.fromEntries((await sql<{ period: string; result_hash: string }>(`SELECT period, result_hash FROM calculation_runs WHERE superseded_by IS NULL ORDER BY period`)).map((r) => [r.period, r.result_hash]));

  beforeAll(async () => {
    store = await freshStoreConfig();
    env = { DATABASE_URL: store.cfg.databaseUrl as string, LOG_LEVEL: 'warn' };
    expect((await runCliProcess(['demo', 'generate', '--payees', '60', '--bookings', '3000', '--seed', '11', '--out', dir], env)).code).toBe(0);
    for (const kind of ['reps', 'assignments', 'fx', 'bookings']) expect((await runCliProcess(['import', kind, path.join(dir, `${kind}.csv`)], env)).code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await store?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the next close removes the dead close runs, ignores its queued shards, and gets the uninterrupted result', async () => {
    // One payee per shard and no calculation threads: 60 shards, each its own job and transaction, slow enough to
    // be seen halfway.
    const queueEnv = { ...env, CALC_QUEUE: 'pgboss', CALC_SHARD_SIZE: '1', CALC_THREADS: '0' };
    const child = spawn(process.execPath, [...CLI_ARGS, 'calc', '--period', '2026-06'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...queueEnv },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    let seen = { runs: 0, payouts: 0 };
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && child.exitCode === null; ) {
      seen = await pendingPayouts();
      if (seen.payouts > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const left = await pendingPayouts();
    process.stderr.write(`queue-orphans: killed with ${left.runs} pending runs holding ${left.payouts} payouts\n`);
    expect(left.runs).toBe(6); // January..June, pending
    expect(left.payouts).toBeGreaterThan(0);
    const [{ queued }] = await sql<{ queued: number }>(`SELECT count(*)::int AS queued FROM pgboss.job WHERE name = 'calc-shard' AND state IN ('created', 'retry', 'active')`);
    expect(queued).toBeGreaterThan(0);

    const next = await runCliProcess(['calc', '--period', '2026-06'], queueEnv, 300_000);
    expect({ code: next.code, stderr: next.stderr.slice(-1500) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(await pendingPayouts()).toEqual({ runs: 0, payouts: 0 });
    const removed = await sql<{ entity_id: string }>(`SELECT entity_id FROM audit_events WHERE action = 'calculation.orphan_removed'`);
    expect(removed).toHaveLength(6);
    const viaQueue = await hashes();

    // The same half-year by one process, inline and from scratch.
    const inlineEnv = { ...env, CALC_QUEUE: 'inline', CALC_INCREMENTAL: 'false' };
    expect((await runCliProcess(['calc', '--period', '2026-01'], inlineEnv, 300_000)).code).toBe(0);
    expect((await runCliProcess(['calc', '--period', '2026-06'], inlineEnv, 300_000)).code).toBe(0);
    expect(await hashes()).toEqual(viaQueue);
  }, 600_000);
});
