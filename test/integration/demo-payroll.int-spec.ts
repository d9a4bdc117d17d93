import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { demoPayouts } from '../../src/core/demo/demo-payouts';
import { demoPayroll, PAYROLL_ERROR_KINDS, PAYROLL_ERRORS_HEADER, payrollCsvLines, payrollErrorCsvLines } from '../../src/core/demo/demo-payroll';
import { IntakeKind } from '../../src/core/intake/intake';
import { Decimal } from '../../src/core/money/decimal';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { runCliProcess } from '../support/cli-process';
import { GOLDEN_PLANS } from '../support/core-builders';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `demo generate` writes payroll.csv (what payroll paid for January..March, computed in process by the pure core)
 * and payroll-errors.csv (the injected errors). Through the real engine: import the data set, close the three months,
 * import payroll.csv; the reconciliation finds exactly the errors of the manifest and matches everyone else.
 */
describe('demo payroll through import, close and reconciliation', () => {
  const PERIODS = ['2026-01', '2026-02', '2026-03'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-demo-payroll-'));
  const actor = cliActor();
  let t: TestApp;
  let stdout = '';
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const manifest = () =>
    read('payroll-errors.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [period, repId, kind, status, computedCurrency, computed, paidCurrency, paid, difference, reference] = l.split(',').map((v) => (v === '' ? null : v));
        return { period, repId, kind, status, computedCurrency, computed, paidCurrency, paid, difference, reference };
      });

  beforeAll(async () => {
    const gen = await runCliProcess(['demo', 'generate', '--payees', '40', '--bookings', '500', '--seed', '11', '--out', dir], {});
    expect({ code: gen.code, stderr: gen.code ? gen.stderr : '' }).toEqual({ code: 0, stderr: '' });
    stdout = gen.stdout;
    t = await startTestApp();
    const imports = t.app.get(ImportsService);
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imports.importFile(kind, `${kind}.csv`, fs.readFileSync(path.join(dir, `${kind}.csv`)), actor);
    for (const p of PERIODS) await t.app.get(PeriodsService).close(p, actor);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes payroll.csv and its manifest, byte for byte what the pure functions give for the seed, every kind of error among them', async () => {
    expect(fs.readdirSync(dir).sort()).toEqual(['assignments.csv', 'bookings.csv', 'fx.csv', 'payroll-errors.csv', 'payroll.csv', 'reps.csv']);
    const { payouts, payees } = await demoPayouts({ payees: 40, bookings: 500, seed: 11 }, GOLDEN_PLANS(), 3);
    const payroll = demoPayroll(payouts, payees, 11);
    expect(read('payroll.csv')).toBe(`${[...payrollCsvLines(payroll.rows)].join('\n')}\n`);
    expect(read('payroll-errors.csv')).toBe(`${[...payrollErrorCsvLines(payroll.errors)].join('\n')}\n`);
    expect(read('payroll-errors.csv').split('\n')[0]).toBe(PAYROLL_ERRORS_HEADER);
    expect(new Set(manifest().map((e) => e.kind))).toEqual(new Set(PAYROLL_ERROR_KINDS));
    expect(stdout).toContain(`payroll.csv ${payroll.rows.length}, payroll-errors.csv ${payroll.errors.length} rows (seed 11); payroll 2026-01..2026-03 with ${payroll.errors.length} injected errors`);
  });

  it('the payouts calculated in process are the payouts the engine closed', async () => {
    const closed = await Promise.all(PERIODS.map((p) => t.app.get(PeriodsService).exportRows(p)));
    const paid = read('payroll.csv').trim().split('\n').slice(1).map((l) => l.split(','));
    const errors = manifest();
    for (const [i, period] of PERIODS.entries()) {
      // every payee of the export is paid exactly, unless the manifest says otherwise
      for (const row of closed[i]) {
        const e = errors.find((x) => x.period === period && x.repId === row.repId);
        const exact = paid.find((r) => r[0] === row.repId && r[1] === period && r[5] === row.reference);
        if (!e || e.kind === 'duplicate' || e.kind === 'unexpected') expect([row.repId, exact?.[2], exact?.[3]]).toEqual([row.repId, row.currency, new Decimal(row.amount).toFixed(2)]);
        else expect(e.computed).toBe(new Decimal(row.amount).toFixed(2));
      }
    }
  });

  it('imports payroll.csv, and the reconciliation finds exactly the injected errors and matches everyone else', async () => {
    const rows = read('payroll.csv').trim().split('\n').length - 1;
    expect(await t.app.get(ImportsService).importFile('payroll', 'payroll.csv', fs.readFileSync(path.join(dir, 'payroll.csv')), actor)).toMatchObject({ rows, created: rows });
    const errors = manifest();
    for (const period of PERIODS) {
      const r = await t.app.get(ReconciliationService).reconcile(period);
      const expected = errors.filter((e) => e.period === period);
      const sorted = (xs: (string | null)[][]) => [...xs].sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
      // A duplicate is two rows: the payee paid twice (its error: the second amount) and the second record,
      // unexpected. A payment in the wrong currency pays nothing in the payout's currency.
      const rowsOf = (e: (typeof expected)[number]): (string | null)[][] =>
        e.kind === 'duplicate'
          ? [
              [e.repId, 'mismatched', e.computed, e.computedCurrency, new Decimal(e.computed as string).times(2).toFixed(2), e.computed, (e.reference as string).replace(/-2$/, '')],
              [e.repId, 'unexpected', null, e.paidCurrency, e.paid, null, e.reference],
            ]
          : e.kind === 'wrong_currency'
            ? [[e.repId, 'mismatched', e.computed, e.computedCurrency, '0.00', null, e.reference]]
            : [[e.repId, e.status, e.status === 'unexpected' ? null : e.computed, e.status === 'unexpected' ? e.paidCurrency : e.computedCurrency, e.paid, e.difference, e.reference]];
      expect(sorted(r.errors.map((e) => [e.repId, e.status, e.computed, e.currency, e.paid, e.difference, e.reference]))).toEqual(sorted(expected.flatMap(rowsOf)));
      expect(r.rows.filter((x) => !r.errors.includes(x)).every((x) => x.status === 'matched' && x.errorFree && x.paid === x.computed)).toBe(true);
      const closed = (await t.app.get(PeriodsService).exportRows(period)).length;
      const duplicates = expected.filter((e) => e.kind === 'duplicate').length;
      expect(r.counts).toEqual({
        matched: closed - duplicates - expected.filter((e) => e.status === 'mismatched' || e.status === 'missing').length,
        mismatched: duplicates + expected.filter((e) => e.status === 'mismatched').length,
        missing: expected.filter((e) => e.status === 'missing').length,
        unexpected: expected.filter((e) => e.status === 'unexpected').length,
      });
      const total = closed + r.counts.unexpected;
      // every injected error is one payee or record in error; a duplicate is two (the payee and the second record)
      expect(r.accuracy).toMatchObject({ totalPayouts: total, errorFreePayouts: total - expected.length - duplicates });
    }
  });
});
