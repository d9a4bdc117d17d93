import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A progress bar on a terminal; plain "label: n/total" lines (every 10%) otherwise. Always on stderr. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({ stream, format: '{label} [{bar}] {percentage}% | {value}/{total}', hideCursor: true }, Presets.shades_classic);
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
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      /* nothing to clear */
    },
  };
}
