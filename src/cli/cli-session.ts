import { AsyncLocalStorage } from 'node:async_hooks';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';

/**
 * Where one CLI command reads and writes. In the CLI's own process that is the process's stdout, stderr and working
 * directory. When the embedded store is held by a running service, the command runs inside that service
 * (`remote/control-server.ts`) and its session carries the caller's working directory, streams the output back, and
 * lends the service's application instead of booting a second one.
 */
export interface CliSession {
  out(text: string): void;
  err(text: string): void;
  /** The caller's working directory: relative file paths of a command are resolved against it. */
  readonly cwd: string;
  /** The caller's stderr is a terminal (a progress bar rather than plain lines). */
  readonly errIsTTY: boolean;
  /** The command's exit status (a command sets 2 when what it checked does not match, e.g. `verify`). */
  exitCode: number;
  /** The running service's application, when the command runs inside it. */
  readonly app?: INestApplicationContext;
}

const sessions = new AsyncLocalStorage<CliSession>();

function processSession(): CliSession {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    errIsTTY: Boolean(process.stderr.isTTY),
    exitCode: 0,
  };
}

let own: CliSession | undefined;

/** The session of the command running now (the process's own when none was entered). */
export function session(): CliSession {
  return sessions.getStore() ?? (own ??= processSession());
}

export function inSession<T>(s: CliSession, fn: () => Promise<T>): Promise<T> {
  return sessions.run(s, fn);
}

/** A file path as the caller meant it: relative to the caller's working directory. */
export function callerPath(p: string): string {
  return path.resolve(session().cwd, p);
}

export const out = (text: string): void => session().out(text);
export const err = (text: string): void => session().err(text);
