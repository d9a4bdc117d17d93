import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { CalculationService, RunSummary } from '../../src/calculation/calculation.service';
import { ComputePool } from '../../src/calculation/compute-pool';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Shards computed on worker threads (CALC_THREADS) give exactly what the main thread computes: the demo data in
 * one-payee shards (so several shards are read, computed and written in a pipeline), January to June, every
 * period's result hash and total compared with a calculation on the main thread alone.
 */
describe('calculation threads', () => {
  const actor = cliActor();

  async function calculate(threads: number): Promise<{ runs: RunSummary[]; started: boolean }> {
    const t: TestApp = await startTestApp({ calcThreads: threads, calcShardSize: 1 });
    try {
      for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
        await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), actor);
      }
      const runs = await t.app.get(CalculationService).calculate('2026-06', actor);
      return { runs, started: (t.app.get(ComputePool) as unknown as { threads: unknown[] | null }).threads !== null };
    } finally {
      await t.close();
    }
  }

  it('one thread and the main thread agree on every period, to the hash', async () => {
    const inline = await calculate(0);
    const threaded = await calculate(1);
    expect(inline.started).toBe(false);
    expect(threaded.started).toBe(true);
    const view = (runs: RunSummary[]) => runs.map((r) => [r.period, r.payees, r.totalPayout, r.resultHash]);
    expect(view(threaded.runs)).toEqual(view(inline.runs));
    expect(inline.runs.map((r) => r.period)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    // every payee of the demo was its own shard
    expect(inline.runs[0].payees).toBeGreaterThan(1);
  });
});
