import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calculation runs and their results. A run is never edited: recalculating a period inserts a new run and marks the
 * old one superseded (metadata only). Amounts paid are numeric(20,2) cents; exact values are unconstrained numeric
 * (amount_precise) so differences can always be explained.
 */
export class CalculationRuns1767312000000 implements MigrationInterface {
  name = 'CalculationRuns1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calculation_runs (
        id             bigserial PRIMARY KEY,
        period         char(7) NOT NULL CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        superseded_by  bigint NULL REFERENCES calculation_runs(id),
        stale          boolean NOT NULL DEFAULT false,
        inputs_hash    char(64) NOT NULL,
        result_hash    char(64) NOT NULL,
        inputs         jsonb NOT NULL,
        payee_count    integer NOT NULL,
        total_payout   numeric(20,2) NOT NULL,
        actor          text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX calculation_runs_current_idx ON calculation_runs(period) WHERE superseded_by IS NULL`);

    await q.query(`
      CREATE TABLE payouts (
        run_id           bigint NOT NULL REFERENCES calculation_runs(id),
        rep_id           text NOT NULL REFERENCES reps(rep_id),
        period           char(7) NOT NULL,
        currency         char(3) NOT NULL,
        earned_to_date   numeric(20,2) NOT NULL,
        earned_before    numeric(20,2) NOT NULL,
        earned           numeric(20,2) NOT NULL,
        balance_before   numeric(20,2) NOT NULL,
        draw             numeric(20,2) NOT NULL,
        payout           numeric(20,2) NOT NULL CHECK (payout >= 0),
        balance          numeric(20,2) NOT NULL,
        plans            jsonb NOT NULL,
        windows          jsonb NOT NULL,
        PRIMARY KEY (run_id, rep_id)
      )`);
    await q.query(`CREATE INDEX payouts_rep_period_idx ON payouts(rep_id, period)`);

    await q.query(`
      CREATE TABLE payout_lines (
        run_id          bigint NOT NULL REFERENCES calculation_runs(id),
        rep_id          text NOT NULL,
        line_no         integer NOT NULL,
        period          char(7) NOT NULL,
        kind            text NOT NULL,
        component_key   text NULL,
        ref             text NULL,
        booking_id      text NULL,
        origin_period   char(7) NULL,
        amount          numeric(20,2) NOT NULL,
        amount_precise  numeric NOT NULL,
        description     text NOT NULL,
        trace           jsonb NOT NULL,
        PRIMARY KEY (run_id, rep_id, line_no),
        FOREIGN KEY (run_id, rep_id) REFERENCES payouts(run_id, rep_id)
      )`);
    await q.query(`CREATE INDEX payout_lines_booking_idx ON payout_lines(booking_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payout_lines`);
    await q.query(`DROP TABLE payouts`);
    await q.query(`DROP TABLE calculation_runs`);
  }
}
