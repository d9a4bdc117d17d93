import { Command } from 'commander';
import { cliActor } from '../auth/actor';
import { csvCell } from '../core/csv/write-csv';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { formatTotals } from '../core/money/currency-totals';
import { withApp } from './cli-context';
import { callerPath, err, out, session } from './cli-session';

export function registerCalcCommands(program: Command): void {
  const plans = program.command('plans').description('comp plan files');
  plans
    .command('validate')
    .argument('<target>', 'a plan file or a directory of plan files')
    .description('validate plan files against the schema and the domain rules; exits non-zero on any problem')
    .action(async (target: string) => {
      // Validation reads files only: no database needed.
      const { validatePlanTarget } = await import('../plans/plan-files');
      const reports = validatePlanTarget(callerPath(target));
      let bad = 0;
      for (const r of reports) {
        if (r.problems.length === 0) out(`ok    ${r.file} (${r.planId} v${r.version}, ${r.hash?.slice(0, 12)})\n`);
        else {
          bad++;
          for (const p of r.problems) out(`error ${r.file}: ${p}\n`);
        }
      }
      if (bad) throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `${bad} of ${reports.length} plan file(s) invalid`);
    });
  plans
    .command('list')
    .description('plan versions loaded in the database')
    .action(async () => {
      await withApp(async (app) => {
        const { PlansService } = await import('../plans/plans.service');
        for (const p of await app.get(PlansService).allVersions()) out(`${p.planId}\tv${p.version}\t${p.hash}\t${p.document.name}\n`);
      });
    });

  program
    .command('calc')
    .description('calculate a period (earlier uncalculated or stale periods first)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .action(async (opts: { period: string }) => {
      await withApp(async (app) => {
        const { CalculationService } = await import('../calculation/calculation.service');
        const runs = await app.get(CalculationService).calculate(opts.period, cliActor(), (p) => err(`calculating ${p}\n`));
        for (const r of runs) out(`${r.period}: run ${r.runId}, ${r.payees} payees, payouts ${formatTotals(r.totals)}, result ${r.resultHash.slice(0, 16)}\n`);
      });
    });

  program
    .command('worker')
    .description('take calculation shards from the pg-boss queue until stopped (PostgreSQL; the close runs with CALC_QUEUE=pgboss)')
    .action(async () => {
      if (session().app) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'worker takes shards from PostgreSQL (DATABASE_URL); it does not run inside the service');
      await withApp(async (app) => {
        const { CalcQueue } = await import('../calculation/calc-queue');
        const queue = app.get(CalcQueue);
        let taken = 0;
        await queue.work((job) => {
          taken++;
          err(`worker ${process.pid}: shard of ${job.repIds.length} payees (${job.repIds[0]}..${job.repIds[job.repIds.length - 1]}), periods ${job.runs[0].period}..${job.runs[job.runs.length - 1].period}\n`);
        });
        err(`worker ${process.pid}: waiting for shards\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        err(`worker ${process.pid}: stopping after ${taken} shard(s)\n`);
      });
    });

  program
    .command('payouts')
    .description('print the payouts of a calculated period')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--format <format>', 'csv | json', 'csv')
    .action(async (opts: { period: string; format: string }) => {
      if (!['csv', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be csv or json, got "${opts.format}"`);
      await withApp(async (app) => {
        const [{ CalculationService }, { PeriodLifecycle }] = await Promise.all([import('../calculation/calculation.service'), import('../calculation/period-lifecycle.service')]);
        const calc = app.get(CalculationService);
        const period = CalculationService.assertPeriod(opts.period);
        const run = await app.get(PeriodLifecycle).currentRun(period);
        if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${period} has not been calculated; run: npm run cli -- calc --period ${period}`);
        if (run.stale) {
          err(`period ${period} is stale (an earlier period was recalculated); recalculating\n`);
          await calc.calculate(period, cliActor());
        }
        const rows = await calc.payouts(period, null);
        if (opts.format === 'json') {
          out(
            `${JSON.stringify(
              rows.map((r) => ({ rep_id: r.rep_id, period: r.period, currency: r.currency, earned: r.earned, payout: r.payout, balance: r.balance, draw: r.draw, earned_to_date: r.earned_to_date })),
              null,
              2,
            )}\n`,
          );
        } else {
          out('rep_id,period,currency,earned,payout,balance,draw,earned_to_date\n');
          for (const r of rows) out(`${[r.rep_id, r.period, r.currency, r.earned, r.payout, r.balance, r.draw, r.earned_to_date].map(csvCell).join(',')}\n`);
        }
      });
    });
}
