import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The current-run rule, once (issue 20): a period's current run is its committed run that no later run superseded.
 * A pending run (a close in progress, or one a killed close left behind) points `superseded_by` at itself, so it is
 * never current. Readers join `current_runs` instead of repeating `superseded_by IS NULL` (it was written 38 times).
 * The view is read-only for the service's role, like `run_lines`.
 */
export class CurrentRuns1768694400000 implements MigrationInterface {
  name = 'CurrentRuns1768694400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW current_runs AS SELECT * FROM calculation_runs WHERE superseded_by IS NULL`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'commission_app') THEN
        REVOKE ALL ON current_runs FROM commission_app;
        GRANT SELECT ON current_runs TO commission_app;
      END IF;
    END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW current_runs`);
  }
}
