import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { computeShard, ComputedPeriod, ComputeOptions, ShardInput } from './shard-compute';

interface Pending {
  resolve: (r: ComputedPeriod[]) => void;
  reject: (e: Error) => void;
}

interface Thread {
  worker: Worker;
  busy: boolean;
}

/**
 * Worker threads that run the pure calculation core on shards, so a calculation uses every core: the main thread
 * reads the next shard from the database and writes the previous one's rows while the threads compute
 * (CALC_THREADS, default cores − 1; 0 computes on the main thread). The result does not depend on where a shard was
 * computed (same inputs, same pure core); a test compares both. Threads start on first use and stop with the app.
 */
@Injectable()
export class ComputePool implements OnApplicationShutdown {
  private readonly logger = new Logger(ComputePool.name);
  private threads: Thread[] | null = null;
  private readonly waiting: { input: ShardInput; opts: ComputeOptions; pending: Pending }[] = [];
  private readonly inFlight = new Map<number, Pending & { thread: Thread }>();
  private nextId = 1;

  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {}

  get size(): number {
    return this.cfg.calcThreads;
  }

  /** Computes a shard on a thread; on the calling thread with CALC_THREADS=0 or `here` (nothing to overlap with). */
  compute(input: ShardInput, opts: ComputeOptions, here = false): Promise<ComputedPeriod[]> {
    if (this.size === 0 || here) return computeShard(input, opts);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, opts, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  private start(): Thread[] {
    if (this.threads) return this.threads;
    // compiled: the .js next to this file; under ts-node or jest: the .ts source through ts-node
    const compiled = __filename.endsWith('.js');
    const file = path.join(__dirname, `shard-worker${compiled ? '.js' : '.ts'}`);
    const execArgv = compiled ? [] : ['-r', 'ts-node/register/transpile-only'];
    this.threads = Array.from({ length: this.size }, () => {
      // the engine makes many short-lived decimals: a large young generation, as the main process has (--max-semi-space-size)
      const thread: Thread = { worker: new Worker(file, { execArgv, resourceLimits: { maxYoungGenerationSizeMb: 192 } }), busy: false };
      thread.worker.on('message', (msg: { id: number; result?: ComputedPeriod[]; error?: { message: string; code?: CommissionErrorCode; details?: unknown; name?: string } }) => {
        const p = this.inFlight.get(msg.id);
        if (!p) return;
        this.inFlight.delete(msg.id);
        thread.busy = false;
        thread.worker.unref();
        if (msg.error) {
          p.reject(msg.error.name === 'CommissionError' && msg.error.code ? new CommissionError(msg.error.code, msg.error.message, msg.error.details) : new Error(msg.error.message));
        } else p.resolve(msg.result as ComputedPeriod[]);
        this.dispatch();
      });
      thread.worker.on('error', (e) => this.fail(thread, e));
      thread.worker.on('exit', (code) => {
        if (code !== 0) this.fail(thread, new Error(`calculation thread exited with code ${code}`));
      });
      thread.worker.unref();
      return thread;
    });
    this.logger.debug(`started ${this.size} calculation thread(s)`);
    return this.threads;
  }

  private dispatch(): void {
    for (const thread of this.start()) {
      if (thread.busy || !this.waiting.length) continue;
      const { input, opts, pending } = this.waiting.shift() as (typeof this.waiting)[number];
      const id = this.nextId++;
      thread.busy = true;
      // a thread with a shard keeps the process alive: on the embedded store nothing else may (no socket is open)
      thread.worker.ref();
      this.inFlight.set(id, { ...pending, thread });
      thread.worker.postMessage({ id, input, opts });
    }
  }

  /** A thread that died fails its shard (the calculation's transaction rolls back) and is replaced on next use. */
  private fail(thread: Thread, e: Error): void {
    for (const [id, p] of this.inFlight) {
      if (p.thread !== thread) continue;
      this.inFlight.delete(id);
      p.reject(new CommissionError(CommissionErrorCode.CALCULATION_FAILED, `calculation thread failed: ${e.message}`));
    }
    if (this.threads) this.threads = this.threads.filter((t) => t !== thread);
    if (this.threads && !this.threads.length) this.threads = null;
    void thread.worker.terminate();
  }

  async onApplicationShutdown(): Promise<void> {
    const threads = this.threads ?? [];
    this.threads = null;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
