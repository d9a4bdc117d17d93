import { Client } from 'pg';
import { importDemo, startTestApp, TestApp } from '../support/test-app';

/** A login that is a member of commission_app and nothing else: how the service should connect to PostgreSQL. */
const LOGIN = 'commission_test_login';

/**
 * The service working as `commission_app` (DATABASE_ROLE), the role that owns nothing (issue 14, finding 6): the
 * month's work goes through (imports, calculation, approve, close, adjustments, disputes, statements, verify), and
 * every way around the ledger's triggers is refused to it: disabling a trigger, truncating, dropping, altering,
 * editing or deleting history. On both stores: on PostgreSQL the service logs in as a member of the role and
 * migrations run as the owner (MIGRATION_DATABASE_URL); the embedded store takes the role with SET ROLE after its
 * migrations (one local session, whose files its user owns anyway: there it guards against the service's own bugs).
 */
describe('the service as commission_app', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const as = (role: string) => ({ Authorization: `Bearer ${token[role]}` });

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      // Roles belong to the cluster; the migration creates commission_app only if it is missing, so it may do it first.
      await admin.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'commission_app') THEN CREATE ROLE commission_app NOLOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${LOGIN}') THEN CREATE ROLE ${LOGIN} LOGIN IN ROLE commission_app; END IF;
      END $$`);
      await admin.end();
      t = await startTestApp((fresh) => {
        const login = new URL(fresh.databaseUrl as string);
        login.username = LOGIN;
        return { databaseUrl: login.toString(), migrationDatabaseUrl: fresh.databaseUrl, databaseRole: undefined };
      });
    } else {
      t = await startTestApp(); // the default role
    }
    await importDemo(t.app);
    token.finance = await t.tokenFor('finance');
    token.a1 = await t.tokenFor('rep', 'A1');
    token.manager = await t.tokenFor('manager', 'G1');
  });
  afterAll(async () => t?.close());
  /** A 2xx answer, or the answer's body in the failure. */
  const ok = <R extends { status: number; body: unknown }>(res: R): R => {
    expect({ status: res.status < 300 ? 'ok' : res.status, body: res.status < 300 ? null : res.body }).toEqual({ status: 'ok', body: null });
    return res;
  };

  it('works as that role, which owns nothing', async () => {
    expect(await t.query(`SELECT current_user AS who`)).toEqual([{ who: t.cfg.databaseUrl ? LOGIN : 'commission_app' }]);
    const owned = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`);
    expect(owned).toEqual([{ n: 0 }]);
  });

  it('does the month: calculate, approve, close, adjust, dispute, statements, verify', async () => {
    await t.http().post('/periods/2026-01/calculate').set(as('finance')).then(ok);
    await t.http().post('/periods/2026-01/approve').set(as('finance')).then(ok);
    await t.http().post('/periods/2026-01/close').set(as('finance')).then(ok);
    await t.http().post('/periods/2026-02/adjustments').set(as('finance')).send({ repId: 'A1', amount: '10.00', reasonCode: 'correction', note: 'role test' }).then(ok);
    await t.http().post('/periods/2026-02/calculate').set(as('finance')).then(ok);
    const raised = await t.http().post('/disputes').set(as('a1')).send({ period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'role test' }).then(ok);
    await t.http().post(`/disputes/${raised.body.id}/review`).set(as('manager')).then(ok);
    await t.http().post(`/disputes/${raised.body.id}/reject`).set(as('manager')).send({ reason: 'role test' }).then(ok);
    await t.http().get('/periods/2026-02/statements/A1/pdf').set(as('a1')).then(ok);
    const verify = await t.http().get('/periods/2026-01/verify').set(as('finance')).then(ok);
    expect(verify.body).toMatchObject({ period: '2026-01', matches: true });
  });

  it('refreshes the statistics of what a large import wrote through the one function for it, and nothing else', async () => {
    // Only the owner may ANALYZE; refresh_statistics does it as the owner, for the tables of one import kind.
    await t.query(`SELECT refresh_statistics('bookings')`);
    await t.query(`SELECT refresh_statistics('fx')`);
    await expect(t.query(`SELECT refresh_statistics('reps')`)).rejects.toThrow(/no statistics to refresh for reps/);
  });

  it('cannot get around the ledger: every statement below is refused', async () => {
    const attempts = [
      `ALTER TABLE booking_versions DISABLE TRIGGER ALL`,
      `ALTER TABLE audit_events DISABLE TRIGGER USER`,
      `TRUNCATE audit_events`,
      `TRUNCATE booking_credits`,
      `DROP TABLE adjustments`,
      `ALTER TABLE payouts ADD COLUMN x int`,
      `DELETE FROM booking_credits`,
      `DELETE FROM audit_events`,
      `DELETE FROM adjustments`,
      `UPDATE booking_versions SET amount = 0`,
      `UPDATE audit_events SET actor = 'nobody'`,
      `UPDATE adjustments SET amount = 0`,
      `DELETE FROM payouts WHERE run_id IN (SELECT id FROM calculation_runs WHERE committed)`,
      `DELETE FROM calculation_runs WHERE committed`,
      `INSERT INTO adjustments (rep_id, period, amount, reason_code, note, source, created_by) VALUES ('A1', '2026-01', 1, 'correction', 'x', 'manual', 'x')`,
      `CREATE TABLE sneaky (a int)`,
    ];
    const accepted: string[] = [];
    for (const sql of attempts) {
      try {
        await t.query(sql);
        accepted.push(sql);
      } catch {
        /* refused, as it must be */
      }
    }
    expect(accepted).toEqual([]);
  });
});
