import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CommissionError } from '../core/errors/commission-error';
import { err, inSession, out, session, CliSession } from './cli-session';
import { CLI_COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command('cli')
    .description('Commission engine: finance tool. Uses DATABASE_URL (PostgreSQL) or the embedded store in DATA_DIR; while a service holds the embedded store, commands run inside it.')
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError()
    .exitOverride();
  for (const register of CLI_COMMANDS) register(program);
  return program;
}

/** Runs one command line in the current session (or in s); answers the exit status. Errors are printed, not thrown. */
export async function runCli(argv: string[], s?: CliSession): Promise<number> {
  if (s) return inSession(s, () => runCli(argv));
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return session().exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const error = e as Error;
    const detail = error instanceof CommissionError && error.details ? formatDetails(error.details) : '';
    err(`error: ${error.message}\n${detail}`);
    if (process.env.DEBUG) err(`${error.stack}\n`);
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
