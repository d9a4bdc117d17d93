import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';

interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/** A process with this id runs (one of another user's answers EPERM: it runs too). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is single-process: two processes writing one data directory corrupt it. We hold an exclusive lock file
 * for the life of the process; a second opener gets an error naming the holder. A lock left by a dead process is
 * taken over.
 */
export function acquireEmbeddedLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'commission-engine.lock');
  const me: LockHolder = { pid: process.pid, command: process.argv.slice(1).join(' '), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
          if (holder.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockHolder | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        throw new CommissionError(
          CommissionErrorCode.STORE_LOCKED,
          `embedded store ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); ` +
            'a CLI command holds the store until it ends, a service until it stops (once listening, a service takes CLI ' +
            'commands itself); wait for it, or point DATABASE_URL at PostgreSQL to share one database between processes',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock of a dead process
    }
  }
  throw new CommissionError(CommissionErrorCode.STORE_LOCKED, `could not lock embedded store ${dataDir}`);
}
