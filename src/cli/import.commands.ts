import { Argument, Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { cliActor } from '../auth/actor';
import { INTAKE_KINDS, IntakeKind } from '../core/intake/intake';
import { ImportsService } from '../imports/imports.service';
import { withApp } from './cli-context';
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
      const progress = statSync(file).size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
      const content = readFileSync(file);
      await withApp(async (app) => {
        const s = await app.get(ImportsService).importFile(kind, basename(file), content, cliActor(), progress);
        process.stdout.write(`imported ${s.file}: ${s.text}\n`);
      });
    });
}
