import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closes the gaps the close tests found in PeriodClose (a committed migration is never edited, so the fix is a new one):
 * row triggers do not see TRUNCATE, and append-only refused changes but not additions.
 */
export class CloseHardening1767657600000 implements MigrationInterface {
  name = 'CloseHardening1767657600000';

  async up(q: QueryRunner): Promise<void> {
    // Without these, TRUNCATE periods would forget every close (and unlock its runs).
    await q.query(`
      CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const t of ['periods', 'calculation_runs']) {
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);
    }
    // Nothing may be added to the run of a closed period.
    await q.query(`
      CREATE FUNCTION refuse_rows_in_closed_runs() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT n.run_id, r.period INTO bad FROM new_rows n JOIN calculation_runs r ON r.id = n.run_id JOIN periods p ON p.period = r.period
         WHERE p.status = 'closed' LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'run % of period % is closed: % cannot be added', bad.run_id, bad.period, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
      END $$`);
    for (const t of ['payouts', 'payout_lines']) {
      await q.query(`CREATE TRIGGER ${t}_closed_run AFTER INSERT ON ${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refuse_rows_in_closed_runs()`);
    }
    // ... and no new run for a closed period.
    await q.query(`
      CREATE FUNCTION refuse_runs_for_closed_periods() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM periods p WHERE p.period = NEW.period AND p.status = 'closed') THEN
          RAISE EXCEPTION 'period % is closed: no new calculation run', NEW.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER calculation_runs_closed_period BEFORE INSERT ON calculation_runs FOR EACH ROW EXECUTE FUNCTION refuse_runs_for_closed_periods()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER calculation_runs_closed_period ON calculation_runs`);
    await q.query(`DROP FUNCTION refuse_runs_for_closed_periods()`);
    for (const t of ['payouts', 'payout_lines']) await q.query(`DROP TRIGGER ${t}_closed_run ON ${t}`);
    await q.query(`DROP FUNCTION refuse_rows_in_closed_runs()`);
    for (const t of ['periods', 'calculation_runs']) await q.query(`DROP TRIGGER ${t}_no_truncate ON ${t}`);
    await q.query(`DROP FUNCTION refuse_truncate()`);
  }
}
