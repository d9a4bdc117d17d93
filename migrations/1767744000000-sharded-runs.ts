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
 */
export class ShardedRuns1767744000000 implements MigrationInterface {
  name = 'ShardedRuns1767744000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calculation_runs ADD COLUMN committed boolean NOT NULL DEFAULT true, ADD COLUMN booking_watermark bigint NULL`);
    await q.query(`ALTER TABLE payouts ADD COLUMN payee_hash char(64) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payouts DROP COLUMN payee_hash`);
    await q.query(`ALTER TABLE calculation_runs DROP COLUMN committed, DROP COLUMN booking_watermark`);
  }
}
