import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs calculated in payee shards (in one process or by several workers).
 * - `committed`: a run is written first as a pending run (committed = false, superseded_by pointing at itself, so no
 *   reader takes it for the current one); shards add its payouts; the close commits it in one transaction by making
 *   it current. A run whose calculation failed stays pending: never current, never read, kept as history.
 * - `booking_watermark`: the highest booking version id the run could see. With booking versions immutable and
 *   imports serialised, the versions a run read are exactly those with id <= watermark not superseded by a version
 *   with id <= watermark; verify reloads them from it (older runs keep their explicit `booking_version_ids`).
 * - `payouts.payee_hash`: sha256 of one payee's result. A run's result hash is the sha256 of its payees' hashes in
 *   rep order, so any sharding of the payees gives the same hash.
 * - `payouts.lines_run_id`: the run whose payout_lines hold this payee's lines. An incremental recalculation copies
 *   an unchanged payee's payout row into the new run and points at the lines already stored (immutable) instead of
 *   copying them. NULL means the payout's own run. `run_lines` is every run's lines seen that way: readers use it.
 */
export class ShardedRuns1767744000000 implements MigrationInterface {
  name = 'ShardedRuns1767744000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calculation_runs ADD COLUMN committed boolean NOT NULL DEFAULT true, ADD COLUMN booking_watermark bigint NULL`);
    await q.query(`ALTER TABLE payouts ADD COLUMN payee_hash char(64) NULL, ADD COLUMN lines_run_id bigint NULL REFERENCES calculation_runs(id)`);
    await q.query(`
      CREATE VIEW run_lines AS
      SELECT p.run_id, p.rep_id, l.line_no, l.period, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount, l.amount_precise,
             l.description, l.trace
        FROM payouts p JOIN payout_lines l ON l.run_id = coalesce(p.lines_run_id, p.run_id) AND l.rep_id = p.rep_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW run_lines`);
    await q.query(`ALTER TABLE payouts DROP COLUMN payee_hash, DROP COLUMN lines_run_id`);
    await q.query(`ALTER TABLE calculation_runs DROP COLUMN committed, DROP COLUMN booking_watermark`);
  }
}
