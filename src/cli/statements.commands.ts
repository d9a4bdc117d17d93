import { Command } from 'commander';
import { withApp } from './cli-context';
import { callerPath, out } from './cli-session';
import { createProgress } from './progress';

export function registerStatementCommands(program: Command): void {
  program
    .command('statements')
    .description('write one PDF statement per payee of a period: <rep_id>-<period>.pdf (draft until the period is closed)')
    .requiredOption('--period <YYYY-MM>', 'calendar month')
    .requiredOption('--out <dir>', 'output directory')
    .option('--rep <rep_id>', 'only this payee')
    .action(async (opts: { period: string; out: string; rep?: string }) => {
      await withApp(async (app) => {
        const { StatementsService } = await import('../statements/statements.service');
        const progress = createProgress();
        const dir = callerPath(opts.out);
        const files = await app.get(StatementsService).writeAll(opts.period, dir, {
          repId: opts.rep,
          onStart: (total) => progress.start(total, `statements ${opts.period}`),
          onProgress: (done) => progress.update(done),
        });
        progress.stop();
        out(`wrote ${files.length} statement(s) to ${dir}\n`);
      });
    });
}
