import * as fs from 'node:fs';
import { Client } from 'pg';
import { cliActor } from '../../src/auth/actor';
import { LIFECYCLE_LOCK } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { runCliProcess } from '../support/cli-process';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Two closes of the same period at once give exactly one result: one run, one close event, every caller told the
 * same run and hash. Demo data; January closes to A1 6500.00, G1 2160.00 EUR, M1 0.00 (total 8660.00).
 */
async function demoApp(): Promise<TestApp> {
  const t = await startTestApp();
  for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
    await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), cliActor());
  }
  return t;
}

/**
 * PostgreSQL only: takes the lifecycle advisory lock from outside, so the closes pile up behind it and then race for it
 * the moment it is released (without this they might simply run one after another).
 */
async function holdLifecycleLock(url: string) {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('BEGIN');
  await c.query('SELECT pg_advisory_xact_lock($1)', [LIFECYCLE_LOCK]);
  return {
    async waiters(n: number): Promise<void> {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
        const [{ w }] = (
          await c.query(
            `SELECT count(*)::int AS w FROM pg_locks l JOIN pg_database d ON d.oid = l.database
              WHERE l.locktype = 'advisory' AND l.objid = $1 AND NOT l.granted AND d.datname = current_database()`,
            [LIFECYCLE_LOCK],
          )
        ).rows;
        if (w >= n) return;
      }
      throw new Error(`fewer than ${n} closes ever waited for the lifecycle lock`);
    },
    async release(): Promise<void> {
      await c.query('COMMIT');
      await c.end();
    },
  };
}

async function closeFacts(t: TestApp) {
  const q = <T>(sql: string) => t.app.get(Db).query<T>(sql);
  const runs = await q<{ id: string; result_hash: string; superseded_by: string | null; total_payout: string }>(
    `SELECT id::text AS id, result_hash, superseded_by::text AS superseded_by, total_payout::text AS total_payout FROM calculation_runs WHERE period = '2026-01' ORDER BY id`,
  );
  const events = await q<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM audit_events WHERE entity_type = 'period' AND entity_id = '2026-01' GROUP BY action ORDER BY action`,
  );
  const [{ payouts, lines }] = await q<{ payouts: number; lines: number }>(
    `SELECT (SELECT count(*)::int FROM payouts WHERE period = '2026-01') AS payouts, (SELECT count(*)::int FROM payout_lines WHERE period = '2026-01') AS lines`,
  );
  const [period] = await q<{ status: string; current_run_id: string }>(`SELECT status, current_run_id::text AS current_run_id FROM periods WHERE period = '2026-01'`);
  return { runs, events, payouts, lines, period };
}

describe('concurrent closes of one period', () => {
  describe('in process: five HTTP closes at once', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await demoApp();
    });
    afterAll(async () => t?.close());

    it('all answer 200, exactly one changes anything, and they all name the same run and hash', async () => {
      const token = await t.tokenFor('finance');
      // On PostgreSQL all five wait behind the lock and race for it; the embedded store runs transactions one at a time.
      const gate = t.cfg.databaseUrl ? await holdLifecycleLock(t.cfg.databaseUrl) : null;
      const all = Promise.all(Array.from({ length: 5 }, () => t.http().post('/periods/2026-01/close').set('Authorization', `Bearer ${token}`).then((r) => r)));
      if (gate) {
        await gate.waiters(5);
        await gate.release();
      }
      const responses = await all;
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const bodies = responses.map((r) => r.body as { changed: boolean; status: string; runId: string; resultHash: string; message: string; calculated: unknown[] });
      expect(bodies.filter((b) => b.changed)).toHaveLength(1);
      expect(bodies.filter((b) => !b.changed).map((b) => b.message)).toEqual(Array(4).fill('period 2026-01 is already closed; nothing to do'));
      expect(bodies.filter((b) => b.changed)[0]).toMatchObject({ message: 'period 2026-01 closed', calculated: [expect.objectContaining({ period: '2026-01', totals: [{ currency: 'EUR', amount: '2160.00' }, { currency: 'USD', amount: '6500.00' }] })] });
      expect(new Set(bodies.map((b) => `${b.status} ${b.runId} ${b.resultHash}`))).toEqual(new Set([`closed ${bodies[0].runId} ${bodies[0].resultHash}`]));

      const f = await closeFacts(t);
      expect(f.runs).toEqual([{ id: bodies[0].runId, result_hash: bodies[0].resultHash, superseded_by: null, total_payout: '8660.00' }]);
      expect(f.period).toEqual({ status: 'closed', current_run_id: bodies[0].runId });
      expect(f.events).toEqual([
        { action: 'calculation.run', n: 1 },
        { action: 'period.approve', n: 1 },
        { action: 'period.close', n: 1 },
      ]);
      expect([f.payouts, f.lines]).toEqual([3, 4]);
    });
  });

  // The embedded store is single-process by design (see embedded-lock.int-spec.ts): separate processes need PostgreSQL.
  const describePg = process.env.DATABASE_URL ? describe : describe.skip;
  describePg('separate processes: three CLI closes at once (PostgreSQL)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await demoApp();
    });
    afterAll(async () => t?.close());

    it('all exit 0, one run is made, and two of them say the period is already closed', async () => {
      const env = { DATABASE_URL: t.cfg.databaseUrl as string };
      const gate = await holdLifecycleLock(env.DATABASE_URL);
      const all = Promise.all(Array.from({ length: 3 }, () => runCliProcess(['close', '--period', '2026-01'], env)));
      await gate.waiters(3); // all three processes are inside their close transaction, waiting for the lock
      await gate.release();
      const results = await all;
      for (const r of results) expect(r.code).toBe(0);
      // the one that closes warns that nobody has acknowledged a written plan (ACK_REQUIRED is off); the others say nothing
      expect(results.map((r) => r.stderr).sort()).toEqual([
        '',
        '',
        'warning: 3 of 3 assignment(s) in effect have an unacknowledged plan document: A1 (ae-2026 v1, assignment 2), G1 (mgr-2026 v1, assignment 1), M1 (am-2026 v1, assignment 4)\n',
      ]);

      const closedNow = results.filter((r) => /^period 2026-01 closed \(status closed, run \d+, result [0-9a-f]{64}\)$/m.test(r.stdout));
      const already = results.filter((r) => r.stdout.includes('period 2026-01 is already closed; nothing to do'));
      expect([closedNow.length, already.length]).toEqual([1, 2]);
      expect(closedNow[0].stdout).toMatch(/^calculated 2026-01: run \d+, 3 payees, payouts 2160.00 EUR \+ 6500.00 USD$/m);
      for (const r of already) expect(r.stdout).not.toContain('calculated 2026-01');

      const f = await closeFacts(t);
      expect(f.runs).toHaveLength(1);
      const tail = `(status closed, run ${f.runs[0].id}, result ${f.runs[0].result_hash})`;
      for (const r of results) expect(r.stdout.trim().split('\n').pop()).toMatch(new RegExp(`${tail.replace(/[()]/g, '\\$&')}$`));
      expect(f.period).toEqual({ status: 'closed', current_run_id: f.runs[0].id });
      expect(f.events).toEqual([
        { action: 'calculation.run', n: 1 },
        { action: 'period.approve', n: 1 },
        { action: 'period.close', n: 1 },
      ]);
      expect([f.payouts, f.lines]).toEqual([3, 4]);
    });
  });
});
