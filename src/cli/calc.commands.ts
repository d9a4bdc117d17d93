import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { addMonths, isPeriod } from '../core/calendar/dates';
import { Decimal } from '../core/money/decimal';
import { cliActor } from '../auth/actor';
import { csvCell } from '../core/csv/write-csv';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { formatTotals } from '../core/money/currency-totals';
import type { Payout } from '../calculation/calculation.service';
import { withApp } from './cli-context';
import { callerPath, err, out, session } from './cli-session';

/** The columns of `cli payouts` (CSV header and JSON keys alike): a file contract with outside tools, whatever the payouts' fields are called. */
const PAYOUT_FILE_COLUMNS = ['rep_id', 'period', 'currency', 'earned', 'payout', 'balance', 'draw', 'earned_to_date'] as const;

function payoutFileRecord(p: Payout): Record<(typeof PAYOUT_FILE_COLUMNS)[number], string> {
  return { rep_id: p.repId, period: p.period, currency: p.currency, earned: p.earned, payout: p.payout, balance: p.balance, draw: p.draw, earned_to_date: p.earnedToDate };
}

export function registerCalcCommands(program: Command): void {
  const plans = program.command('plans').description('comp plan files');
  plans
    .command('validate')
    .argument('<target>', 'a plan file or a directory of plan files')
    .description('validate plan files against the schema and the domain rules, and warn about components that cannot pay; exits non-zero on any problem')
    .option('--strict', 'warnings are errors too')
    .action(async (target: string, opts: { strict?: boolean }) => {
      // Validation reads files only: no database needed.
      const { validatePlanTarget } = await import('../plans/plan-files');
      const reports = validatePlanTarget(callerPath(target), target);
      let bad = 0;
      for (const r of reports) {
        const failed = r.problems.length > 0 || (opts.strict === true && r.warnings.length > 0);
        if (!failed) out(`ok    ${r.file} (${r.planId} v${r.version}, ${r.hash?.slice(0, 12)})\n`);
        else bad++;
        for (const p of r.problems) out(`error ${r.file}: ${p}\n`);
        for (const w of r.warnings) out(`${opts.strict ? 'error' : 'warn '} ${r.file}: ${w}\n`);
      }
      if (bad) throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `${bad} of ${reports.length} plan file(s) invalid${opts.strict ? ' (--strict: warnings count)' : ''}`);
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
    .description('print the payouts of a calculated period, or of each period of a range')
    .option('--period <YYYY-MM>', 'calendar month')
    .option('--from <YYYY-MM>', 'first month of a range (with --to)')
    .option('--to <YYYY-MM>', 'last month of a range (with --from)')
    .option('--format <format>', 'csv | json', 'csv')
    .action(async (opts: { period?: string; from?: string; to?: string; format: string }) => {
      if (!['csv', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be csv or json, got "${opts.format}"`);
      const periods = periodsOf(opts);
      await withApp(async (app) => {
        const rows = [];
        for (const period of periods) rows.push(...(await calculatedPayouts(app, period)));
        const records = rows.map(payoutFileRecord);
        if (opts.format === 'json') out(`${JSON.stringify(records, null, 2)}\n`);
        else out(`${PAYOUT_FILE_COLUMNS.join(',')}\n${records.map((r) => `${PAYOUT_FILE_COLUMNS.map((f) => csvCell(r[f])).join(',')}\n`).join('')}`);
      });
    });

  program
    .command('lines')
    .description("every payout line of a period with its trace in words (band splits, window quota, base rate), per payee: what was paid and why")
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--rep <ID>', 'only this payee')
    .option('--format <format>', 'table | json | csv', 'table')
    .action(async (opts: { period: string; rep?: string; format: string }) => {
      if (!['table', 'json', 'csv'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table, json or csv, got "${opts.format}"`);
      await withApp(async (app) => {
        const { CalculationService } = await import('../calculation/calculation.service');
        const calc = app.get(CalculationService);
        const payouts = (await calculatedPayouts(app, opts.period)).filter((p) => !opts.rep || p.repId === opts.rep);
        if (opts.rep && !payouts.length) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${opts.rep} in ${opts.period}`);
        const payees = [];
        for (const p of payouts) payees.push({ payout: p, windows: await calc.windows(p.period, p.repId), lines: await calc.lines(p.period, p.repId) });
        if (opts.format === 'json') return out(`${JSON.stringify(payees, null, 2)}\n`);
        if (opts.format === 'csv') {
          const header = ['rep_id', 'period', 'line_no', 'kind', 'component_key', 'ref', 'amount', 'currency', 'description', 'explanation'];
          const rows = payees.flatMap(({ payout: p, lines }) => lines.map((l) => [p.repId, p.period, String(l.lineNo), l.kind, l.componentKey ?? '', l.ref ?? '', l.amount, p.currency, l.description, l.explanation]));
          return out(`${header.join(',')}\n${rows.map((r) => `${r.map(csvCell).join(',')}\n`).join('')}`);
        }
        const text: string[] = [];
        for (const { payout: p, windows, lines } of payees) {
          text.push(`${p.repId} ${p.period} (${p.currency}): earned ${p.earned}, payout ${p.payout}, balance ${p.balance}, draw ${p.draw} (run ${p.runId})`);
          // rounded for reading (cents, a percentage with 2 decimals); --format json has the exact figures
          const cents = (v: string) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
          for (const w of windows) {
            const attainment =
              w.quota === null
                ? 'no quota'
                : w.attainment === null
                  ? `quota ${cents(w.quota)}, attainment n/a (a zero quota)`
                  : `quota ${cents(w.quota)}, attainment ${new Decimal(w.attainment).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%`;
            text.push(`  window ${w.componentKey} (${w.windowStart}..${w.windowEnd}): credit ${cents(w.credit)}, ${attainment}, commission ${cents(w.commission)} ${p.currency}`);
          }
          for (const l of lines) text.push(`  ${String(l.lineNo).padStart(3)} ${l.kind.padEnd(12)} ${l.amount.padStart(12)} ${p.currency}  ${l.description}${l.explanation ? `\n      ${l.explanation}` : ''}`);
        }
        out(`${text.join('\n')}\n`);
      });
    });
}

/** --period, or every month of --from..--to. */
function periodsOf(opts: { period?: string; from?: string; to?: string }): string[] {
  if (opts.period && !opts.from && !opts.to) return [opts.period];
  if (!opts.period && opts.from && opts.to) {
    if (!isPeriod(opts.from) || !isPeriod(opts.to)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--from and --to must be YYYY-MM, got "${opts.from}" and "${opts.to}"`);
    if (opts.to < opts.from) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--from ${opts.from} is after --to ${opts.to}`);
    const out: string[] = [];
    for (let p = opts.from; p <= opts.to; p = addMonths(p, 1)) out.push(p);
    return out;
  }
  throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'give --period YYYY-MM, or --from YYYY-MM and --to YYYY-MM');
}

/** The payouts of a calculated period (a stale one is recalculated first, as reading it through the API does). */
async function calculatedPayouts(app: INestApplicationContext, period: string) {
  const [{ CalculationService }, { PeriodLifecycle }] = await Promise.all([import('../calculation/calculation.service'), import('../calculation/period-lifecycle.service')]);
  const calc = app.get(CalculationService);
  const p = CalculationService.assertPeriod(period);
  const run = await app.get(PeriodLifecycle).currentRun(p);
  if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated; run: npm run cli -- calc --period ${p}`);
  if (run.stale) {
    err(`period ${p} is stale (an earlier period was recalculated); recalculating\n`);
    await calc.calculate(p, cliActor());
  }
  return calc.payouts(p, null);
}
