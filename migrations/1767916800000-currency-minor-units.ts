import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money columns hold each currency's own minor unit (issue 13): JPY amounts are whole, BHD amounts have three
 * decimals. `numeric(20,2)` would round a BHD payout to cents and pad a JPY one to ".00", so the paid amounts become
 * unconstrained `numeric`, which keeps the scale each value was written with. Existing values do not change (a
 * stored "6500.00" stays "6500.00"); PostgreSQL drops the typmod without rewriting the table. `run_lines` reads
 * `payout_lines.amount`, so it is recreated around the change, as it was.
 */
const COLUMNS: [string, string][] = [
  ['calculation_runs', 'total_payout'],
  ['payouts', 'earned_to_date'],
  ['payouts', 'earned_before'],
  ['payouts', 'earned'],
  ['payouts', 'balance_before'],
  ['payouts', 'draw'],
  ['payouts', 'payout'],
  ['payouts', 'balance'],
  ['payout_lines', 'amount'],
  ['adjustments', 'amount'],
  ['disputes', 'claimed_amount'],
  ['disputes', 'resolution_amount'],
  ['payroll_records', 'amount'],
];

const RUN_LINES = `
  CREATE VIEW run_lines AS
  SELECT p.run_id, p.rep_id, l.line_no, l.period, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount, l.amount_precise,
         l.description, l.trace, coalesce(l.cause, l.trace->>'cause') AS cause
    FROM payouts p JOIN payout_lines l ON l.run_id = coalesce(p.lines_run_id, p.run_id) AND l.rep_id = p.rep_id`;

export class CurrencyMinorUnits1767916800000 implements MigrationInterface {
  name = 'CurrencyMinorUnits1767916800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW run_lines`);
    for (const [table, column] of COLUMNS) await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE numeric`);
    await q.query(RUN_LINES);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW run_lines`);
    for (const [table, column] of COLUMNS) await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE numeric(20,2)`);
    await q.query(RUN_LINES);
  }
}
