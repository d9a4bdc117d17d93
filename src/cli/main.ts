import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CommissionError } from '../core/errors/commission-error';
import { CLI_COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command('cli')
    .description('Commission engine: finance tool. Uses DATABASE_URL (PostgreSQL) or the embedded store in DATA_DIR.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of CLI_COMMANDS) register(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode && process.exitCode !== 0 ? Number(process.exitCode) : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const err = e as Error;
    const detail = err instanceof CommissionError && err.details ? formatDetails(err.details) : '';
    process.stderr.write(`error: ${err.message}\n${detail}`);
    if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

function formatDetails(details: unknown): string {
  if (Array.isArray(details)) return details.map((d) => `  ${formatDetail(d)}\n`).join('');
  return '';
}

/** A row problem {file, line, column, message} reads as "bookings.csv:7 amount: message". */
function formatDetail(d: unknown): string {
  if (typeof d === 'string') return d;
  const e = d as { file?: unknown; line?: unknown; column?: unknown; message?: unknown };
  if (e && typeof e.file === 'string' && typeof e.line === 'number' && typeof e.message === 'string') {
    return `${e.file}:${e.line}${typeof e.column === 'string' ? ` ${e.column}` : ''}: ${e.message}`;
  }
  return JSON.stringify(d);
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
