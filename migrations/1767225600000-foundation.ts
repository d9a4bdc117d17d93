import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation schema. Money, rates, quotas and FX rates are numeric (never float):
 *  - amounts, quotas, salaries: numeric(24,6): up to 18 integer digits, 6 decimals as imported;
 *  - split percentages: numeric(9,6); FX rates: numeric(30,12).
 * Audit events are append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export class Foundation1767225600000 implements MigrationInterface {
  name = 'Foundation1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reps (
        rep_id            text PRIMARY KEY,
        name              text NOT NULL,
        email             text NOT NULL,
        manager_id        text NULL REFERENCES reps(rep_id) DEFERRABLE INITIALLY DEFERRED,
        role              text NOT NULL,
        hire_date         date NOT NULL,
        termination_date  date NULL,
        currency          char(3) NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CHECK (termination_date IS NULL OR termination_date >= hire_date),
        CHECK (manager_id IS NULL OR manager_id <> rep_id)
      )`);
    await q.query(`CREATE INDEX reps_manager_idx ON reps(manager_id)`);

    await q.query(`
      CREATE TABLE plan_versions (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id         text NOT NULL,
        version         integer NOT NULL,
        content_hash    char(64) NOT NULL UNIQUE,
        effective_from  date NOT NULL,
        effective_to    date NOT NULL,
        document        jsonb NOT NULL,
        source_file     text NOT NULL,
        loaded_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, version)
      )`);

    await q.query(`
      CREATE TABLE plan_assignments (
        id               bigserial PRIMARY KEY,
        rep_id           text NOT NULL REFERENCES reps(rep_id),
        plan_id          text NOT NULL,
        start_date       date NOT NULL,
        end_date         date NULL,
        annual_quota     numeric(24,6) NOT NULL CHECK (annual_quota >= 0),
        target_variable  numeric(24,6) NOT NULL CHECK (target_variable >= 0),
        base_salary      numeric(24,6) NOT NULL CHECK (base_salary >= 0),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (rep_id, plan_id, start_date),
        CHECK (end_date IS NULL OR end_date >= start_date)
      )`);

    await q.query(`
      CREATE TABLE import_batches (
        id          bigserial PRIMARY KEY,
        kind        text NOT NULL,
        file_name   text NOT NULL,
        sha256      char(64) NOT NULL,
        row_count   integer NOT NULL,
        created     integer NOT NULL,
        changed     integer NOT NULL,
        unchanged   integer NOT NULL,
        actor       text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE booking_versions (
        id              bigserial PRIMARY KEY,
        booking_id      text NOT NULL,
        version         integer NOT NULL,
        content_hash    char(64) NOT NULL,
        customer_id     text NOT NULL,
        type            text NOT NULL CHECK (type IN ('new','renewal','expansion')),
        product         text NOT NULL,
        amount          numeric(24,6) NOT NULL,
        currency        char(3) NOT NULL,
        term_months     integer NOT NULL CHECK (term_months > 0),
        booked_date     date NOT NULL,
        cancelled_date  date NULL,
        import_id       bigint NULL REFERENCES import_batches(id),
        superseded_by   bigint NULL REFERENCES booking_versions(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (booking_id, version),
        CHECK (cancelled_date IS NULL OR cancelled_date >= booked_date)
      )`);
    await q.query(`CREATE UNIQUE INDEX booking_versions_current_idx ON booking_versions(booking_id) WHERE superseded_by IS NULL`);
    await q.query(`CREATE INDEX booking_versions_booked_idx ON booking_versions(booked_date)`);

    await q.query(`
      CREATE TABLE booking_credits (
        booking_version_id  bigint NOT NULL REFERENCES booking_versions(id),
        rep_id              text NOT NULL REFERENCES reps(rep_id),
        split_pct           numeric(9,6) NOT NULL CHECK (split_pct > 0 AND split_pct <= 100),
        PRIMARY KEY (booking_version_id, rep_id)
      )`);
    await q.query(`CREATE INDEX booking_credits_rep_idx ON booking_credits(rep_id)`);

    await q.query(`
      CREATE TABLE fx_rates (
        rate_date      date NOT NULL,
        from_currency  char(3) NOT NULL,
        to_currency    char(3) NOT NULL,
        rate           numeric(30,12) NOT NULL CHECK (rate > 0),
        import_id      bigint NULL REFERENCES import_batches(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (from_currency, to_currency, rate_date)
      )`);

    await q.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        role          text NOT NULL CHECK (role IN ('admin','finance','manager','rep','auditor')),
        rep_id        text NULL REFERENCES reps(rep_id),
        token_hash    char(64) NOT NULL UNIQUE,
        token_prefix  text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz NULL,
        CHECK (role NOT IN ('rep','manager') OR rep_id IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE audit_events (
        id           bigserial PRIMARY KEY,
        occurred_at  timestamptz NOT NULL DEFAULT now(),
        actor        text NOT NULL,
        action       text NOT NULL,
        entity_type  text NOT NULL,
        entity_id    text NOT NULL,
        before       jsonb NULL,
        after        jsonb NULL,
        request_id   text NULL
      )`);
    await q.query(`CREATE INDEX audit_events_entity_idx ON audit_events(entity_type, entity_id)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE fx_rates`);
    await q.query(`DROP TABLE booking_credits`);
    await q.query(`DROP TABLE booking_versions`);
    await q.query(`DROP TABLE import_batches`);
    await q.query(`DROP TABLE plan_assignments`);
    await q.query(`DROP TABLE plan_versions`);
    await q.query(`DROP TABLE reps`);
  }
}
