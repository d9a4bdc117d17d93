import { Command } from 'commander';
import * as fs from 'node:fs';
import { cliActor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { formatTotals } from '../core/money/currency-totals';
import type { CloseOutcome, PeriodsService } from '../periods/periods.service';
import { withApp } from './cli-context';
import { callerPath, err, out, session } from './cli-session';

/** Runs fn with the application's periods service (loaded with the application, not when the CLI starts). */
function withPeriods<T>(fn: (periods: PeriodsService) => Promise<T>): Promise<T> {
  return withApp(async (app) => {
    const { PeriodsService: Periods } = await import('../periods/periods.service');
    return fn(app.get(Periods));
  });
}

function printOutcome(o: CloseOutcome): void {
  for (const r of o.calculated) out(`calculated ${r.period}: run ${r.runId}, ${r.payees} payees, payouts ${formatTotals(r.totals)}\n`);
  out(`${o.message} (status ${o.status}${o.runId ? `, run ${o.runId}, result ${o.resultHash}` : ''})\n`);
  for (const w of o.warnings) err(`warning: ${w}\n`);
}

export function registerCloseCommands(program: Command): void {
  program
    .command('periods')
    .description('list periods with status, current run and total')
    .action(async () => {
      await withPeriods(async (periods) => {
        out('period\tstatus\trun\tstale\tpayees\tpayouts\n');
        for (const p of await periods.list()) out(`${p.period}\t${p.status}\t${p.runId ?? ''}\t${p.stale}\t${p.payees ?? ''}\t${p.payoutTotals ? formatTotals(p.payoutTotals) : ''}\n`);
      });
    });

  program
    .command('approve')
    .description('approve a calculated period (freezes its result)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .action(async (opts: { period: string }) => {
      await withPeriods(async (periods) => printOutcome(await periods.approve(opts.period, cliActor())));
    });

  program
    .command('close')
    .description('calculate if needed, approve and close a period (in order; idempotent)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--approved-only', 'refuse unless the period was approved beforehand')
    .action(async (opts: { period: string; approvedOnly?: boolean }) => {
      await withPeriods(async (periods) => printOutcome(await periods.close(opts.period, cliActor(), { onlyIfApproved: opts.approvedOnly })));
    });

  program
    .command('diff')
    .description('what changed since the previous calculation of a period, per payee and line')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { period: string; format: string }) => {
      await withPeriods(async (periods) => {
        const d = await periods.diff(opts.period);
        if (opts.format === 'json') {
          out(`${JSON.stringify(d, null, 2)}\n`);
          return;
        }
        out(`${d.period}: run ${d.fromRunId ?? '(none)'} -> run ${d.toRunId}\n`);
        if (!d.payees.length && !d.lines.length) out('no changes\n');
        for (const p of d.payees) out(`payee ${p.repId}: payout ${p.before} -> ${p.after} ${p.currency} (${p.change})\n`);
        for (const l of d.lines) out(`  ${l.repId} ${l.description}: ${l.before} -> ${l.after} ${l.currency} (${l.change})\n`);
      });
    });

  program
    .command('verify')
    .description('recalculate a closed period from its stored inputs and compare the result hash')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .action(async (opts: { period: string }) => {
      await withPeriods(async (periods) => {
        const v = await periods.verify(opts.period);
        const by = v.method === 'figures' ? 'figures (run hashed before traces were typed: every payee and line figure)' : 'result hash';
        out(`${v.period} run ${v.runId}: stored result ${v.storedResultHash}, recalculated ${v.resultHash} (compared by ${by})\n`);
        out(`${v.matches ? 'MATCH' : 'MISMATCH'}: inputs ${v.inputsHash === v.storedInputsHash ? 'match' : 'differ'}, result ${v.resultHash === v.storedResultHash ? 'matches' : 'differs'}\n`);
        if (!v.matches) session().exitCode = 2;
      });
    });

  program
    .command('adjust')
    .description('add a manual adjustment to an open period')
    .requiredOption('--rep <rep_id>', 'payee')
    .requiredOption('--period <YYYY-MM>', 'open period it is paid in')
    .requiredOption('--amount <decimal>', 'e.g. 150.00 or -75.50')
    .requiredOption('--reason <code>', 'reason code')
    .requiredOption('--note <text>', 'why')
    .option('--origin-period <YYYY-MM>', 'the period it corrects')
    .option('--origin-ref <ref>', 'the line or booking it corrects')
    .action(async (o: { rep: string; period: string; amount: string; reason: string; note: string; originPeriod?: string; originRef?: string }) => {
      await withPeriods(async (periods) => {
        const a = await periods.addAdjustment(cliActor(), {
          repId: o.rep,
          period: o.period,
          amount: o.amount,
          reasonCode: o.reason,
          note: o.note,
          originPeriod: o.originPeriod,
          originRef: o.originRef,
        });
        out(`adjustment ${a.id} added to ${a.period}${a.stale ? '; the period is now stale and will be recalculated' : ''}\n`);
      });
    });

  const exp = program.command('export').description('exports');
  exp
    .command('payroll')
    .description('write the payroll file of a closed period: rep_id,period,currency,amount,reference')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .requiredOption('--out <file>', 'output CSV file')
    .action(async (opts: { period: string; out: string }) => {
      await withPeriods(async (periods) => {
        const rows = await periods.exportRows(opts.period);
        if (!opts.out) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, '--out is required');
        const file = callerPath(opts.out);
        const tmp = `${file}.tmp-${process.pid}`;
        const { PeriodsService: Periods } = await import('../periods/periods.service');
        fs.writeFileSync(tmp, Periods.exportCsv(rows));
        fs.renameSync(tmp, file); // never leave a half-written payroll file
        out(`wrote ${rows.length} payroll rows for ${opts.period} to ${opts.out}\n`);
      });
    });
}
