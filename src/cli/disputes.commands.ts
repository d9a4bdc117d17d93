import { Command } from 'commander';
import { cliActor } from '../auth/actor';
import type { Dispute } from '../disputes/disputes.repository';
import type { DisputesService } from '../disputes/disputes.service';
import { withApp } from './cli-context';
import { out } from './cli-session';

/** Runs fn with the application's disputes service (loaded with the application, not when the CLI starts). */
function withDisputes<T>(fn: (disputes: DisputesService) => Promise<T>): Promise<T> {
  return withApp(async (app) => {
    const { DisputesService: Disputes } = await import('../disputes/disputes.service');
    return fn(app.get(Disputes));
  });
}

const cell = (v: string | null) => (v ?? '').replace(/[\t\r\n]+/g, ' ');

function printDispute(d: Dispute): void {
  out(
    `dispute ${d.id} (${d.repId}, ${d.period}, ${d.targetKind}${d.targetRef ? ` ${d.targetRef}` : ''}, ${d.reasonCode}): ${d.status}` +
      `${d.resolutionAmount ? ` ${d.resolutionAmount}` : ''}${d.adjustmentId ? `, adjustment ${d.adjustmentId}` : ''}${d.resolutionNote ? `: ${d.resolutionNote}` : ''}\n`,
  );
}

/** `disputes list | uphold | reject`: the CLI acts as admin (cliActor). */
export function registerDisputeCommands(program: Command): void {
  const disputes = program.command('disputes').description('payee disputes: list, uphold (creates an adjustment), reject');

  disputes
    .command('list')
    .description('list disputes')
    .option('--period <YYYY-MM>', 'only disputes about this period')
    .option('--status <status>', 'open | in_review | upheld | rejected')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { period?: string; status?: string; format: string }) => {
      await withDisputes(async (disputes) => {
        const rows = await disputes.list(cliActor(), { period: opts.period, status: opts.status });
        if (opts.format === 'json') {
          out(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const lines = ['id\trep_id\tperiod\ttarget\treason\tclaimed\tstatus\tresolution\tadjustment\traised_at\ttext'];
        for (const d of rows) {
          lines.push(
            [d.id, d.repId, d.period, `${d.targetKind}${d.targetRef ? `:${d.targetRef}` : ''}`, d.reasonCode, d.claimedAmount, d.status, d.resolutionAmount, d.adjustmentId, d.raisedAt, d.text]
              .map(cell)
              .join('\t'),
          );
        }
        out(`${lines.join('\n')}\n${rows.length} dispute(s)\n`);
      });
    });

  disputes
    .command('uphold <id>')
    .description('uphold a dispute: books an adjustment of --amount into the first open period')
    .requiredOption('--amount <decimal>', 'e.g. 250.00 (non-zero, at most 2 decimals)')
    .requiredOption('--note <text>', 'why it is upheld')
    .action(async (id: string, opts: { amount: string; note: string }) => {
      await withDisputes(async (disputes) => {
        const d = await disputes.uphold(cliActor(), id, { amount: opts.amount, note: opts.note });
        printDispute(d);
        out(
          `adjustment ${d.adjustment.id} of ${d.adjustment.amount} booked into ${d.adjustment.period} (origin ${d.adjustment.originPeriod}, ${d.adjustment.originRef})` +
            `${d.adjustment.stale ? `; ${d.adjustment.period} is now stale and will be recalculated` : ''}\n`,
        );
      });
    });

  disputes
    .command('reject <id>')
    .description('reject a dispute with a reason')
    .requiredOption('--reason <text>', 'why it is rejected')
    .action(async (id: string, opts: { reason: string }) => {
      await withDisputes(async (disputes) => printDispute(await disputes.reject(cliActor(), id, { reason: opts.reason })));
    });
}
