import { Command } from 'commander';
import * as fs from 'node:fs';
import { cliActor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { formatTotals } from '../core/money/currency-totals';
import { CloseOutcome, PeriodsService } from '../periods/periods.service';
import { withApp } from './cli-context';

function printOutcome(o: CloseOutcome): void {
  for (const r of o.calculated) process.stdout.write(`calculated ${r.period}: run ${r.runId}, ${r.payees} payees, payouts ${formatTotals(r.totals)}\n`);
  process.stdout.write(`${o.message} (status ${o.status}${o.runId ? `, run ${o.runId}, result ${o.resultHash}` : ''})\n`);
}

export function registerCloseCommands(program: Command): void {
  program
    .command('periods')
    .description('list periods with status, current run and total')
    .action(async () => {
      await withApp(async (app) => {
        process.stdout.write('period\tstatus\trun\tstale\tpayees\tpayouts\n');
        for (const p of await app.get(PeriodsService).list()) process.stdout.write(`${p.period}\t${p.status}\t${p.run_id ?? ''}\t${p.stale}\t${p.payees ?? ''}\t${p.payout_totals ? formatTotals(p.payout_totals) : ''}\n`);
      });
    });

  program
    .command('approve')
    .description('approve a calculated period (freezes its result)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .action(async (opts: { period: string }) => {
      await withApp(async (app) => printOutcome(await app.get(PeriodsService).approve(opts.period, cliActor())));
    });

  program
    .command('close')
    .description('calculate if needed, approve and close a period (in order; idempotent)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--approved-only', 'refuse unless the period was approved beforehand')
    .action(async (opts: { period: string; approvedOnly?: boolean }) => {
      await withApp(async (app) => printOutcome(await app.get(PeriodsService).close(opts.period, cliActor(), { onlyIfApproved: opts.approvedOnly })));
    });

  program
    .command('diff')
    .description('what changed since the previous calculation of a period, per payee and line')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { period: string; format: string }) => {
      await withApp(async (app) => {
        const d = await app.get(PeriodsService).diff(opts.period);
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${d.period}: run ${d.fromRunId ?? '(none)'} -> run ${d.toRunId}\n`);
        if (!d.payees.length && !d.lines.length) process.stdout.write('no changes\n');
        for (const p of d.payees) process.stdout.write(`payee ${p.repId}: payout ${p.before} -> ${p.after} ${p.currency} (${p.change})\n`);
        for (const l of d.lines) process.stdout.write(`  ${l.repId} ${l.description}: ${l.before} -> ${l.after} ${l.currency} (${l.change})\n`);
      });
    });

  program
    .command('verify')
    .description('recalculate a closed period from its stored inputs and compare the result hash')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .action(async (opts: { period: string }) => {
      await withApp(async (app) => {
        const v = await app.get(PeriodsService).verify(opts.period);
        const by = v.method === 'figures' ? 'figures (run hashed before traces were typed: every payee and line figure)' : 'result hash';
        process.stdout.write(`${v.period} run ${v.runId}: stored result ${v.storedResultHash}, recalculated ${v.resultHash} (compared by ${by})\n`);
        process.stdout.write(`${v.matches ? 'MATCH' : 'MISMATCH'}: inputs ${v.inputsHash === v.storedInputsHash ? 'match' : 'differ'}, result ${v.resultHash === v.storedResultHash ? 'matches' : 'differs'}\n`);
        if (!v.matches) process.exitCode = 2;
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
      await withApp(async (app) => {
        const a = await app.get(PeriodsService).addAdjustment(cliActor(), {
          repId: o.rep,
          period: o.period,
          amount: o.amount,
          reasonCode: o.reason,
          note: o.note,
          originPeriod: o.originPeriod,
          originRef: o.originRef,
        });
        process.stdout.write(`adjustment ${a.id} added to ${a.period}${a.stale ? '; the period is now stale and will be recalculated' : ''}\n`);
      });
    });

  const exp = program.command('export').description('exports');
  exp
    .command('payroll')
    .description('write the payroll file of a closed period: rep_id,period,currency,amount,reference')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .requiredOption('--out <file>', 'output CSV file')
    .action(async (opts: { period: string; out: string }) => {
      await withApp(async (app) => {
        const rows = await app.get(PeriodsService).exportRows(opts.period);
        if (!opts.out) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, '--out is required');
        const tmp = `${opts.out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, PeriodsService.exportCsv(rows));
        fs.renameSync(tmp, opts.out); // never leave a half-written payroll file
        process.stdout.write(`wrote ${rows.length} payroll rows for ${opts.period} to ${opts.out}\n`);
      });
    });
}
