import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What payroll actually paid. Re-importing a corrected file for a period supersedes that period's records (they are
 * kept, marked with the import that replaced them); rows are never edited otherwise or deleted.
 */
export class Payroll1767571200000 implements MigrationInterface {
  name = 'Payroll1767571200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payroll_records (
        id                    bigserial PRIMARY KEY,
        rep_id                text NOT NULL REFERENCES reps(rep_id),
        period                char(7) NOT NULL CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        currency              char(3) NOT NULL,
        amount                numeric(20,2) NOT NULL,
        paid_date             date NOT NULL,
        reference             text NOT NULL,
        import_id             bigint NOT NULL REFERENCES import_batches(id),
        superseded_by_import  bigint NULL REFERENCES import_batches(id),
        created_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payroll_records_period_idx ON payroll_records(period, rep_id) WHERE superseded_by_import IS NULL`);
    await q.query(`
      CREATE FUNCTION payroll_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'payroll_records: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.superseded_by_import IS NOT NULL OR NEW.superseded_by_import IS NULL
           OR (NEW.rep_id, NEW.period, NEW.currency, NEW.amount, NEW.paid_date, NEW.reference, NEW.import_id)
              IS DISTINCT FROM (OLD.rep_id, OLD.period, OLD.currency, OLD.amount, OLD.paid_date, OLD.reference, OLD.import_id) THEN
          RAISE EXCEPTION 'payroll_records: a record can only be superseded, once' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER payroll_records_guard BEFORE UPDATE OR DELETE ON payroll_records FOR EACH ROW EXECUTE FUNCTION payroll_records_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payroll_records`);
    await q.query(`DROP FUNCTION payroll_records_guard()`);
  }
}
