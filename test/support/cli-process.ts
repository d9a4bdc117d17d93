import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * How a test starts the CLI or the service in a process of its own: as users do (`npm run cli`, `npm start`), compiled
 * JavaScript from dist/ through scripts/launch.js, which compiles once when the sources changed. Loading the app
 * through ts-node instead cost every process several seconds of transpiling.
 */
export const CLI_ARGS = [path.join(REPO_ROOT, 'scripts/launch.js'), 'src/cli/main'];
export const SERVICE_ARGS = [path.join(REPO_ROOT, 'scripts/launch.js'), 'src/main'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (`npm run cli -- ...`) in a separate process. `env` is layered over this process's environment;
 * pass DATABASE_URL: '' to force the embedded store. `cwd` is the directory it runs in (relative paths are resolved there).
 */
export function runCliProcess(args: string[], env: Record<string, string>, timeoutMs = 240_000, cwd = REPO_ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // the launcher's one-line notice when it compiled (the global setup compiles first; an edit during a run may not)
      resolve({ code, signal, stdout, stderr: stderr.replace(/^compiling TypeScript to dist\/ .*\n/, '') });
    });
  });
}
