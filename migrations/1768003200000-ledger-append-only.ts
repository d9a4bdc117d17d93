import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database protects the rest of the ledger (issue 14, finding 6):
 * - `booking_versions` are append-only: the one change allowed is marking a version superseded (from NULL, or from
 *   the import's own placeholder, itself, to the version that replaces it); no other column changes, nothing is deleted
 *   or truncated. `booking_credits` never change at all.
 * - A closed period takes no new adjustment.
 */
export class LedgerAppendOnly1768003200000 implements MigrationInterface {
  name = 'LedgerAppendOnly1768003200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION booking_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'booking_versions is append-only: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by')
           OR NEW.superseded_by IS NULL
           OR (OLD.superseded_by IS NOT NULL AND OLD.superseded_by <> OLD.id) THEN
          RAISE EXCEPTION 'booking_versions is append-only: only marking a version superseded is allowed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER booking_versions_guard BEFORE UPDATE OR DELETE ON booking_versions FOR EACH ROW EXECUTE FUNCTION booking_versions_guard()`);
    await q.query(`
      CREATE FUNCTION booking_credits_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'booking_credits is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER booking_credits_guard BEFORE UPDATE OR DELETE ON booking_credits FOR EACH ROW EXECUTE FUNCTION booking_credits_guard()`);
    for (const t of ['booking_versions', 'booking_credits']) {
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);
    }
    await q.query(`
      CREATE FUNCTION adjustments_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM periods p WHERE p.period = NEW.period AND p.status = 'closed') THEN
          RAISE EXCEPTION 'period % is closed: no new adjustment', NEW.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER adjustments_open_period BEFORE INSERT ON adjustments FOR EACH ROW EXECUTE FUNCTION adjustments_open_period()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER adjustments_open_period ON adjustments`);
    await q.query(`DROP FUNCTION adjustments_open_period()`);
    for (const t of ['booking_versions', 'booking_credits']) await q.query(`DROP TRIGGER ${t}_no_truncate ON ${t}`);
    await q.query(`DROP TRIGGER booking_credits_guard ON booking_credits`);
    await q.query(`DROP FUNCTION booking_credits_guard()`);
    await q.query(`DROP TRIGGER booking_versions_guard ON booking_versions`);
    await q.query(`DROP FUNCTION booking_versions_guard()`);
  }
}
