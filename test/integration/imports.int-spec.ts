import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor } from '../../src/auth/actor';
import { CommissionError, CommissionErrorCode } from '../../src/core/errors/commission-error';
import { bookingContentHash } from '../../src/core/intake/booking-hash';
import { validateBookingsCsv } from '../../src/core/intake/booking-intake';
import { IntakeKind } from '../../src/core/intake/intake';
import { bookingImportChunks } from '../../src/imports/booking-import';
import { ImportsService, ImportSummary } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { startTestApp, TestApp } from '../support/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures', 'intake');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const ACTOR: Actor = { userId: null, role: 'finance', repId: null, label: 'test:finance' };

/** The intake service on a real store (PGlite or PostgreSQL): what each import writes, and what it does not. */
describe('CSV intake (service)', () => {
  let t: TestApp;
  let db: Db;
  let imports: ImportsService;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(Db);
    imports = t.app.get(ImportsService);
  });
  afterAll(async () => t?.close());

  const run = (kind: IntakeKind, name: string): Promise<ImportSummary> => imports.importFile(kind, name, fixture(name), ACTOR);
  const runText = (kind: IntakeKind, name: string, text: string): Promise<ImportSummary> => imports.importFile(kind, name, Buffer.from(text), ACTOR);

  async function rejection(kind: IntakeKind, name: string): Promise<CommissionError> {
    try {
      await run(kind, name);
    } catch (e) {
      if (e instanceof CommissionError) return e;
      throw e;
    }
    throw new Error(`${name} was imported; expected a rejection`);
  }

  /** Row counts of every table in the schema. */
  async function tableCounts(): Promise<Record<string, number>> {
    const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    const out: Record<string, number> = {};
    for (const { tablename } of tables) out[tablename] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${tablename}"`))[0].n;
    return out;
  }

  /** Runs `fn` and returns how the row count of each table changed (tables that did not change are left out). */
  async function growth(fn: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = await tableCounts();
    await fn();
    const after = await tableCounts();
    return Object.fromEntries(Object.keys(after).filter((k) => after[k] !== before[k]).map((k) => [k, after[k] - before[k]]));
  }

  /** The audit events an import wrote: its batch event, then one per created or changed entity. */
  async function auditOf(batchId: string) {
    const events = await db.query<{ action: string; entity_type: string; entity_id: string; before: unknown; after: unknown; actor: string }>(
      `SELECT action, entity_type, entity_id, before, after, actor FROM audit_events
        WHERE id >= (SELECT id FROM audit_events WHERE entity_type = 'import_batch' AND entity_id = $1)
        ORDER BY id`,
      [batchId],
    );
    const next = events.findIndex((e, i) => i > 0 && e.entity_type === 'import_batch');
    return next < 0 ? events : events.slice(0, next);
  }

  describe('reps', () => {
    it('creates every rep of the file, with managers listed after their reports, and records the batch', async () => {
      let summary!: ImportSummary;
      expect(await growth(async () => (summary = await run('reps', 'reps.csv')))).toEqual({ reps: 6, import_batches: 1, audit_events: 7 });
      expect(summary).toEqual({ kind: 'reps', file: 'reps.csv', rows: 6, created: 6, changed: 0, unchanged: 0, unit: 'reps', batchId: expect.any(String), text: '6 rows: 6 reps, 6 created, 0 changed, 0 unchanged' });

      expect(await db.query(`SELECT rep_id, name, email, manager_id, role, hire_date, termination_date, currency FROM reps ORDER BY rep_id`)).toEqual([
        { rep_id: 'M1', name: 'Mia Manager', email: 'mia@example.com', manager_id: null, role: 'Manager', hire_date: '2023-01-01', termination_date: null, currency: 'USD' },
        { rep_id: 'M2', name: 'Max', email: 'max@example.com', manager_id: null, role: 'Manager', hire_date: '2023-06-01', termination_date: null, currency: 'USD' },
        { rep_id: 'R1', name: 'Rob, Jr.', email: 'rob@example.com', manager_id: 'M1', role: 'AE', hire_date: '2024-03-01', termination_date: null, currency: 'USD' },
        { rep_id: 'R2', name: 'Ria', email: 'ria@example.com', manager_id: 'M1', role: 'Manager', hire_date: '2024-01-15', termination_date: null, currency: 'USD' },
        { rep_id: 'R3', name: 'Raj', email: 'raj@example.com', manager_id: 'R2', role: 'AE', hire_date: '2025-02-01', termination_date: null, currency: 'EUR' },
        { rep_id: 'R4', name: 'Rae', email: 'rae@example.com', manager_id: 'M2', role: 'AM', hire_date: '2024-09-01', termination_date: '2026-03-31', currency: 'USD' },
      ]);
      expect(await db.query(`SELECT id::text AS id, kind, file_name, sha256, row_count, created, changed, unchanged, actor FROM import_batches`)).toEqual([
        {
          id: summary.batchId,
          kind: 'reps',
          file_name: 'reps.csv',
          sha256: createHash('sha256').update(fixture('reps.csv')).digest('hex'),
          row_count: 6,
          created: 6,
          changed: 0,
          unchanged: 0,
          actor: 'test:finance',
        },
      ]);
      const audit = await auditOf(summary.batchId);
      expect(audit[0]).toEqual({
        action: 'import.reps',
        entity_type: 'import_batch',
        entity_id: summary.batchId,
        actor: 'test:finance',
        before: null,
        after: { ...summary, sha256: createHash('sha256').update(fixture('reps.csv')).digest('hex') },
      });
      expect(audit.slice(1).map((e) => [e.action, e.entity_id])).toEqual(['R3', 'M1', 'R1', 'R2', 'M2', 'R4'].map((r) => ['rep.create', r]));
      expect(audit[1].after).toEqual({
        repId: 'R3',
        name: 'Raj',
        email: 'raj@example.com',
        managerId: 'R2',
        role: 'AE',
        hireDate: '2025-02-01',
        terminationDate: null,
        currency: 'EUR',
      });
    });

    it('rejects a manager loop that runs through stored reps, writing nothing', async () => {
      let err!: CommissionError;
      expect(await growth(async () => (err = await rejection('reps', 'reps-loop.csv')))).toEqual({});
      expect(err.code).toBe(CommissionErrorCode.IMPORT_REJECTED);
      expect(err.details).toEqual([{ file: 'reps-loop.csv', line: 2, column: 'manager_id', message: 'managers form a loop: M1 → R3 → R2 → M1' }]);
    });

    it('rejects a file with a missing header column and bad rows, listing all of them, writing nothing', async () => {
      let err!: CommissionError;
      expect(await growth(async () => (err = await rejection('reps', 'reps-bad.csv')))).toEqual({});
      expect(err.message).toBe('reps-bad.csv rejected, nothing was imported: 3 errors on 2 lines');
      expect(err.details).toEqual([
        { file: 'reps-bad.csv', line: 1, column: 'email', message: 'required column is missing from the header' },
        { file: 'reps-bad.csv', line: 3, column: 'manager_id', message: 'manager "NOPE" is neither in this file nor in the database' },
        { file: 'reps-bad.csv', line: 3, column: 'currency', message: '"usd" is not an uppercase ISO 4217 currency code' },
      ]);
    });
  });

  describe('assignments', () => {
    it('creates assignments with exact amounts', async () => {
      expect(await growth(() => run('assignments', 'assignments.csv'))).toEqual({ plan_assignments: 5, import_batches: 1, audit_events: 6 });
      expect(
        await db.query(
          `SELECT rep_id, plan_id, start_date, end_date, annual_quota::text AS q, target_variable::text AS tv, base_salary::text AS bs
             FROM plan_assignments ORDER BY rep_id`,
        ),
      ).toEqual([
        { rep_id: 'M1', plan_id: 'mgr-2026', start_date: '2026-01-01', end_date: null, q: '5000000.000000', tv: '100000.000000', bs: '150000.000000' },
        { rep_id: 'R1', plan_id: 'ae-2026', start_date: '2026-01-01', end_date: null, q: '1200000.000000', tv: '60000.000000', bs: '90000.000000' },
        { rep_id: 'R2', plan_id: 'mgr-2026', start_date: '2026-01-01', end_date: null, q: '3000000.500000', tv: '80000.000000', bs: '120000.000000' },
        { rep_id: 'R3', plan_id: 'ae-2026', start_date: '2026-02-01', end_date: '2026-12-31', q: '600000.000000', tv: '30000.250000', bs: '70000.000000' },
        { rep_id: 'R4', plan_id: 'am-2026', start_date: '2026-01-01', end_date: '2026-03-31', q: '800000.000000', tv: '40000.000000', bs: '85000.000000' },
      ]);
    });

    it('rejects unknown reps, negative amounts, duplicate keys, bad dates and decimals, writing nothing', async () => {
      let err!: CommissionError;
      expect(await growth(async () => (err = await rejection('assignments', 'assignments-bad.csv')))).toEqual({});
      const f = 'assignments-bad.csv';
      expect(err.details).toEqual([
        { file: f, line: 3, column: 'rep_id', message: 'rep "NOBODY" is not in the database' },
        { file: f, line: 4, column: 'annual_quota', message: '"-1" must not be negative' },
        { file: f, line: 5, column: 'rep_id', message: 'duplicate rep_id+plan_id+start_date "R1"/"ae-2026"/"2027-01-01" (first on line 2)' },
        { file: f, line: 6, column: 'end_date', message: '"2026-12-31" is before start_date 2027-01-01' },
        { file: f, line: 6, column: 'base_salary', message: '"1 000" is not a plain decimal' },
        { file: f, line: 7, column: 'plan_id', message: 'plan "ae-9999" is not loaded (see plans/)' },
      ]);
    });

    it('updates a changed assignment in place with a before/after audit event; equal values by decimal value are unchanged', async () => {
      let summary!: ImportSummary;
      expect(await growth(async () => (summary = await run('assignments', 'assignments-changed.csv')))).toEqual({ import_batches: 1, audit_events: 2 });
      expect(summary).toMatchObject({ rows: 2, created: 0, changed: 1, unchanged: 1 });
      expect(await db.query(`SELECT annual_quota::text AS q FROM plan_assignments WHERE rep_id = 'R1'`)).toEqual([{ q: '1250000.000000' }]);
      const [, event] = await auditOf(summary.batchId);
      expect(event).toMatchObject({
        action: 'assignment.update',
        entity_type: 'plan_assignment',
        entity_id: 'R1|ae-2026|2026-01-01',
        before: { annualQuota: '1200000' },
        after: { annualQuota: '1250000' },
      });
    });
  });

  describe('bookings', () => {
    let first!: ImportSummary;

    it('creates one version per booking, with one credit row per split row', async () => {
      expect(await growth(async () => (first = await run('bookings', 'bookings.csv')))).toEqual({
        booking_versions: 4,
        booking_credits: 5,
        import_batches: 1,
        audit_events: 5,
      });
      expect(first).toMatchObject({ kind: 'bookings', rows: 5, created: 4, changed: 0, unchanged: 0 });
      expect(
        await db.query(
          `SELECT booking_id, version, customer_id, type, product, amount::text AS amount, currency, term_months, booked_date, cancelled_date,
                  import_id::text AS import_id, superseded_by
             FROM booking_versions ORDER BY booking_id`,
        ),
      ).toEqual([
        { booking_id: 'B-100', version: 1, customer_id: 'CUST-1', type: 'new', product: 'Platform', amount: '120000.000000', currency: 'USD', term_months: 24, booked_date: '2026-01-15', cancelled_date: null, import_id: first.batchId, superseded_by: null },
        { booking_id: 'B-101', version: 1, customer_id: 'CUST-2', type: 'expansion', product: 'Seats', amount: '9000.500000', currency: 'EUR', term_months: 12, booked_date: '2026-02-03', cancelled_date: null, import_id: first.batchId, superseded_by: null },
        { booking_id: 'B-102', version: 1, customer_id: 'CUST-3', type: 'renewal', product: 'Support', amount: '-1500.000000', currency: 'USD', term_months: 12, booked_date: '2026-02-10', cancelled_date: '2026-03-01', import_id: first.batchId, superseded_by: null },
        { booking_id: 'B-103', version: 1, customer_id: 'CUST-4', type: 'new', product: 'Platform', amount: '50000.000000', currency: 'USD', term_months: 12, booked_date: '2026-03-01', cancelled_date: null, import_id: first.batchId, superseded_by: null },
      ]);
      expect(await creditsOf('B-100')).toEqual([{ version: 1, rep_id: 'R1', split_pct: '60.000000' }, { version: 1, rep_id: 'R4', split_pct: '40.000000' }]);
    });

    it('rejects a bad file listing every bad row by line and column, writing nothing', async () => {
      let err!: CommissionError;
      expect(await growth(async () => (err = await rejection('bookings', 'bookings-bad.csv')))).toEqual({});
      const f = 'bookings-bad.csv';
      expect(err.message).toBe('bookings-bad.csv rejected, nothing was imported: 9 errors on 9 lines');
      expect(err.details).toEqual([
        { file: f, line: 3, column: 'amount', message: '"12,50" is not a plain decimal' },
        { file: f, line: 4, column: 'rep_id', message: 'rep "NOBODY" is not in the database' },
        { file: f, line: 5, column: 'split_pct', message: '"120" must be greater than 0 and at most 100' },
        { file: f, line: 6, column: 'booking_id', message: 'duplicate booking_id+rep_id "B-200"/"R1" (first on line 2)' },
        { file: f, line: 7, column: 'currency', message: '"XXX" is not an uppercase ISO 4217 currency code' },
        { file: f, line: 8, column: 'booked_date', message: '"2026-02-30" is not a real calendar date' },
        { file: f, line: 9, column: 'amount', message: 'required value is missing' },
        { file: f, line: 10, column: 'cancelled_date', message: '"2026-01-09" is before booked_date 2026-01-10' },
        { file: f, line: 12, column: 'amount', message: '"11" differs from line 11 ("10"); every row of booking "B-208" must have the same amount' },
      ]);
    });

    it('re-importing the same file creates no versions and no entity events, only the batch record', async () => {
      let again!: ImportSummary;
      expect(await growth(async () => (again = await run('bookings', 'bookings.csv')))).toEqual({ import_batches: 1, audit_events: 1 });
      expect(again).toMatchObject({ rows: 5, created: 0, changed: 0, unchanged: 4 });
      expect((await auditOf(again.batchId)).map((e) => e.action)).toEqual(['import.bookings']);
    });

    it('an amended booking (new amount, new splits) gets version 2; version 1 stays, superseded; absent bookings stay', async () => {
      let amended!: ImportSummary;
      expect(await growth(async () => (amended = await run('bookings', 'bookings-amended.csv')))).toEqual({
        booking_versions: 1,
        booking_credits: 2,
        import_batches: 1,
        audit_events: 2,
      });
      expect(amended).toMatchObject({ rows: 3, created: 0, changed: 1, unchanged: 1 });

      const versions = await db.query<{ id: string; version: number; amount: string; superseded_by: string | null; import_id: string }>(
        `SELECT id::text AS id, version, amount::text AS amount, superseded_by::text AS superseded_by, import_id::text AS import_id
           FROM booking_versions WHERE booking_id = 'B-100' ORDER BY version`,
      );
      expect(versions).toEqual([
        { id: expect.any(String), version: 1, amount: '120000.000000', superseded_by: versions[1].id, import_id: first.batchId },
        { id: expect.any(String), version: 2, amount: '125000.000000', superseded_by: null, import_id: amended.batchId },
      ]);
      expect(await creditsOf('B-100')).toEqual([
        { version: 1, rep_id: 'R1', split_pct: '60.000000' },
        { version: 1, rep_id: 'R4', split_pct: '40.000000' },
        { version: 2, rep_id: 'R1', split_pct: '50.000000' },
        { version: 2, rep_id: 'R2', split_pct: '50.000000' },
      ]);
      expect(await db.query(`SELECT booking_id, version FROM booking_versions WHERE superseded_by IS NULL ORDER BY booking_id`)).toEqual([
        { booking_id: 'B-100', version: 2 },
        { booking_id: 'B-101', version: 1 },
        { booking_id: 'B-102', version: 1 },
        { booking_id: 'B-103', version: 1 },
      ]);
      const [, event] = await auditOf(amended.batchId);
      expect(event).toEqual({
        action: 'booking.amend',
        entity_type: 'booking',
        entity_id: 'B-100',
        actor: 'test:finance',
        before: { versionId: versions[0].id, version: 1, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        after: { versionId: versions[1].id, version: 2, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });

      expect(await growth(() => run('bookings', 'bookings-amended.csv'))).toEqual({ import_batches: 1, audit_events: 1 });
    });

    const creditsOf = (bookingId: string) =>
      db.query(
        `SELECT v.version, c.rep_id, c.split_pct::text AS split_pct
           FROM booking_credits c JOIN booking_versions v ON v.id = c.booking_version_id
          WHERE v.booking_id = $1 ORDER BY v.version, c.rep_id`,
        [bookingId],
      );
  });

  describe('fx rates', () => {
    it('creates rates, then updates a changed rate with a before/after audit event', async () => {
      expect(await growth(() => run('fx', 'fx.csv'))).toEqual({ fx_rates: 3, import_batches: 1, audit_events: 4 });
      let updated!: ImportSummary;
      expect(await growth(async () => (updated = await run('fx', 'fx-updated.csv')))).toEqual({ fx_rates: 1, import_batches: 1, audit_events: 3 });
      expect(updated).toMatchObject({ rows: 4, created: 1, changed: 1, unchanged: 2 });
      expect(
        await db.query(`SELECT rate_date, from_currency, to_currency, rate::text AS rate, import_id::text AS import_id FROM fx_rates ORDER BY rate_date, from_currency`),
      ).toEqual([
        { rate_date: '2026-01-31', from_currency: 'EUR', to_currency: 'USD', rate: '1.084000000000', import_id: updated.batchId },
        { rate_date: '2026-01-31', from_currency: 'GBP', to_currency: 'USD', rate: '1.265000000000', import_id: expect.any(String) },
        { rate_date: '2026-02-28', from_currency: 'EUR', to_currency: 'USD', rate: '1.079100000000', import_id: expect.any(String) },
        { rate_date: '2026-03-31', from_currency: 'EUR', to_currency: 'USD', rate: '1.080000000000', import_id: updated.batchId },
      ]);
      const events = await auditOf(updated.batchId);
      expect(events.map((e) => [e.action, e.entity_id])).toEqual([
        ['import.fx', updated.batchId],
        ['fx_rate.create', '2026-03-31|EUR|USD'],
        ['fx_rate.update', '2026-01-31|EUR|USD'],
      ]);
      expect(events[2]).toMatchObject({
        before: { date: '2026-01-31', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0834' },
        after: { date: '2026-01-31', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.084' },
      });
    });

    it('rejects non-positive rates, duplicate keys and impossible dates, writing nothing', async () => {
      let err!: CommissionError;
      expect(await growth(async () => (err = await rejection('fx', 'fx-bad.csv')))).toEqual({});
      expect(err.details).toEqual([
        { file: 'fx-bad.csv', line: 2, column: 'rate', message: '"0" must be greater than 0' },
        { file: 'fx-bad.csv', line: 3, column: 'date', message: 'duplicate date+from_currency+to_currency "2026-04-30"/"EUR"/"USD" (first on line 2)' },
        { file: 'fx-bad.csv', line: 4, column: 'date', message: '"2026-04-31" is not a real calendar date' },
      ]);
    });
  });

  describe('re-import and in-place updates', () => {
    it('re-importing every original file is a no-op apart from the batch records', async () => {
      for (const [kind, name, rows] of [
        ['reps', 'reps.csv', 6],
        ['fx', 'fx-updated.csv', 4],
      ] as const) {
        let s!: ImportSummary;
        expect(await growth(async () => (s = await run(kind, name)))).toEqual({ import_batches: 1, audit_events: 1 });
        expect(s).toMatchObject({ rows, created: 0, changed: 0, unchanged: rows });
      }
    });

    it('a changed rep is updated in place; the audit event holds only the changed fields, before and after', async () => {
      let s!: ImportSummary;
      expect(await growth(async () => (s = await run('reps', 'reps-changed.csv')))).toEqual({ import_batches: 1, audit_events: 3 });
      expect(s).toMatchObject({ rows: 3, created: 0, changed: 2, unchanged: 1 });
      expect(await db.query(`SELECT rep_id, manager_id, termination_date FROM reps WHERE rep_id IN ('R3', 'R4') ORDER BY rep_id`)).toEqual([
        { rep_id: 'R3', manager_id: 'M1', termination_date: null },
        { rep_id: 'R4', manager_id: 'M2', termination_date: '2026-06-30' },
      ]);
      const events = await auditOf(s.batchId);
      expect(events.slice(1).map(({ action, entity_id, before, after }) => ({ action, entity_id, before, after }))).toEqual([
        { action: 'rep.update', entity_id: 'R3', before: { managerId: 'R2' }, after: { managerId: 'M1' } },
        { action: 'rep.update', entity_id: 'R4', before: { terminationDate: '2026-03-31' }, after: { terminationDate: '2026-06-30' } },
      ]);
    });
  });

  describe('bookings written in chunks, from column arrays', () => {
    const HEADER = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
    const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
    const chunks = { ...bookingImportChunks };
    afterEach(() => Object.assign(bookingImportChunks, chunks));

    const versionsOf = (prefix: string) =>
      db.query<{ id: string; booking_id: string; version: number; amount: string; content_hash: string; superseded_by: string | null }>(
        `SELECT id::text AS id, booking_id, version, amount::text AS amount, content_hash, superseded_by::text AS superseded_by
           FROM booking_versions v WHERE booking_id LIKE $1 ORDER BY v.id`,
        [`${prefix}%`],
      );

    it('keeps free text with quotes, backslashes, braces, commas, "NULL" and non-ASCII exactly, and hashes it as the records do', async () => {
      // Ids follow the identifier rule (no quotes or backslashes), but "NULL" is one; free text (the product) may hold anything but control characters.
      const repsCsv = 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency\nR:5.x,"Odd ""O"" \\ {5}",odd@example.com,,AE,2024-01-01,,USD\n';
      await runText('reps', 'odd-reps.csv', repsCsv);
      const text = csv(
        'T.1,R1,100,CUST_A,new,"Plat,form ""A"", \\ {x}",10.10,USD,,2026-01-15,',
        'T-2,R:5.x,50,NULL,renewal,{braces},-0.5,EUR,6,2026-02-01,2026-02-02',
        'T-2,R1,50,NULL,renewal,{braces},-0.50,EUR,6,2026-02-01,2026-02-02',
        'NULL,R1,100,C:1,expansion, ünï©ødé 😀 NULL ,0,GBP,12,2026-03-01,',
      );
      const summary = await runText('bookings', 'odd.csv', text);
      expect(summary).toMatchObject({ rows: 4, created: 3, changed: 0, unchanged: 0 });

      const stored = await db.query<{ booking_id: string; customer_id: string; product: string; amount: string; currency: string; term_months: number; cancelled_date: string | null; content_hash: string }>(
        `SELECT booking_id, customer_id, product, amount::text AS amount, currency, term_months, cancelled_date, content_hash
           FROM booking_versions v WHERE import_id = $1 ORDER BY v.id`,
        [summary.batchId],
      );
      expect(stored.map(({ content_hash, ...rest }) => rest)).toEqual([
        { booking_id: 'T.1', customer_id: 'CUST_A', product: 'Plat,form "A", \\ {x}', amount: '10.100000', currency: 'USD', term_months: 12, cancelled_date: null },
        { booking_id: 'T-2', customer_id: 'NULL', product: '{braces}', amount: '-0.500000', currency: 'EUR', term_months: 6, cancelled_date: '2026-02-02' },
        { booking_id: 'NULL', customer_id: 'C:1', product: ' ünï©ødé 😀 NULL ', amount: '0.000000', currency: 'GBP', term_months: 12, cancelled_date: null },
      ]);
      const [rep] = await db.query<{ name: string }>(`SELECT name FROM reps WHERE rep_id = 'R:5.x'`);
      expect(rep.name).toBe('Odd "O" \\ {5}');
      const records = validateBookingsCsv(text, 'odd.csv', { repExists: () => true }).records;
      expect(stored.map((r) => r.content_hash)).toEqual(records.map(bookingContentHash));
      expect(
        await db.query(
          `SELECT c.rep_id, c.split_pct::text AS split_pct FROM booking_credits c JOIN booking_versions v ON v.id = c.booking_version_id
            WHERE v.booking_id = 'T-2' ORDER BY c.rep_id`,
        ),
      ).toEqual([
        { rep_id: 'R1', split_pct: '50.000000' },
        { rep_id: 'R:5.x', split_pct: '50.000000' },
      ]);
      expect(await growth(() => runText('bookings', 'odd.csv', text))).toEqual({ import_batches: 1, audit_events: 1 });
    });

    it('across chunk boundaries: creates then amends in file order, each version with its credits and its audit event', async () => {
      Object.assign(bookingImportChunks, { compare: 3, write: 2 });
      const row = (id: string, rep: string, pct: string, amount: string) => `${id},${rep},${pct},CU,new,P,${amount},USD,,2026-01-10,`;
      const first = await runText(
        'bookings',
        'chunks-1.csv',
        csv(row('C-1', 'R1', '100', '10'), row('C-2', 'R1', '70', '20'), row('C-3', 'R2', '100', '30'), row('C-4', 'R3', '100', '40'), row('C-2', 'R2', '30', '20'), row('C-5', 'R1', '100', '50')),
      );
      expect(first).toMatchObject({ rows: 6, created: 5, changed: 0, unchanged: 0 });

      let second!: ImportSummary;
      const file = csv(
        row('C-3', 'R2', '100', '31'), // changed amount
        row('C-1', 'R1', '100', '10.00'), // unchanged
        row('C-6', 'R1', '100', '60'), // new
        row('C-2', 'R2', '30', '20'), // unchanged, its rows in another order
        row('C-5', 'R1', '50', '50'), // changed split...
        row('C-7', 'R3', '100', '70'), // new
        row('C-5', 'R4', '50', '50'), // ...and a new credit
        row('C-2', 'R1', '70', '20'),
        row('C-8', 'R4', '100', '80'), // new
      );
      expect(await growth(async () => (second = await runText('bookings', 'chunks-2.csv', file)))).toEqual({
        booking_versions: 5,
        booking_credits: 6,
        import_batches: 1,
        audit_events: 6,
      });
      expect(second).toMatchObject({ rows: 9, created: 3, changed: 2, unchanged: 2 });

      const versions = await versionsOf('C-');
      const current = (id: string) => versions.find((v) => v.booking_id === id && v.superseded_by === null)!;
      expect(versions.slice(5).map((v) => [v.booking_id, v.version, v.amount])).toEqual([
        ['C-6', 1, '60.000000'],
        ['C-7', 1, '70.000000'],
        ['C-8', 1, '80.000000'],
        ['C-3', 2, '31.000000'],
        ['C-5', 2, '50.000000'],
      ]);
      for (const id of ['C-3', 'C-5']) {
        const [v1, v2] = versions.filter((v) => v.booking_id === id);
        expect([v1.version, v1.superseded_by, v2.superseded_by]).toEqual([1, v2.id, null]);
      }
      expect(await db.query(`SELECT count(*)::int AS n FROM booking_versions WHERE booking_id LIKE 'C-%' AND superseded_by IS NULL`)).toEqual([{ n: 8 }]);
      expect(
        await db.query(
          `SELECT v.booking_id, c.rep_id, c.split_pct::text AS pct FROM booking_credits c JOIN booking_versions v ON v.id = c.booking_version_id
            WHERE v.import_id = $1 ORDER BY v.id, c.rep_id`,
          [second.batchId],
        ),
      ).toEqual([
        { booking_id: 'C-6', rep_id: 'R1', pct: '100.000000' },
        { booking_id: 'C-7', rep_id: 'R3', pct: '100.000000' },
        { booking_id: 'C-8', rep_id: 'R4', pct: '100.000000' },
        { booking_id: 'C-3', rep_id: 'R2', pct: '100.000000' },
        { booking_id: 'C-5', rep_id: 'R1', pct: '50.000000' },
        { booking_id: 'C-5', rep_id: 'R4', pct: '50.000000' },
      ]);

      const events = await auditOf(second.batchId);
      expect(events[0]).toMatchObject({ action: 'import.bookings', after: { created: 3, changed: 2, unchanged: 2 } });
      const ref = (id: string) => ({ versionId: current(id).id, version: current(id).version, contentHash: current(id).content_hash });
      expect(events.slice(1).map(({ action, entity_id, before, after }) => ({ action, entity_id, before, after }))).toEqual([
        { action: 'booking.create', entity_id: 'C-6', before: null, after: ref('C-6') },
        { action: 'booking.create', entity_id: 'C-7', before: null, after: ref('C-7') },
        { action: 'booking.create', entity_id: 'C-8', before: null, after: ref('C-8') },
        ...['C-3', 'C-5'].map((id) => {
          const old = versions.find((v) => v.booking_id === id && v.version === 1)!;
          return { action: 'booking.amend', entity_id: id, before: { versionId: old.id, version: 1, contentHash: old.content_hash }, after: ref(id) };
        }),
      ]);
      expect(events.every((e) => e.actor === 'test:finance')).toBe(true);

      let again!: ImportSummary;
      expect(await growth(async () => (again = await runText('bookings', 'chunks-2.csv', file)))).toEqual({ import_batches: 1, audit_events: 1 });
      expect(again).toMatchObject({ created: 0, changed: 0, unchanged: 7 });
    });
  });

  describe('payments, objective results and payroll', () => {
    const events = async (batchId: string) => (await auditOf(batchId)).slice(1).map(({ action, entity_type, entity_id, before, after }) => ({ action, entity_type, entity_id, before, after }));

    it('creates payments, then updates a changed one in place with every field before and after; equal by value is unchanged', async () => {
      const header = 'payment_id,booking_id,amount,currency,paid_date,kind';
      let first!: ImportSummary;
      const created = [header, 'PY-1,B-100,100.50,USD,2026-02-10,payment', 'PY-2,B-101,5,EUR,2026-02-11,refund'].join('\n');
      expect(await growth(async () => (first = await runText('payments', 'payments.csv', created)))).toEqual({ payments: 2, import_batches: 1, audit_events: 3 });
      expect(first).toMatchObject({ rows: 2, created: 2, changed: 0, unchanged: 0 });
      expect(await events(first.batchId)).toEqual([
        { action: 'payment.create', entity_type: 'payment', entity_id: 'PY-1', before: null, after: { paymentId: 'PY-1', bookingId: 'B-100', amount: '100.5', currency: 'USD', paidDate: '2026-02-10', kind: 'payment' } },
        { action: 'payment.create', entity_type: 'payment', entity_id: 'PY-2', before: null, after: { paymentId: 'PY-2', bookingId: 'B-101', amount: '5', currency: 'EUR', paidDate: '2026-02-11', kind: 'refund' } },
      ]);

      let second!: ImportSummary;
      const changed = [header, 'PY-1,B-100,100.500,USD,2026-02-10,payment', 'PY-2,B-101,6,EUR,2026-02-11,refund'].join('\n');
      expect(await growth(async () => (second = await runText('payments', 'payments-2.csv', changed)))).toEqual({ import_batches: 1, audit_events: 2 });
      expect(second).toMatchObject({ created: 0, changed: 1, unchanged: 1 });
      expect(await events(second.batchId)).toEqual([
        {
          action: 'payment.update',
          entity_type: 'payment',
          entity_id: 'PY-2',
          before: { paymentId: 'PY-2', bookingId: 'B-101', amount: '5', currency: 'EUR', paidDate: '2026-02-11', kind: 'refund' },
          after: { paymentId: 'PY-2', bookingId: 'B-101', amount: '6', currency: 'EUR', paidDate: '2026-02-11', kind: 'refund' },
        },
      ]);
      expect(await db.query(`SELECT payment_id, amount::text AS amount, import_id::text AS import_id FROM payments ORDER BY payment_id`)).toEqual([
        { payment_id: 'PY-1', amount: '100.500000', import_id: first.batchId },
        { payment_id: 'PY-2', amount: '6.000000', import_id: second.batchId },
      ]);
    });

    it('rejects payments of unknown bookings or in another currency, naming line and column, writing nothing', async () => {
      const file = ['payment_id,booking_id,amount,currency,paid_date,kind', 'PY-3,NOPE,1,USD,2026-02-10,payment', 'PY-4,B-100,1,EUR,2026-02-10,payment'].join('\n');
      let error: unknown;
      expect(await growth(() => runText('payments', 'bad-payments.csv', file).catch((e) => (error = e)))).toEqual({});
      expect(error).toMatchObject({
        code: CommissionErrorCode.IMPORT_REJECTED,
        details: [
          { file: 'bad-payments.csv', line: 2, column: 'booking_id', message: 'unknown booking "NOPE"' },
          { file: 'bad-payments.csv', line: 3, column: 'currency', message: '"EUR" is not the currency of booking B-100 (USD)' },
        ],
      });
    });

    it('creates and updates objective results by rep, objective and window', async () => {
      const header = 'rep_id,objective_id,window,score';
      const first = await runText('objectives', 'objectives.csv', [header, 'R1,pipeline,2026-Q1,1', 'R2,pipeline,2026-Q1,0.5'].join('\n'));
      expect(first).toMatchObject({ created: 2, changed: 0, unchanged: 0 });
      const second = await runText('objectives', 'objectives-2.csv', [header, 'R1,pipeline,2026-Q1,1.0', 'R2,pipeline,2026-Q1,0.75'].join('\n'));
      expect(second).toMatchObject({ created: 0, changed: 1, unchanged: 1 });
      expect(await events(second.batchId)).toEqual([
        {
          action: 'objective_result.update',
          entity_type: 'objective_result',
          entity_id: 'R2|pipeline|2026-Q1',
          before: { repId: 'R2', objectiveId: 'pipeline', window: '2026-Q1', score: '0.5' },
          after: { repId: 'R2', objectiveId: 'pipeline', window: '2026-Q1', score: '0.75' },
        },
      ]);
    });

    it('payroll replaces a changed period whole (the old records kept, superseded); an unchanged period is left alone', async () => {
      const header = 'rep_id,period,currency,amount,paid_date,reference';
      const jan = ['R1,2026-01,USD,1000.5,2026-01-31,PR-1', 'R2,2026-01,USD,800,2026-01-31,PR-2'];
      let first!: ImportSummary;
      expect(await growth(async () => (first = await runText('payroll', 'payroll.csv', [header, ...jan].join('\n'))))).toEqual({ payroll_records: 2, import_batches: 1, audit_events: 2 });
      expect(first).toMatchObject({ rows: 2, created: 2, changed: 0, unchanged: 0 });
      expect(first.superseded).toBeUndefined();
      expect(await events(first.batchId)).toEqual([
        { action: 'payroll.replace', entity_type: 'payroll_period', entity_id: '2026-01', before: { records: 0 }, after: { records: 2, importId: first.batchId } },
      ]);
      expect(await db.query(`SELECT reference, amount::text AS amount FROM payroll_records ORDER BY reference`)).toEqual([
        { reference: 'PR-1', amount: '1000.50' },
        { reference: 'PR-2', amount: '800.00' },
      ]);

      expect(await growth(() => runText('payroll', 'payroll-again.csv', [header, ...jan].join('\n')))).toEqual({ import_batches: 1, audit_events: 1 });

      let second!: ImportSummary;
      const file = [header, jan[0], 'R2,2026-01,USD,850,2026-01-31,PR-2', 'R1,2026-02,USD,10,2026-02-28,PR-3'].join('\n');
      expect(await growth(async () => (second = await runText('payroll', 'payroll-2.csv', file)))).toEqual({ payroll_records: 3, import_batches: 1, audit_events: 3 });
      expect(second).toMatchObject({ rows: 3, created: 3, changed: 0, unchanged: 0, superseded: 2 });
      expect(await events(second.batchId)).toEqual([
        { action: 'payroll.replace', entity_type: 'payroll_period', entity_id: '2026-01', before: { records: 2 }, after: { records: 2, importId: second.batchId } },
        { action: 'payroll.replace', entity_type: 'payroll_period', entity_id: '2026-02', before: { records: 0 }, after: { records: 1, importId: second.batchId } },
      ]);
      expect(await db.query(`SELECT count(*)::int AS n FROM payroll_records WHERE superseded_by_import = $1`, [second.batchId])).toEqual([{ n: 2 }]);
    });
  });
});
