import { MigrationInterface, QueryRunner } from 'typeorm';
import { ID_PATTERN_SQL } from '../src/core/ids/identifier';

/**
 * Identifiers follow one rule (src/core/ids/identifier.ts), and the database holds to it too (issue 14, finding 8).
 * Every column that names a rep refers to reps(rep_id), so checking reps covers them all.
 *
 * The constraints are NOT VALID: they hold for every row written from now on, and a store that already holds an id
 * from before the rule keeps it (history is never rewritten; `ALTER TABLE … VALIDATE CONSTRAINT` checks the old rows
 * once they are known to be clean).
 */
const CHECKS: readonly (readonly [table: string, column: string])[] = [
  ['reps', 'rep_id'],
  ['plan_versions', 'plan_id'],
  ['plan_assignments', 'plan_id'],
  ['booking_versions', 'booking_id'],
  ['booking_versions', 'customer_id'],
  ['payroll_records', 'reference'],
];

const name = (table: string, column: string) => `${table}_${column}_is_id`;

export class Identifiers1768089600000 implements MigrationInterface {
  name = 'Identifiers1768089600000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of CHECKS) {
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name(table, column)} CHECK (${column} ~ '${ID_PATTERN_SQL}') NOT VALID`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of CHECKS) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name(table, column)}`);
  }
}
