import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { hashFigures, HASH_VERSION } from '../../src/core/calculation/result-hash';
import { LINE_WORDS } from '../../src/core/explain/line-words';
import { IntakeKind } from '../../src/core/intake/intake';
import { Decimal, ZERO } from '../../src/core/money/decimal';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The trace is a contract and words are not: a closed period still verifies after every description template is
 * reworded, the stored rows re-hash to their payee hashes, the cause is a column, and runs hashed before traces were
 * typed (version 1) verify by their figures. Demo data.
 */
describe('trace contract: hash over figures and structured traces, never wording', () => {
  let t: TestApp;
  let ds: DataSource;
  const actor = cliActor();

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(Db).dataSource;
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), actor);
    }
    await t.app.get(PeriodsService).close('2026-01', actor);
  });
  afterAll(async () => t?.close());

  it('new runs are hashed with version 2 and their lines are described in words', async () => {
    const runs = await ds.query(`SELECT DISTINCT hash_version FROM calculation_runs WHERE committed`);
    expect(runs.map((r: { hash_version: number }) => Number(r.hash_version))).toEqual([HASH_VERSION]);
    const [{ described }] = await ds.query(`SELECT count(*)::int AS described FROM payout_lines WHERE period = '2026-01' AND description <> ''`);
    expect(described).toBeGreaterThan(0);
  });

  it('every stored payee re-hashes from its stored rows to the payee hash it was closed with', async () => {
    const payouts = await ds.query(
      `SELECT p.rep_id, p.currency, p.earned_to_date::text AS etd, p.earned::text AS earned, p.draw::text AS draw, p.payout::text AS payout, p.balance::text AS balance, p.payee_hash
         FROM payouts p JOIN calculation_runs r ON r.id = p.run_id WHERE r.period = '2026-01' AND r.superseded_by IS NULL ORDER BY p.rep_id`,
    );
    expect(payouts.length).toBe(3);
    for (const p of payouts) {
      const lines = await ds.query(
        `SELECT kind, component_key, ref, booking_id, origin_period, cause, amount::text AS amount, amount_precise::text AS precise, trace
           FROM run_lines l JOIN calculation_runs r ON r.id = l.run_id WHERE r.period = '2026-01' AND r.superseded_by IS NULL AND l.rep_id = $1 ORDER BY line_no`,
        [p.rep_id],
      );
      const adjustments = lines.filter((l: { kind: string }) => l.kind === 'adjustment').reduce((s: Decimal, l: { amount: string }) => s.plus(l.amount), ZERO);
      const rehashed = hashFigures({
        repId: p.rep_id,
        currency: p.currency.trim(),
        earnedToDate: new Decimal(p.etd).toFixed(2),
        earned: new Decimal(p.earned).toFixed(2),
        adjustments: adjustments.toFixed(2),
        draw: new Decimal(p.draw).toFixed(2),
        payout: new Decimal(p.payout).toFixed(2),
        balance: new Decimal(p.balance).toFixed(2),
        lines: lines.map((l: Record<string, string | null>) => ({
          kind: l.kind as string,
          componentKey: l.component_key,
          ref: l.ref,
          bookingId: l.booking_id,
          originPeriod: l.origin_period === null ? null : l.origin_period.trim(),
          cause: l.cause,
          amount: new Decimal(l.amount as string).toFixed(2),
          amountPrecise: new Decimal(l.precise as string).toFixed(),
          trace: l.trace,
        })),
      });
      expect([p.rep_id, rehashed]).toEqual([p.rep_id, p.payee_hash.trim()]);
    }
  });

  it('a closed period verifies as MATCH after every description template is reworded', async () => {
    const saved = { ...LINE_WORDS };
    try {
      for (const k of Object.keys(LINE_WORDS)) (LINE_WORDS as Record<string, unknown>)[k] = () => `reworded ${k}`;
      const v = await t.app.get(PeriodsService).verify('2026-01');
      expect(v).toMatchObject({ matches: true, method: 'result hash' });
      expect(v.resultHash).toBe(v.storedResultHash);
      // a new calculation writes the new words (the hash does not see them)
      const [run] = await t.app.get(CalculationService).calculate('2026-02', actor);
      const [{ words }] = await ds.query(`SELECT min(description) AS words FROM payout_lines WHERE run_id = $1 AND kind = 'commission'`, [run.runId]);
      expect(words).toBe('reworded commission');
    } finally {
      Object.assign(LINE_WORDS, saved);
    }
  });

  it('the API serves each line with its explanation from the same wording module', async () => {
    const lines = await t.app.get(CalculationService).lines('2026-01', 'A1');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.explanation).toEqual(expect.any(String));
    expect(lines[0].explanation).toMatch(/^booking \S+ v1 \(/);
  });

  it('a run hashed with version 1 (before traces were typed) verifies by its figures', async () => {
    // 2026-02 as calculated above; marked as if hashed by the old engine, then closed
    await t.app.get(CalculationService).calculate('2026-02', actor);
    await ds.query(`UPDATE calculation_runs SET hash_version = 1 WHERE period = '2026-02' AND superseded_by IS NULL`);
    await t.app.get(PeriodsService).close('2026-02', actor);
    const v = await t.app.get(PeriodsService).verify('2026-02');
    expect(v).toMatchObject({ matches: true, method: 'figures' });
  });
});
