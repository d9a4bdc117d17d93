import { Command } from 'commander';
import * as fs from 'node:fs';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { withApp } from './cli-context';
import { callerPath, out, session } from './cli-session';

const FORMATS = ['table', 'json'];

function assertFormat(f: string, allowed = FORMATS): void {
  if (!allowed.includes(f)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be ${allowed.join(' or ')}, got "${f}"`);
}

/** Commission expense accounting (ASC 340-40 / IFRS 15): read-only views of what closes stored. */
export function registerAccountingCommands(program: Command): void {
  const acc = program.command('accounting').description('capitalised commission costs (ASC 340-40 / IFRS 15): roll-forward, journal, schedules');

  acc
    .command('roll-forward')
    .description('opening asset, additions, reductions, amortisation, write-offs and closing asset of a closed period, with its checks')
    .requiredOption('--period <YYYY-MM>', 'a closed period')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { period: string; format: string }) => {
      assertFormat(opts.format);
      await withApp(async (app) => {
        const { AccountingService } = await import('../accounting/accounting.service');
        const v = await app.get(AccountingService).period(opts.period);
        if (opts.format === 'json') return out(`${JSON.stringify(v, null, 2)}\n`);
        const head = ['', 'opening', 'additions', 'reductions', 'amortisation', 'write-offs', 'closing', 'current', 'non-current'];
        const rows = [...v.byCurrency, v.reporting].map((r, i) => [
          i === v.byCurrency.length ? `${r.currency} (reporting)` : r.currency,
          r.opening,
          r.additions,
          r.reductions,
          r.amortisation,
          r.writeOffs,
          r.closing,
          r.current,
          r.nonCurrent,
        ]);
        const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
        const fmt = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
        const lines = [`capitalised commission costs, ${v.period} (run ${v.runId}, policy ${v.policyHash.slice(0, 12)})`, fmt(head), ...rows.map(fmt)];
        lines.push(`reporting currency: each figure converted at rates of ${v.reporting.ratesAsOf}${v.reporting.rates.length ? ` (${v.reporting.rates.map((r) => `${r.from} ${r.rate}`).join(', ')})` : ''}, rounded once`);
        for (const c of v.checks) lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
        out(`${lines.join('\n')}\n`);
        if (v.checks.some((c) => !c.ok)) session().exitCode = 1;
      });
    });

  acc
    .command('journal')
    .description('the journal entries of a closed period as balanced debit/credit rows (CSV)')
    .requiredOption('--period <YYYY-MM>', 'a closed period')
    .option('--out <file>', 'write the CSV here (default: print it)')
    .action(async (opts: { period: string; out?: string }) => {
      await withApp(async (app) => {
        const { AccountingService } = await import('../accounting/accounting.service');
        const j = await app.get(AccountingService).journal(opts.period);
        const csv = AccountingService.journalCsv(j.rows);
        if (!opts.out) return out(csv);
        const file = callerPath(opts.out);
        const tmp = `${file}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, csv);
        fs.renameSync(tmp, file);
        out(`wrote ${j.rows.length} journal rows for ${j.period} to ${opts.out}${j.balanced ? ' (balanced)' : ' (NOT balanced)'}\n`);
        if (!j.balanced) session().exitCode = 1;
      });
    });

  acc
    .command('catch-up')
    .description('run the accounting of closed periods that have none (periods closed before this feature); a close does it too')
    .action(async () => {
      await withApp(async (app) => {
        const [{ AccountingService }, { cliActor }] = await Promise.all([import('../accounting/accounting.service'), import('../auth/actor')]);
        const done = await app.get(AccountingService).catchUp(cliActor());
        out(done.length ? done.map((d) => `${d.period}: ${d.schedules} schedule(s), ${d.writeOffs} write-off(s)\n`).join('') : 'every closed period has its accounting; nothing to do\n');
      });
    });

  acc
    .command('schedules')
    .description('amortisation schedules with their payout line, basis, write-off and remaining balance')
    .option('--period <YYYY-MM>', 'the closed period that produced them')
    .option('--rep <rep_id>', 'one payee')
    .option('--booking <booking_id>', 'one booking')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { period?: string; rep?: string; booking?: string; format: string }) => {
      assertFormat(opts.format);
      await withApp(async (app) => {
        const { AccountingService } = await import('../accounting/accounting.service');
        const list = await app.get(AccountingService).schedules({ period: opts.period, repId: opts.rep, bookingId: opts.booking });
        if (opts.format === 'json') return out(`${JSON.stringify(list, null, 2)}\n`);
        if (!list.length) return out('no schedules match\n');
        const lines = list.map(
          (s) =>
            `#${s.id} ${s.period} ${s.repId} ${s.bookingId} ${s.treatment} ${s.cost} ${s.currency}: ${s.months} months from ${s.startPeriod} ` +
            `(${s.monthly}/month, last ${s.lastMonth})${s.writtenOffIn ? `, written off ${s.writeOff} in ${s.writtenOffIn}` : ''}; ` +
            `remaining ${s.remaining} after ${s.remainingAfter}; ${s.note}`,
        );
        out(`${lines.join('\n')}\n`);
      });
    });
}
