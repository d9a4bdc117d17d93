import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'intake');

/** `cli import <kind> <file>` as a separate process, on the embedded store or on PostgreSQL. */
describe('cli import', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const store = await freshStoreConfig();
      env = { DATABASE_URL: store.cfg.databaseUrl! };
      cleanup = store.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cli-import-'));
      env = { DATABASE_URL: '', DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => cleanup?.());

  const cli = (...args: string[]) => runCliProcess(args, env);

  it('imports, prints one summary line, and re-imports as a no-op', async () => {
    const reps = await cli('import', 'reps', path.join(FIXTURES, 'reps.csv'));
    expect(reps).toMatchObject({ code: 0, stdout: 'imported reps.csv: 6 rows: 6 reps, 6 created, 0 changed, 0 unchanged\n' });

    const bookings = await cli('import', 'bookings', path.join(FIXTURES, 'bookings.csv'));
    expect(bookings).toMatchObject({ code: 0, stdout: 'imported bookings.csv: 5 rows (one per credited payee): 4 bookings, 4 created, 0 changed, 0 unchanged\n' });

    const again = await cli('import', 'bookings', path.join(FIXTURES, 'bookings.csv'));
    expect(again).toMatchObject({ code: 0, stdout: 'imported bookings.csv: 5 rows (one per credited payee): 4 bookings, 0 created, 0 changed, 4 unchanged\n' });
  });

  it('prints every problem of a rejected file as "file:line column: message" and exits non-zero', async () => {
    const res = await cli('import', 'fx', path.join(FIXTURES, 'fx-bad.csv'));
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      [
        'error: fx-bad.csv rejected, nothing was imported: 3 errors on 3 lines',
        '  fx-bad.csv:2 rate: "0" must be greater than 0',
        '  fx-bad.csv:3 date: duplicate date+from_currency+to_currency "2026-04-30"/"EUR"/"USD" (first on line 2)',
        '  fx-bad.csv:4 date: "2026-04-31" is not a real calendar date',
        '',
      ].join('\n'),
    );
  });

  it('refuses an unknown kind', async () => {
    const res = await cli('import', 'commissions', path.join(FIXTURES, 'fx.csv'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/argument 'kind'.*Allowed choices are reps, assignments, bookings, fx, payroll/);
  });
});
