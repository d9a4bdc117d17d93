import { Argument, Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { cliActor } from '../auth/actor';
import { INTAKE_KINDS, IntakeKind } from '../core/intake/intake';
import { withApp } from './cli-context';
import { callerPath, out } from './cli-session';
import { createProgress } from './progress';

/** Files above this size show a progress bar (on stderr) while they are read. */
const PROGRESS_FROM_BYTES = 8 * 1024 * 1024;

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('import a CSV file (all or nothing); re-importing an unchanged file changes nothing')
    .addArgument(new Argument('<kind>', 'what the file holds').choices(INTAKE_KINDS))
    .argument('<file>', 'path of the CSV file')
    .action(async (kind: IntakeKind, file: string) => {
      const at = callerPath(file);
      const progress = statSync(at).size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
      const content = readFileSync(at);
      await withApp(async (app) => {
        const { ImportsService } = await import('../imports/imports.service');
        const s = await app.get(ImportsService).importFile(kind, basename(file), content, cliActor(), progress);
        out(`imported ${s.file}: ${s.text}\n`);
      });
    });
}
