import { Command } from 'commander';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, roundHalfUp } from '../core/money/decimal';
import { ERROR_KINDS, errorKind, fixFor } from '../core/reconciliation/fixes';
import { withApp } from './cli-context';
import { out } from './cli-session';

const pct = (v: string | null) => (v === null ? 'n/a' : `${new Decimal(v).toFixed(2)}%`);
const roundCents = (v: string) => roundHalfUp(new Decimal(v)).toFixed(2);

export function registerReconcileCommands(program: Command): void {
  program
    .command('reconcile')
    .description('match a closed period\'s payouts with what payroll paid; accuracy rates and every error')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--format <format>', 'table | json', 'table')
    .option('--errors-only', 'list the errors only (not the payouts paid exactly)')
    .action(async (opts: { period: string; format: string; errorsOnly?: boolean }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table or json, got "${opts.format}"`);
      await withApp(async (app) => {
        const { ReconciliationService } = await import('../reconciliation/reconciliation.service');
        const r = await app.get(ReconciliationService).reconcile(opts.period);
        if (opts.format === 'json') {
          const rows = r.rows.filter((x) => !opts.errorsOnly || errorKind(x) !== null).map((x) => ({ ...x, errorKind: errorKind(x), fix: fixFor(x) }));
          out(`${JSON.stringify({ ...r, rows }, null, 2)}\n`);
          return;
        }
        const lines: string[] = [];
        lines.push(`reconciliation ${r.period}: ${r.counts.matched} matched, ${r.counts.mismatched} mismatched, ${r.counts.missing} missing, ${r.counts.unexpected} unexpected`);
        const a = r.accuracy;
        const rep = a.reportingCurrency;
        lines.push(
          `commission accuracy: ${pct(a.countRatePct)} of payouts (${a.errorFreePayouts}/${a.totalPayouts}), ` +
            `${pct(a.dollarRatePct)} by amount (errors ${a.sumAbsError} of ${a.sumAbsClosedPayout} ${rep}, in ${rep} at rates of ${a.ratesAsOf})`,
        );
        if (a.byCurrency.length) lines.push(`by currency: ${a.byCurrency.map((c) => `${c.currency} errors ${c.sumAbsError} of ${c.sumAbsClosedPayout}`).join('; ')}`);
        if (r.rates.length) lines.push(`rates into ${rep}: ${r.rates.map((x) => `${x.from} ${x.rate} (${x.date})`).join(', ')}`);
        if (a.sumAbsCorrections !== '0.00') lines.push(`later corrections: ${a.sumAbsCorrections} ${rep} (errors in the count; beside the amount rate, not in it)`);
        // the errors first, grouped by kind, each with the fix it needs; then (unless --errors-only) every other row
        const errors = r.rows.filter((x) => errorKind(x) !== null);
        lines.push(errors.length ? `${errors.length} error(s), by kind, with the fix each needs:` : 'no errors: payroll paid every payout exactly');
        for (const kind of ERROR_KINDS) {
          const rows = errors.filter((x) => errorKind(x) === kind);
          if (!rows.length) continue;
          lines.push(`  ${kind} (${rows.length}):`);
          for (const x of rows) {
            const figures = [`computed ${x.computed ?? '-'}`, `paid ${x.paid ?? '-'}`, ...(x.difference ? [`difference ${x.difference}`] : []), `${x.currency}`].join(', ');
            const converted = x.currency === rep ? '' : ` (error ${roundCents(x.errorConverted)} ${rep})`;
            lines.push(`    ${x.reference ? `${x.repId} (${x.reference})` : x.repId}: ${figures}${converted}; fix: ${fixFor(x)}`);
          }
        }
        if (!opts.errorsOnly) {
          const rest = r.rows.filter((x) => errorKind(x) === null);
          lines.push(`matched (${rest.length}):`);
          lines.push(`rep_id\tstatus\tcurrency\tcomputed\tpaid\treference`);
          for (const x of rest) lines.push([x.repId, x.status, x.currency, x.computed ?? '', x.paid ?? '', x.reference ?? ''].join('\t'));
        }
        for (const [team, f] of Object.entries(r.byTeam)) lines.push(`team ${team}: ${pct(f.countRatePct)} (${f.errorFreePayouts}/${f.totalPayouts}), ${pct(f.dollarRatePct)} by amount`);
        for (const [plan, f] of Object.entries(r.byPlan)) lines.push(`plan ${plan}: ${pct(f.countRatePct)} (${f.errorFreePayouts}/${f.totalPayouts}), ${pct(f.dollarRatePct)} by amount`);
        out(`${lines.join('\n')}\n`);
      });
    });
}
