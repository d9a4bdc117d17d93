import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCliProcess } from '../support/cli-process';

/**
 * A plan author's way with the CLI alone, on the embedded store, without a token: write a plan, validate it (warned
 * about what cannot pay; paths as typed), import a few bookings, read every payout and line with its trace.
 */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('a plan author at the CLI', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-author-'));
  const work = path.join(root, 'work');
  const env = { DATABASE_URL: '', DATA_DIR: path.join(root, 'store'), PLANS_DIR: path.join(REPO_ROOT, 'plans') };
  const cli = (args: string[]) => runCliProcess(args, env, 240_000, work);
  beforeAll(() => {
    fs.mkdirSync(work);
    fs.mkdirSync(path.join(root, 'authored'));
    // the plan of test/core/plan-warnings.spec.ts: its crediting credits renewals, its SPIF wants new deals
    fs.copyFileSync(path.join(REPO_ROOT, 'test/fixtures/authored/spif-only.json'), path.join(root, 'authored', 'spif-only.json'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('validate warns, with the JSON path and the path as typed, that a SPIF can never pay; --strict refuses it', async () => {
    const warned = await cli(['plans', 'validate', '../authored']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^ok {4}\.\.\/authored\/spif-only\.json \(spif-only v1, [0-9a-f]{12}\)\n/);
    expect(warned.stdout).toContain('warn  ../authored/spif-only.json: components[0].conditions: no booking can meet these conditions and be credited');
    const strict = await cli(['plans', 'validate', '../authored/spif-only.json', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('error ../authored/spif-only.json: components[0].conditions:');
    expect(strict.stderr).toBe('error: 1 of 1 plan file(s) invalid (--strict: warnings count)\n');
  });

  it('reads every payout of a range, and every line with its trace, window quota and attainment, from the CLI', async () => {
    for (const kind of ['reps', 'assignments', 'fx', 'bookings']) expect((await cli(['import', kind, path.join(REPO_ROOT, 'demo', `${kind}.csv`)])).code).toBe(0);
    expect((await cli(['calc', '--period', '2026-03'])).code).toBe(0);
    const payouts = await cli(['payouts', '--from', '2026-01', '--to', '2026-03']);
    expect(payouts.stderr).toBe('');
    const rows = payouts.stdout.trim().split('\n');
    expect(rows[0]).toBe('rep_id,period,currency,earned,payout,balance,draw,earned_to_date');
    // the demo's figures (demo-seed.int-spec.ts and reconciliation.int-spec.ts check them by hand)
    expect(rows).toContain('A1,2026-01,USD,6500.00,6500.00,0.00,0.00,6500.00');
    expect(rows).toContain('G1,2026-01,EUR,2160.00,2160.00,0.00,0.00,2160.00');
    expect(rows.filter((r) => r.startsWith('N1,'))).toEqual(['N1,2026-02,USD,0.00,2000.00,2000.00,2000.00,0.00', 'N1,2026-03,USD,5000.00,3000.00,0.00,2000.00,5000.00']);

    const lines = await cli(['lines', '--period', '2026-03', '--rep', 'N1']);
    expect(lines.stderr).toBe('');
    const text = lines.stdout;
    expect(text).toMatch(/^N1 2026-03 \(USD\): earned 5000\.00, payout 3000\.00, balance 0\.00, draw 2000\.00 \(run \d+\)\n/);
    // N1's year window: the year's ramped, prorated quota 936,607.14 (plan-document.spec.ts adds it up by hand);
    // credit 100,000: 10.68%, all in the first band at 0.5 × V/Q = 0.05: 5,000.00
    expect(text).toContain('  window ae-2026@v1:quota-commission:2026 (2026-01-01..2026-12-31): credit 100000.00, quota 936607.14, attainment 10.68%, commission 5000.00 USD\n');
    expect(text).toContain("tier 1 (below 50%): 100,000.00 USD at 5%");
    const csv = await cli(['lines', '--period', '2026-03', '--rep', 'N1', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('rep_id,period,line_no,kind,component_key,ref,amount,currency,description,explanation');
  });
});
