import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `text` instead of `char(n)` (issue 20). `char(n)` pads a shorter value with spaces, so readers trimmed what they read
 * (seven `.trim()`s) and a cast to `char(7)` crept into queries; PostgreSQL's own advice is to use `text` with a CHECK.
 * Every `char(n)` column of the schema becomes `text`, and what the fixed width stood for becomes a CHECK on the
 * shape: a period is YYYY-MM, a currency three capital letters, a hash 64 lowercase hex digits. The CHECKs are added
 * NOT VALID: they hold for every row written from now on without failing this migration on a row an older version
 * wrote (every writer already produced these shapes). The `run_lines` view reads two of the columns, so it is
 * recreated around the change, with its grant.
 */
const SHAPES: Record<string, string> = {
  period: `^\\d{4}-(0[1-9]|1[0-2])$`,
  origin_period: `^\\d{4}-(0[1-9]|1[0-2])$`,
  currency: `^[A-Z]{3}$`,
  from_currency: `^[A-Z]{3}$`,
  to_currency: `^[A-Z]{3}$`,
  content_hash: `^[0-9a-f]{64}$`,
  sha256: `^[0-9a-f]{64}$`,
  token_hash: `^[0-9a-f]{64}$`,
  inputs_hash: `^[0-9a-f]{64}$`,
  result_hash: `^[0-9a-f]{64}$`,
  payee_hash: `^[0-9a-f]{64}$`,
};

export class TextNotChar1768608000000 implements MigrationInterface {
  name = 'TextNotChar1768608000000';

  async up(q: QueryRunner): Promise<void> {
    const columns: { table_name: string; column_name: string }[] = await q.query(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.data_type = 'character' ORDER BY 1, 2`,
    );
    const [{ def }] = await q.query(`SELECT pg_get_viewdef('run_lines'::regclass) AS def`);
    await q.query(`DROP VIEW run_lines`);
    const byTable = new Map<string, string[]>();
    for (const c of columns) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
    for (const [table, cols] of byTable) {
      await q.query(`ALTER TABLE ${table} ${cols.map((c) => `ALTER COLUMN ${c} TYPE text`).join(', ')}`);
      for (const c of cols) {
        const shape = SHAPES[c];
        if (!shape) throw new Error(`migration TextNotChar: no shape known for ${table}.${c}; add one`);
        await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${c}_shape CHECK (${c} ~ '${shape}') NOT VALID`);
      }
    }
    await q.query(`CREATE VIEW run_lines AS ${def}`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'commission_app') THEN
        -- as migration 1768262400000 left it: read only (the default privileges would add INSERT to a new view)
        REVOKE ALL ON run_lines FROM commission_app;
        GRANT SELECT ON run_lines TO commission_app;
      END IF;
    END $$`);
  }

  async down(): Promise<void> {
    throw new Error('TextNotChar1768608000000 is not reversible: char(n) would pad what text holds');
  }
}
