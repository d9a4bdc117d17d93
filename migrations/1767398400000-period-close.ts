import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly close. A period moves open → calculated → approved → closed. Money records are append-only:
 * payouts and payout_lines can never be updated or deleted, adjustments neither (a correction is a new adjustment),
 * and the run of a closed period cannot be touched at all. Each run keeps a snapshot of what it read (reps,
 * assignments, FX rates, plan hashes, adjustments, booking version ids) so `verify` can recalculate it byte for byte.
 */
export class PeriodClose1767398400000 implements MigrationInterface {
  name = 'PeriodClose1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE periods (
        period          char(7) PRIMARY KEY CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        status          text NOT NULL CHECK (status IN ('open','calculated','approved','closed')),
        current_run_id  bigint NULL REFERENCES calculation_runs(id),
        approved_at     timestamptz NULL,
        approved_by     text NULL,
        closed_at       timestamptz NULL,
        closed_by       text NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE calculation_runs ADD COLUMN snapshot jsonb NULL, ADD COLUMN booking_version_ids bigint[] NULL`);

    await q.query(`
      CREATE TABLE adjustments (
        id             bigserial PRIMARY KEY,
        rep_id         text NOT NULL REFERENCES reps(rep_id),
        period         char(7) NOT NULL,
        amount         numeric(20,2) NOT NULL CHECK (amount <> 0),
        reason_code    text NOT NULL,
        note           text NOT NULL,
        origin_period  char(7) NULL,
        origin_ref     text NULL,
        source         text NOT NULL DEFAULT 'manual',
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX adjustments_period_idx ON adjustments(period, rep_id)`);

    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const t of ['payouts', 'payout_lines', 'adjustments']) {
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
    await q.query(`
      CREATE FUNCTION protect_closed_runs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'calculation_runs: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM periods p WHERE p.period = OLD.period AND p.status = 'closed') THEN
          RAISE EXCEPTION 'period % is closed: its calculation runs never change', OLD.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER calculation_runs_protect BEFORE UPDATE OR DELETE ON calculation_runs FOR EACH ROW EXECUTE FUNCTION protect_closed_runs()`);
    await q.query(`
      CREATE FUNCTION protect_closed_periods() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.status = 'closed' THEN
          RAISE EXCEPTION 'period % is closed: it never changes', OLD.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER periods_protect BEFORE UPDATE OR DELETE ON periods FOR EACH ROW EXECUTE FUNCTION protect_closed_periods()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER periods_protect ON periods`);
    await q.query(`DROP FUNCTION protect_closed_periods()`);
    await q.query(`DROP TRIGGER calculation_runs_protect ON calculation_runs`);
    await q.query(`DROP FUNCTION protect_closed_runs()`);
    for (const t of ['payouts', 'payout_lines']) {
      await q.query(`DROP TRIGGER ${t}_append_only ON ${t}`);
      await q.query(`DROP TRIGGER ${t}_no_truncate ON ${t}`);
    }
    await q.query(`DROP TABLE adjustments`);
    await q.query(`DROP FUNCTION refuse_change()`);
    await q.query(`ALTER TABLE calculation_runs DROP COLUMN snapshot, DROP COLUMN booking_version_ids`);
    await q.query(`DROP TABLE periods`);
  }
}
