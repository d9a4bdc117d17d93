import { Command, InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { DemoGenerator } from '../core/demo/generate-demo';
import { createProgress } from './progress';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

async function writeLines(file: string, lines: Iterable<string>, onLine?: () => void): Promise<number> {
  const out = fs.createWriteStream(file);
  let n = 0;
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    n++;
    onLine?.();
  }
  out.end();
  await once(out, 'finish');
  return n - 1;
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('demo data');
  demo
    .command('generate')
    .description('write a reproducible data set in the import formats (reps, assignments, fx, bookings)')
    .option('--payees <n>', 'number of payees (managers included)', positiveInt, 100)
    .option('--bookings <n>', 'booking credit rows', positiveInt, 2000)
    .option('--seed <n>', 'random seed', positiveInt, 2026)
    .requiredOption('--out <dir>', 'output directory')
    .action(async (opts: { payees: number; bookings: number; seed: number; out: string }) => {
      const dir = path.resolve(opts.out);
      fs.mkdirSync(dir, { recursive: true });
      const g = new DemoGenerator({ payees: opts.payees, bookings: opts.bookings, seed: opts.seed });
      const counts: string[] = [];
      counts.push(`reps.csv ${await writeLines(path.join(dir, 'reps.csv'), g.repRows())}`);
      counts.push(`assignments.csv ${await writeLines(path.join(dir, 'assignments.csv'), g.assignmentRows())}`);
      counts.push(`fx.csv ${await writeLines(path.join(dir, 'fx.csv'), g.fxRows())}`);
      const progress = createProgress();
      progress.start(opts.bookings, 'bookings.csv');
      let done = 0;
      counts.push(`bookings.csv ${await writeLines(path.join(dir, 'bookings.csv'), g.bookingRows(), () => ++done % 10000 === 0 && progress.update(done))}`);
      progress.update(opts.bookings);
      progress.stop();
      process.stdout.write(`wrote ${dir}: ${counts.join(', ')} rows (seed ${opts.seed})\n`);
    });
}
