import { MigrationInterface, QueryRunner } from 'typeorm';
import { ID_PATTERN_SQL } from '../src/core/ids/identifier';

/**
 * The facts plan mechanics read besides bookings (issue 15): cash collected on bookings (payments), qualifying events
 * (activities) and objective results (objective_results), and two booking fields: a credit's split type (overlay
 * credits on top of the revenue splits), the contract a renewal renews, and the tax rate included in the amount. Each fact row is keyed; a re-import with a changed value updates
 * it in place, and the import's audit events keep what it was (as FX rates do). The service's role may update them.
 */
export class PlanMechanicsFacts1768348800000 implements MigrationInterface {
  name = 'PlanMechanicsFacts1768348800000';

  async up(q: QueryRunner): Promise<void> {
    const id = (column: string) => `CHECK (${column} ~ '${ID_PATTERN_SQL}')`;
    await q.query(`
      CREATE TABLE payments (
        payment_id   text PRIMARY KEY ${id('payment_id')},
        booking_id   text NOT NULL ${id('booking_id')},
        amount       numeric(24,6) NOT NULL CHECK (amount > 0),
        currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        paid_date    date NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('payment', 'credit_note', 'refund')),
        import_id    bigint NULL REFERENCES import_batches(id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payments_booking ON payments (booking_id)`);
    await q.query(`
      CREATE TABLE activities (
        activity_id  text PRIMARY KEY ${id('activity_id')},
        rep_id       text NOT NULL REFERENCES reps(rep_id),
        kind         text NOT NULL ${id('kind')},
        activity_date date NOT NULL,
        quantity     numeric(18,6) NOT NULL CHECK (quantity > 0),
        import_id    bigint NULL REFERENCES import_batches(id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE objective_results (
        rep_id       text NOT NULL REFERENCES reps(rep_id),
        objective_id text NOT NULL ${id('objective_id')},
        window_key   text NOT NULL CHECK (window_key ~ '^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
        score        numeric(12,6) NOT NULL CHECK (score >= 0),
        import_id    bigint NULL REFERENCES import_batches(id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (rep_id, objective_id, window_key)
      )`);
    // Bookings: an overlay credit beside the revenue splits, and the contract a renewal renews.
    await q.query(`ALTER TABLE booking_credits ADD COLUMN split_type text NOT NULL DEFAULT 'revenue' CHECK (split_type IN ('revenue', 'overlay'))`);
    await q.query(`ALTER TABLE booking_versions ADD COLUMN renews_booking_id text NULL ${id('renews_booking_id')}`);
    await q.query(`ALTER TABLE booking_versions ADD COLUMN tax_rate numeric(9,6) NULL CHECK (tax_rate >= 0 AND tax_rate <= 10)`);
    // The service's role (migration 1768262400000) reads and inserts by default; an import also updates.
    const role: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'commission_app'`);
    if (role[0]?.n) for (const t of ['payments', 'activities', 'objective_results']) await q.query(`GRANT SELECT, INSERT, UPDATE ON ${t} TO commission_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booking_versions DROP COLUMN tax_rate`);
    await q.query(`ALTER TABLE booking_versions DROP COLUMN renews_booking_id`);
    await q.query(`ALTER TABLE booking_credits DROP COLUMN split_type`);
    await q.query(`DROP TABLE objective_results`);
    await q.query(`DROP TABLE activities`);
    await q.query(`DROP TABLE payments`);
  }
}
