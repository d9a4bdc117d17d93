import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CliSession } from '../cli-session';
import { removeControlFile, writeControlFile } from './control-file';

/** What a CLI sends: its arguments as typed, the directory it runs in, whether its stderr is a terminal. */
export interface ControlRequest {
  argv: string[];
  cwd: string;
  errIsTTY?: boolean;
}

/** One JSON object per line back to the CLI: output as it is written, then the exit status. */
export type ControlFrame = { out: string } | { err: string } | { exit: number };

const MAX_REQUEST_BYTES = 64 * 1024;

export interface ControlServer {
  port: number;
  /** Refuses new commands, waits for the ones in flight, removes the control file. */
  close(): Promise<void>;
}

export interface ControlLog {
  log(message: string): void;
  warn(message: string): void;
}

function problem(req: unknown): string | null {
  const r = req as Partial<ControlRequest> | null;
  if (!r || typeof r !== 'object') return 'the body must be a JSON object';
  if (!Array.isArray(r.argv) || !r.argv.every((a) => typeof a === 'string')) return 'argv must be an array of strings';
  if (typeof r.cwd !== 'string' || !path.isAbsolute(r.cwd)) return 'cwd must be an absolute path';
  return null;
}

/**
 * The running service's control channel: the CLI, finding the embedded store held by this process, sends its command
 * line here and the command runs inside the service, against the service's application, with the caller's working
 * directory. HTTP on 127.0.0.1 only, on a port the system picks, behind a token of 256 random bits that only the
 * service's owner can read (the control file). A command runs exactly as it would in its own process: same code, same
 * audit actor (`cli:<user>`), the same transactions beside the HTTP requests; if the caller goes away the command
 * still finishes (a close is never left half done), its output is dropped.
 */
export async function startControlServer(app: INestApplicationContext, dataDir: string, log: ControlLog): Promise<ControlServer> {
  const token = Buffer.from(randomBytes(32).toString('hex'));
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  // the CLI's commands, loaded when the first one comes (the service itself never needs them)
  const runCli = async (argv: string[], s: CliSession) => (await import('../run-cli')).runCli(argv, s);

  const authorized = (header: string | undefined): boolean => {
    const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const server = http.createServer((req, res) => {
    const refuse = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
    };
    if (req.method !== 'POST' || req.url !== '/run') return refuse(404, 'the control channel takes POST /run only');
    if (!authorized(req.headers.authorization)) return refuse(401, 'token refused: the control file of the store holds the token');
    if (closing) return refuse(503, 'the service is stopping');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let body: ControlRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ControlRequest;
      } catch {
        return refuse(400, 'the body must be JSON');
      }
      const bad = problem(body);
      if (bad) return refuse(400, bad);
      let open = true;
      res.on('close', () => (open = false));
      const send = (frame: ControlFrame) => {
        if (open) res.write(`${JSON.stringify(frame)}\n`);
      };
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const started = Date.now();
      const words = body.argv.findIndex((a) => a.startsWith('-'));
      const command = (words < 0 ? body.argv : body.argv.slice(0, words)).slice(0, 2).join(' ') || body.argv.join(' ');
      const session: CliSession = {
        out: (text) => send({ out: text }),
        err: (text) => send({ err: text }),
        cwd: body.cwd,
        errIsTTY: Boolean(body.errIsTTY),
        exitCode: 0,
        app,
      };
      const run = runCli(body.argv, session)
        .catch((e: Error) => {
          send({ err: `error: ${e.message}\n` });
          return 1;
        })
        .then((code) => {
          log.log(`cli command '${command}' ran in the service: exit ${code} in ${Date.now() - started} ms${open ? '' : ' (the caller had gone; its output was dropped)'}`);
          send({ exit: code });
          if (open) res.end();
        });
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  writeControlFile(dataDir, { pid: process.pid, port, token: token.toString(), since: new Date().toISOString() });
  const forget = () => removeControlFile(dataDir);
  process.once('exit', forget);
  log.log(`CLI commands for the embedded store run in this service (control channel on 127.0.0.1:${port}, token in ${dataDir})`);

  return {
    port,
    async close() {
      closing = true;
      if (inFlight.size) log.log(`waiting for ${inFlight.size} CLI command(s) in flight`);
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // every command has answered: what is left is idle
      });
      forget();
      process.removeListener('exit', forget);
    },
  };
}
