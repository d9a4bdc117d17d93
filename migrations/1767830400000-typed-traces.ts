import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace becomes a contract (issue 12):
 * - `payout_lines.cause`: why a prior-period adjustment (or a clawback) exists, as a real column instead of a key read
 *   out of the trace. Rows written before it have NULL there and keep the cause in their trace; `run_lines` shows
 *   `coalesce(cause, trace->>'cause')`, so readers see one column for every run (no stored row is changed).
 * - `calculation_runs.hash_version`: how the run's payee hashes were computed. 1: figures, description text and trace
 *   JSON as written (runs before this migration); 2: figures and the canonical structured trace, never wording.
 *   `verify` recomputes a version-2 run's hash; a version-1 run is verified by its figures, line by line.
 */
export class TypedTraces1767830400000 implements MigrationInterface {
  name = 'TypedTraces1767830400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payout_lines ADD COLUMN cause text NULL CHECK (cause IN ('cancellation', 'backdated', 'amended', 'recalculation'))`);
    await q.query(`ALTER TABLE calculation_runs ADD COLUMN hash_version smallint NOT NULL DEFAULT 1`);
    await q.query(`DROP VIEW run_lines`);
    await q.query(`
      CREATE VIEW run_lines AS
      SELECT p.run_id, p.rep_id, l.line_no, l.period, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount, l.amount_precise,
             l.description, l.trace, coalesce(l.cause, l.trace->>'cause') AS cause
        FROM payouts p JOIN payout_lines l ON l.run_id = coalesce(p.lines_run_id, p.run_id) AND l.rep_id = p.rep_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW run_lines`);
    await q.query(`
      CREATE VIEW run_lines AS
      SELECT p.run_id, p.rep_id, l.line_no, l.period, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount, l.amount_precise,
             l.description, l.trace
        FROM payouts p JOIN payout_lines l ON l.run_id = coalesce(p.lines_run_id, p.run_id) AND l.rep_id = p.rep_id`);
    await q.query(`ALTER TABLE calculation_runs DROP COLUMN hash_version`);
    await q.query(`ALTER TABLE payout_lines DROP COLUMN cause`);
  }
}
