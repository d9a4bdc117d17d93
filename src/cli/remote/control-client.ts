import * as fs from 'node:fs';
import * as http from 'node:http';
import { CommissionError, CommissionErrorCode } from '../../core/errors/commission-error';
import { alive } from '../../infra/embedded-lock';
import type { AppConfig } from '../../infra/env';
import { ControlFile, controlPath } from './control-file';
import type { ControlFrame, ControlRequest } from './control-server';

/**
 * The running service that holds the configured embedded store and takes CLI commands, if there is one. PostgreSQL
 * (DATABASE_URL) is shared by any number of processes, so there the CLI always works directly; a control file left
 * by a service that died is ignored (its lock is taken over as stale).
 */
export function serviceHoldingStore(cfg: Pick<AppConfig, 'databaseUrl' | 'inMemory' | 'dataDir'>): ControlFile | undefined {
  if (cfg.databaseUrl || cfg.inMemory) return undefined;
  const file = controlPath(cfg.dataDir);
  let control: ControlFile;
  try {
    control = JSON.parse(fs.readFileSync(file, 'utf8')) as ControlFile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CommissionError(
        CommissionErrorCode.STORE_LOCKED,
        `the embedded store ${cfg.dataDir} is held by a service of another user: only that user can read ${file} and send it commands`,
      );
    }
    return undefined; // no service holds the store (or it is half-written by one starting: then the lock says so)
  }
  return Number.isInteger(control.pid) && alive(control.pid) ? control : undefined;
}

/**
 * Runs the command line in the service: its output arrives as it is written and goes to this process's stdout and
 * stderr; answers the command's exit status. Interrupted here (Ctrl-C), the command still finishes in the service.
 */
export function forward(control: ControlFile, argv: string[]): Promise<number> {
  const body: ControlRequest = { argv, cwd: process.cwd(), errIsTTY: Boolean(process.stderr.isTTY) };
  return new Promise<number>((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: control.port, method: 'POST', path: '/run', headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' } },
      (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            let message = text;
            try {
              message = (JSON.parse(text) as { message: string }).message;
            } catch {
              /* not JSON: shown as it came */
            }
            process.stderr.write(`error: the service (pid ${control.pid}) refused the command: ${message}\n`);
            resolve(1);
          });
          return;
        }
        let pending = '';
        let exit: number | undefined;
        res.on('data', (chunk: string) => {
          pending += chunk;
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const frame = JSON.parse(pending.slice(0, nl)) as ControlFrame;
            pending = pending.slice(nl + 1);
            if ('out' in frame) process.stdout.write(frame.out);
            else if ('err' in frame) process.stderr.write(frame.err);
            else exit = frame.exit;
          }
        });
        res.on('end', () => {
          if (exit === undefined) process.stderr.write(`error: the service (pid ${control.pid}) ended the command without an exit status (did it stop?)\n`);
          resolve(exit ?? 1);
        });
      },
    );
    req.on('error', (e) => {
      process.stderr.write(`error: the service (pid ${control.pid}) holds the embedded store but did not answer on 127.0.0.1:${control.port}: ${e.message}\n`);
      resolve(1);
    });
    process.once('SIGINT', () => {
      process.stderr.write(`\ninterrupted: the command goes on in the service (pid ${control.pid}) until it finishes; the audit trail shows what it did\n`);
      process.exit(130);
    });
    req.end(JSON.stringify(body));
  });
}
