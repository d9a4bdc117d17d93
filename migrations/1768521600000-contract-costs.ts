import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commission expense accounting (issue 19, ASC 340-40 / IFRS 15): what each close capitalised, how it amortises, what
 * a cancellation wrote off. All three tables are append-only (no row changes or goes): a close writes them in the same
 * transaction that closes the period, from the closed run's lines, and a correction is a new schedule of a later close.
 * - `cost_periods`: one row per closed period the accounting has processed, with the policy it applied.
 * - `cost_schedules`: a capitalised line (cost > 0) or a reduction of one by a clawback or correction (cost < 0),
 *   straight-line from `start_period` over `months`: `monthly` each month, `last_month` in the last.
 * - `cost_write_offs`: the remaining balance of a schedule written off in the period a cancellation became known.
 */
export class ContractCosts1768521600000 implements MigrationInterface {
  name = 'ContractCosts1768521600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_periods (
        period       text PRIMARY KEY CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        run_id       bigint NOT NULL REFERENCES calculation_runs(id),
        policy       jsonb NOT NULL,
        policy_hash  text NOT NULL CHECK (policy_hash ~ '^[0-9a-f]{64}$'),
        actor        text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cost_schedules (
        id                  bigserial PRIMARY KEY,
        period              text NOT NULL REFERENCES cost_periods(period),
        run_id              bigint NOT NULL REFERENCES calculation_runs(id),
        rep_id              text NOT NULL REFERENCES reps(rep_id),
        line_no             integer NOT NULL,
        line_kind           text NOT NULL,
        component_key       text NULL,
        booking_id          text NOT NULL,
        booking_version_id  bigint NOT NULL REFERENCES booking_versions(id),
        currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        treatment           text NOT NULL CHECK (treatment IN ('capitalised', 'reduction')),
        cost                numeric(20,4) NOT NULL CHECK (cost <> 0 AND (treatment = 'capitalised') = (cost > 0)),
        start_period        text NOT NULL,
        end_period          text NOT NULL,
        months              integer NOT NULL CHECK (months >= 1),
        monthly             numeric(20,4) NOT NULL,
        last_month          numeric(20,4) NOT NULL,
        basis               text NOT NULL CHECK (basis IN ('term', 'expected_life', 'remaining')),
        reduces_id          bigint NULL REFERENCES cost_schedules(id),
        note                text NOT NULL,
        CHECK ((treatment = 'reduction') = (reduces_id IS NOT NULL)),
        CHECK (monthly * (months - 1) + last_month = cost)
      )`);
    await q.query(`CREATE INDEX cost_schedules_end ON cost_schedules (end_period)`);
    await q.query(`CREATE INDEX cost_schedules_booking ON cost_schedules (booking_id, rep_id)`);
    await q.query(`CREATE INDEX cost_schedules_period ON cost_schedules (period)`);
    await q.query(`
      CREATE TABLE cost_write_offs (
        schedule_id     bigint PRIMARY KEY REFERENCES cost_schedules(id),
        period          text NOT NULL REFERENCES cost_periods(period),
        amount          numeric(20,4) NOT NULL CHECK (amount <> 0),
        cancelled_date  date NOT NULL
      )`);
    await q.query(`CREATE INDEX cost_write_offs_period ON cost_write_offs (period)`);
    for (const t of ['cost_periods', 'cost_schedules', 'cost_write_offs']) {
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
    // the service's role reads and inserts (the default privileges of migration 1768262400000 grant both)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cost_write_offs`);
    await q.query(`DROP TABLE cost_schedules`);
    await q.query(`DROP TABLE cost_periods`);
  }
}
