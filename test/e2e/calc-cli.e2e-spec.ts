import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

/**
 * The finance path end to end, through the real CLI in separate processes: import the demo files, calculate March
 * (January and February are calculated first), print payouts. Runs on the embedded store (a temp DATA_DIR) or on a
 * throwaway PostgreSQL database when DATABASE_URL is set. Every figure was worked out by hand (see the core specs).
 */
describe('import -> calc -> payouts (CLI)', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-calc-'));
    if (process.env.DATABASE_URL) {
      const store = await freshStoreConfig();
      env = { DATABASE_URL: store.cfg.databaseUrl as string };
      drop = store.drop;
    } else {
      env = { DATABASE_URL: '', DATA_DIR: dir };
      drop = async () => undefined;
    }
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const r = await runCliProcess(args, env);
    if (r.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  it('imports the demo data, calculates 2026-03 and prints exact payouts', async () => {
    for (const kind of ['reps', 'assignments', 'fx', 'bookings']) await cli('import', kind, `demo/${kind}.csv`);
    const calc = await cli('calc', '--period', '2026-03');
    expect(calc).toMatch(/^2026-01: run \d+, 3 payees, payouts 2160.00 EUR \+ 6500.00 USD,/m); // N1 is hired in February
    expect(calc).toMatch(/^2026-03: run \d+, 4 payees, payouts 0.00 EUR \+ 5300.00 USD,/m);

    expect(await cli('payouts', '--period', '2026-03', '--format', 'csv')).toBe(
      [
        'rep_id,period,currency,earned,payout,balance,draw,earned_to_date',
        'A1,2026-03,USD,-10500.00,0.00,10500.00,0.00,32000.00',
        'G1,2026-03,EUR,-204.00,0.00,204.00,0.00,10461.00',
        'M1,2026-03,USD,2300.00,2300.00,0.00,0.00,4400.00',
        'N1,2026-03,USD,5000.00,3000.00,0.00,2000.00,5000.00',
        '',
      ].join('\n'),
    );
    const feb = JSON.parse(await cli('payouts', '--period', '2026-02', '--format', 'json'));
    expect(feb.map((r: { rep_id: string; payout: string }) => [r.rep_id, r.payout])).toEqual([
      ['A1', '36000.00'],
      ['G1', '8505.00'],
      ['M1', '2100.00'],
      ['N1', '2000.00'],
    ]);
  });

  it('recalculating an unchanged period reproduces the same result hash', async () => {
    const first = await cli('calc', '--period', '2026-03');
    const again = await cli('calc', '--period', '2026-03');
    const hash = (s: string) => /2026-03: .* result (\w+)/.exec(s)?.[1];
    expect(hash(again)).toBe(hash(first));
  });

  it('rejects a bad period with a one-line error and a non-zero exit', async () => {
    const r = await runCliProcess(['calc', '--period', '2026-13'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: period must be YYYY-MM, got "2026-13"');
  });
});
