import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How a CLI reaches the service that holds the embedded store: the service writes this file next to its lock file,
 * readable only by the user it runs as. It names the loopback port of the service's control channel and the token
 * a command must present; whoever can read the file is the service's owner and may run commands as the operator.
 */
export interface ControlFile {
  pid: number;
  port: number;
  token: string;
  since: string;
}

export const CONTROL_FILE = 'commission-engine.control.json';

export function controlPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_FILE);
}

/** Written atomically (a reader sees the old file or the whole new one), with mode 0600 from its creation. */
export function writeControlFile(dataDir: string, control: ControlFile): void {
  const file = controlPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, JSON.stringify(control), { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** Removes the file if it is still this process's (a later service may have replaced it). */
export function removeControlFile(dataDir: string, pid: number = process.pid): void {
  const file = controlPath(dataDir);
  try {
    if ((JSON.parse(fs.readFileSync(file, 'utf8')) as ControlFile).pid === pid) fs.unlinkSync(file);
  } catch {
    /* gone already, or not ours to remove */
  }
}
