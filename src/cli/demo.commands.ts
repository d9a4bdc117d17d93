import { Command, InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import type { PlanVersionFacts } from '../core/calculation/calculation-types';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import type { PlanDocument } from '../core/plans/plan-types';
import { callerPath, out } from './cli-session';
import { createProgress } from './progress';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function monthCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0 || n > 12) throw new InvalidArgumentError('must be 0..12 (months of 2026)');
  return n;
}

async function writeLines(file: string, lines: Iterable<string>, onLine?: () => void): Promise<number> {
  const out = fs.createWriteStream(file);
  let n = 0;
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    n++;
    onLine?.();
  }
  out.end();
  await once(out, 'finish');
  return n - 1;
}

/** The plan versions a calculation would use: every valid file of the plans directory (as the service loads it). */
async function loadPlans(dir: string): Promise<PlanVersionFacts[]> {
  const { planFiles, validatePlanFile } = await import('../plans/plan-files');
  if (!fs.existsSync(dir)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `plans directory ${dir} does not exist (set --plans or PLANS_DIR)`);
  const reports = planFiles(dir).map((f) => validatePlanFile(f));
  const bad = reports.filter((r) => r.problems.length);
  if (bad.length) throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `invalid plan files: ${bad.map((b) => b.file).join(', ')}`, bad.flatMap((b) => b.problems.map((p) => `${b.file}: ${p}`)));
  return reports.map((r) => {
    const document = r.document as PlanDocument;
    return { planId: document.id, version: document.version, hash: r.hash as string, document };
  });
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('demo data');
  demo
    .command('generate')
    .description(
      'write a reproducible data set in the import formats (reps, assignments, fx, bookings) and what payroll paid for the first ' +
        'months (payroll.csv, with a few injected errors listed in payroll-errors.csv)',
    )
    .option('--payees <n>', 'number of payees (managers included)', positiveInt, 100)
    .option('--bookings <n>', 'booking credit rows', positiveInt, 2000)
    .option('--seed <n>', 'random seed', positiveInt, 2026)
    .option('--payroll-months <n>', 'months from 2026-01 that payroll.csv pays (0: no payroll file)', monthCount, 3)
    .option('--plans <dir>', 'plan files the payouts are calculated with (default: PLANS_DIR or ./plans)')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (opts: { payees: number; bookings: number; seed: number; payrollMonths: number; plans?: string; out: string }) => {
      const dir = callerPath(opts.out);
      const [{ demoPayouts, demoPeriods }, { demoPayroll, PAYROLL_ERROR_KINDS, payrollCsvLines, payrollErrorCsvLines }, { DemoGenerator }] = await Promise.all([
        import('../core/demo/demo-payouts'),
        import('../core/demo/demo-payroll'),
        import('../core/demo/generate-demo'),
      ]);
      const plans = opts.payrollMonths > 0 ? await loadPlans(callerPath(opts.plans ?? process.env.PLANS_DIR ?? 'plans')) : [];
      fs.mkdirSync(dir, { recursive: true });
      const demoOpts = { payees: opts.payees, bookings: opts.bookings, seed: opts.seed };
      const g = new DemoGenerator(demoOpts);
      const counts: string[] = [];
      counts.push(`reps.csv ${await writeLines(path.join(dir, 'reps.csv'), g.repRows())}`);
      counts.push(`assignments.csv ${await writeLines(path.join(dir, 'assignments.csv'), g.assignmentRows())}`);
      counts.push(`fx.csv ${await writeLines(path.join(dir, 'fx.csv'), g.fxRows())}`);
      const progress = createProgress();
      progress.start(opts.bookings, 'bookings.csv');
      let done = 0;
      counts.push(`bookings.csv ${await writeLines(path.join(dir, 'bookings.csv'), g.bookingRows(), () => ++done % 10000 === 0 && progress.update(done))}`);
      progress.update(opts.bookings);
      progress.stop();
      let payrollNote = '';
      if (opts.payrollMonths > 0) {
        // What the engine will compute for these files (the pure core, in process), then what payroll paid.
        const { payouts, payees } = await demoPayouts(demoOpts, plans, opts.payrollMonths);
        const payroll = demoPayroll(payouts, payees, opts.seed);
        counts.push(`payroll.csv ${await writeLines(path.join(dir, 'payroll.csv'), payrollCsvLines(payroll.rows))}`);
        counts.push(`payroll-errors.csv ${await writeLines(path.join(dir, 'payroll-errors.csv'), payrollErrorCsvLines(payroll.errors))}`);
        const periods = demoPeriods(opts.payrollMonths);
        const byKind = PAYROLL_ERROR_KINDS.map((k) => `${k} ${payroll.errors.filter((e) => e.kind === k).length}`).join(', ');
        payrollNote = `; payroll ${periods[0]}..${periods[periods.length - 1]} with ${payroll.errors.length} injected errors (${byKind})`;
      } else {
        for (const f of ['payroll.csv', 'payroll-errors.csv']) fs.rmSync(path.join(dir, f), { force: true });
      }
      out(`wrote ${dir}: ${counts.join(', ')} rows (seed ${opts.seed})${payrollNote}\n`);
    });
}
