import { SingleBar, Presets } from 'cli-progress';
import { err, session } from './cli-session';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; plain "label: n/total" lines (every 10%) otherwise, and always when the command runs
 * inside the service (the lines travel back to the caller's stderr).
 */
export function createProgress(): Progress {
  const s = session();
  if (s.errIsTTY && !s.app) {
    const bar = new SingleBar({ stream: process.stderr, format: '{label} [{bar}] {percentage}% | {value}/{total}', hideCursor: true }, Presets.shades_classic);
    return {
      start: (total, label) => bar.start(total, 0, { label }),
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let label = '';
  let lastDecile = -1;
  return {
    start(t, l) {
      total = t;
      label = l;
      lastDecile = -1;
    },
    update(done) {
      const decile = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        err(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      /* nothing to clear */
    },
  };
}
