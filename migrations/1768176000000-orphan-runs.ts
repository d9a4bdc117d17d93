import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orphan runs can be removed (issue 14, finding 10). With the calculation queue, a close writes its pending runs
 * (committed = false) and their shards' payouts in transactions of their own; a close killed halfway leaves them
 * behind. They were never current and nothing refers to them, so the next close deletes them, which the append-only
 * triggers refused. Now a DELETE is allowed for exactly those rows: a run that is not committed, and the payouts and
 * lines of such a run. Everything committed stays append-only.
 */
export class OrphanRuns1768176000000 implements MigrationInterface {
  name = 'OrphanRuns1768176000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION protect_closed_runs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF NOT OLD.committed THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'calculation_runs: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM periods p WHERE p.period = OLD.period AND p.status = 'closed') THEN
          RAISE EXCEPTION 'period % is closed: its calculation runs never change', OLD.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION refuse_change_but_orphans() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM calculation_runs r WHERE r.id = OLD.run_id AND NOT r.committed) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const t of ['payouts', 'payout_lines']) {
      await q.query(`DROP TRIGGER ${t}_append_only ON ${t}`);
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_change_but_orphans()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['payouts', 'payout_lines']) {
      await q.query(`DROP TRIGGER ${t}_append_only ON ${t}`);
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    }
    await q.query(`DROP FUNCTION refuse_change_but_orphans()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION protect_closed_runs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'calculation_runs: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM periods p WHERE p.period = OLD.period AND p.status = 'closed') THEN
          RAISE EXCEPTION 'period % is closed: its calculation runs never change', OLD.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
  }
}
