import { RunVerifier } from '../../src/calculation/run-verifier';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { DemoGenerator } from '../../src/core/demo/generate-demo';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Recalculation after one booking changes touches only the payees credited on it and their managers; everyone
 * else's results are copied from the run it replaces. The proof that copying is right: verify recalculates each new
 * run in full (every payee, from its stored snapshot and booking watermark) and gets the same result hash.
 */
describe('incremental recalculation', () => {
  let t: TestApp;
  const actor = cliActor();
  const gen = new DemoGenerator({ payees: 40, bookings: 900, seed: 11 });
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.app.get(Db).query<T>(sql, params);
  const calc = () => t.app.get(CalculationService);

  beforeAll(async () => {
    t = await startTestApp();
    const files: [IntakeKind, Iterable<string>][] = [
      ['reps', gen.repRows()],
      ['assignments', gen.assignmentRows()],
      ['fx', gen.fxRows()],
      ['bookings', gen.bookingRows()],
    ];
    for (const [kind, rows] of files) await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, Buffer.from(`${[...rows].join('\n')}\n`), actor);
  }, 300_000);

  afterAll(async () => t?.close());

  it('recalculates only the changed booking’s payees and their managers, and each run verifies in full', async () => {
    const first = await calc().calculate('2026-06', actor);
    expect(first.map((r) => r.period)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const payees = first[5].payees;
    expect(first.every((r) => r.recalculated === 40)).toBe(true);

    // Unchanged facts: nothing is recalculated and the result is the same.
    const again = await calc().calculate('2026-06', actor);
    expect(again.map((r) => [r.period, r.recalculated, r.resultHash])).toEqual([['2026-06', 0, first[5].resultHash]]);
    const copied = await t.app.get(RunVerifier).recalculateRun(again[0].runId);
    expect(copied.resultHash).toBe(copied.storedResultHash);

    // One May booking of a rep with a manager changes amount (a new version of it).
    // The same rows as imported: a fresh generator with the same seed, read in the same order.
    const again2 = new DemoGenerator({ payees: 40, bookings: 900, seed: 11 });
    for (const rowsOf of [again2.repRows(), again2.assignmentRows(), again2.fxRows()]) [...rowsOf];
    const all = [...again2.bookingRows()];
    const header = all[0];
    const rows = all.slice(1).map((l) => l.split(','));
    const target = rows.find((c) => c[9].startsWith('2026-05') && c[10] === '' && rows.filter((d) => d[0] === c[0]).length === 1) as string[];
    const [rep] = await q<{ manager_id: string | null }>(`SELECT manager_id FROM reps WHERE rep_id = $1`, [target[1]]);
    const amended = [...target];
    amended[6] = `${amended[6].split('.')[0]}7.25`;
    await t.app.get(ImportsService).importFile('bookings', 'amend.csv', Buffer.from(`${header}\n${amended.join(',')}\n`), actor);

    // The booking's month first: June goes stale and follows, still only for those payees (their May results moved).
    const [may] = await calc().calculate('2026-05', actor);
    expect([may.period, may.recalculated]).toEqual(['2026-05', rep.manager_id ? 2 : 1]);
    const [june] = await calc().calculate('2026-06', actor);
    expect(june.period).toBe('2026-06');
    expect(june.payees).toBe(payees);
    expect(june.recalculated).toBe(rep.manager_id ? 2 : 1);
    expect(june.resultHash).not.toBe(first[5].resultHash);
    const lines = await calc().lines('2026-05', target[1]);
    expect(lines.filter((l) => l.bookingId === target[0] && l.kind === 'commission').length).toBeGreaterThan(0);

    for (const run of [may, june]) {
      const v = await t.app.get(RunVerifier).recalculateRun(run.runId);
      expect(v.resultHash).toBe(v.storedResultHash);
      expect(v.inputsHash).toBe(v.storedInputsHash);
    }
  }, 300_000);
});
