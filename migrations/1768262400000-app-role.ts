import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role the service works as (issue 14, finding 6): `commission_app` owns nothing, so it cannot alter a table,
 * disable a trigger, truncate or drop; it reads everything and writes only what the service writes. Migrations run as
 * the tables' owner. See README "Security" for running the service as this role (DATABASE_ROLE).
 *
 * What it may change beyond inserting rows, and why:
 * - UPDATE on the rows an import changes (reps, plan_assignments, fx_rates), plan versions the service loads, users
 *   (revocation), runs and periods (the lifecycle; triggers keep closed ones frozen), disputes (their resolution;
 *   triggers keep a resolved one frozen), payroll records (superseded by a corrected file) and booking_versions'
 *   superseded_by column only (the trigger allows nothing else).
 * - DELETE on runs, payouts and lines: only of a run that never committed (a killed close's orphan; the triggers refuse
 *   every other delete).
 * Nothing else: no UPDATE or DELETE of audit events, adjustments, booking credits, import batches.
 *
 * Only a table's owner may ANALYZE it, and a large import refreshes the planner's statistics of what it wrote (the
 * calculation that follows plans its queries with them): `refresh_statistics(kind)` does that as the owner
 * (SECURITY DEFINER), for the tables of that import kind only.
 */
const UPDATABLE = ['reps', 'plan_versions', 'plan_assignments', 'fx_rates', 'users', 'calculation_runs', 'periods', 'disputes', 'payroll_records'];
const DELETABLE = ['calculation_runs', 'payouts', 'payout_lines'];

export class AppRole1768262400000 implements MigrationInterface {
  name = 'AppRole1768262400000';

  async up(q: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not the database: another database may have created it already.
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'commission_app') THEN CREATE ROLE commission_app NOLOGIN; END IF;
    END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO commission_app`);
    const tables: { name: string }[] = await q.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') ORDER BY 1`,
    );
    for (const { name } of tables) {
      await q.query(`GRANT SELECT ON ${name} TO commission_app`);
      if (name !== 'migrations' && name !== 'run_lines') await q.query(`GRANT INSERT ON ${name} TO commission_app`);
    }
    for (const t of UPDATABLE) await q.query(`GRANT UPDATE ON ${t} TO commission_app`);
    await q.query(`GRANT UPDATE (superseded_by) ON booking_versions TO commission_app`);
    for (const t of DELETABLE) await q.query(`GRANT DELETE ON ${t} TO commission_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO commission_app`);
    await q.query(`
      CREATE FUNCTION refresh_statistics(kind text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF kind = 'bookings' THEN
          ANALYZE booking_versions, booking_credits;
        ELSIF kind = 'fx' THEN
          ANALYZE fx_rates;
        ELSE
          RAISE EXCEPTION 'no statistics to refresh for %', kind;
        END IF;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION refresh_statistics(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION refresh_statistics(text) TO commission_app`);
    // Tables and sequences later migrations create (as this owner) can be read and written to by default; anything
    // beyond SELECT and INSERT is granted by the migration that needs it.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO commission_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO commission_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refresh_statistics(text)`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT ON TABLES FROM commission_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM commission_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM commission_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM commission_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM commission_app`);
  }
}
