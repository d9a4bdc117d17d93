import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliProcess } from '../support/cli-process';
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
    const view = (runs: RunSummary[]) => runs.map((r) => [r.period, r.payees, r.totals, r.resultHash]);
    expect(view(threaded.runs)).toEqual(view(inline.runs));
    expect(inline.runs.map((r) => r.period)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    // every payee of the demo was its own shard
    expect(inline.runs[0].payees).toBeGreaterThan(1);
  });
});

/**
 * The CLI on the embedded store holds no socket open while a thread computes: a calculation thread that did not keep
 * the process alive let `calc` exit 0 halfway, silently, with nothing written, as soon as the main thread had read
 * ahead and waited for a shard still computing. A generated year in shards of a few hundred payees made it happen
 * every time.
 */
describe('calculation threads in the CLI, embedded store', () => {
  it('calc waits for the thread and prints every period', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calc-threads-cli-'));
    const env = { DATABASE_URL: '', DATA_DIR: path.join(dir, 'store'), CALC_THREADS: '1', LOG_LEVEL: 'error' };
    try {
      const gen = await runCliProcess(['demo', 'generate', '--payees', '1000', '--bookings', '60000', '--payroll-months', '0', '--out', path.join(dir, 'data')], env, 180_000);
      expect(gen.code).toBe(0);
      for (const kind of ['reps', 'assignments', 'fx', 'bookings']) {
        const r = await runCliProcess(['import', kind, path.join(dir, 'data', `${kind}.csv`)], env, 180_000);
        expect(r.code).toBe(0);
      }
      const calc = await runCliProcess(['calc', '--period', '2026-12'], env, 300_000);
      expect(calc.code).toBe(0);
      expect(calc.stdout.split('\n').filter((l) => /^2026-\d\d: run \d+, \d+ payees/.test(l))).toHaveLength(12);
      const periods = await runCliProcess(['periods'], env);
      expect(periods.stdout).toMatch(/^2026-12\tcalculated\t/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
