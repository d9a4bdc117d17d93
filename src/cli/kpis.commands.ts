import { Command } from 'commander';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal } from '../core/money/decimal';
import { withApp } from './cli-context';
import { out } from './cli-session';

export function registerKpiCommands(program: Command): void {
  program
    .command('kpis')
    .description('every KPI of the dictionary for a period, with its status against its threshold')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .option('--format <format>', 'json | table', 'table')
    .action(async (opts: { period: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be json or table, got "${opts.format}"`);
      await withApp(async (app) => {
        const { KpisService } = await import('../kpis/kpis.service');
        const r = await app.get(KpisService).compute(opts.period);
        if (opts.format === 'json') {
          out(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        const rows = r.kpis.map((k) => [
          k.code,
          k.value === null ? '-' : `${new Decimal(k.value).decimalPlaces() > 2 ? new Decimal(k.value).toFixed(2) : k.value}${k.unit === '%' ? '%' : k.unit === 'hours' ? ' h' : k.unit === 'months' ? ' months' : ''}`,
          k.status.toUpperCase(),
          k.threshold ? `${k.threshold.direction === 'atLeast' ? '>=' : '<='} ${k.threshold.value}${k.threshold.note ? ` (${k.threshold.note})` : ''}` : '-',
          k.status === 'breach' ? k.breachAction : (k.note ?? ''),
        ]);
        const header = ['kpi', 'value', 'status', 'threshold', 'action / note'];
        const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((row) => row[i].length))));
        const fmt = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
        out(`KPIs for ${r.period}\n${fmt(header)}\n${rows.map(fmt).join('\n')}\n`);
      });
    });
}
