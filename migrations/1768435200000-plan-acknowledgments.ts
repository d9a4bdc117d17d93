import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed receipts of written plans (issue 18): a payee acknowledges the document of one of their assignments, named by
 * its hash and the plan version's. Append-only like the ledger: no row changes or goes; a changed plan version or
 * assignment is a new document, acknowledged by a new row. One acknowledgment per assignment and document.
 */
export class PlanAcknowledgments1768435200000 implements MigrationInterface {
  name = 'PlanAcknowledgments1768435200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_acknowledgments (
        id              bigserial PRIMARY KEY,
        assignment_id   bigint NOT NULL REFERENCES plan_assignments(id),
        rep_id          text NOT NULL REFERENCES reps(rep_id),
        plan_id         text NOT NULL,
        plan_version    integer NOT NULL CHECK (plan_version >= 1),
        plan_hash       text NOT NULL CHECK (plan_hash ~ '^[0-9a-f]{64}$'),
        document_hash   text NOT NULL CHECK (document_hash ~ '^[0-9a-f]{64}$'),
        user_id         uuid NOT NULL REFERENCES users(id),
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        client          text NOT NULL CHECK (length(client) <= 500),
        UNIQUE (assignment_id, document_hash)
      )`);
    await q.query(`CREATE INDEX plan_acknowledgments_rep ON plan_acknowledgments (rep_id)`);
    await q.query(`
      CREATE FUNCTION plan_acknowledgments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'plan_acknowledgments is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER plan_acknowledgments_guard BEFORE UPDATE OR DELETE ON plan_acknowledgments FOR EACH ROW EXECUTE FUNCTION plan_acknowledgments_guard()`);
    await q.query(`CREATE TRIGGER plan_acknowledgments_no_truncate BEFORE TRUNCATE ON plan_acknowledgments FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);
    // the service's role reads and inserts (the default privileges of migration 1768262400000 grant both)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE plan_acknowledgments`);
    await q.query(`DROP FUNCTION plan_acknowledgments_guard()`);
  }
}
