import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PayoutsRepository } from './payouts.repository';
import { RunsRepository } from './runs.repository';
import { ShardJob, ShardRunner } from './shard-runner';

export const SHARD_QUEUE = 'calc-shard';

/**
 * Calculation shards as pg-boss jobs (CALC_QUEUE=pgboss, PostgreSQL only). The close enqueues one job per payee
 * shard and works on the queue itself while it waits, so it finishes with no worker running and faster with more:
 * every `cli worker` process, on this machine or another, takes shards from the same queue. A shard writes its
 * payouts into the pending runs in its own transaction; the close commits the runs once every shard is done.
 */
@Injectable()
export class CalcQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(CalcQueue.name);
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly db: Db,
    private readonly shards: ShardRunner,
    private readonly runs: RunsRepository,
    private readonly payouts: PayoutsRepository,
  ) {}

  get enabled(): boolean {
    return this.cfg.calcQueue === 'pgboss';
  }

  private async start(): Promise<PgBoss> {
    if (this.boss) return this.boss;
    this.starting ??= (async () => {
      if (!this.cfg.databaseUrl) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'the calculation queue needs PostgreSQL (DATABASE_URL)');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const PgBossCtor: typeof PgBoss = require('pg-boss');
      const boss = new PgBossCtor({ connectionString: this.cfg.databaseUrl, schema: 'pgboss', max: 4, supervise: true, schedule: false });
      boss.on('error', (e: Error) => this.logger.error(`pg-boss: ${e.message}`));
      // Workers started together on a fresh database each install pg-boss's schema and create the queue; done
      // concurrently that deadlocks in PostgreSQL (seen in CI: three workers, one `deadlock detected`). One
      // transaction-scoped advisory lock makes the processes take turns; the lock is released when they are done.
      await this.db.tx(async (em) => {
        await this.runs.lockQueueInstall(em);
        await boss.start();
        await boss.createQueue(SHARD_QUEUE, { name: SHARD_QUEUE, retryLimit: 2, retryDelay: 1, expireInSeconds: 900 });
      });
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /** One shard in its own transaction. A retry after a crash between commit and completion finds its rows and skips. */
  async process(job: ShardJob): Promise<void> {
    await this.db.tx(async (em) => {
      // A shard of a close that died: its runs were removed by the next close (or, after a commit, are no longer
      // pending). Nothing is written into them. FOR SHARE keeps them from being removed while this shard writes.
      const runIds = job.runs.map((r) => r.runId);
      if ((await this.runs.lockPending(em, runIds)) !== runIds.length) {
        this.logger.warn(`shard of runs ${runIds.join(', ')} skipped: they are no longer pending (a close that did not finish)`);
        return;
      }
      if (await this.payouts.anyOf(em, job.runs[0].runId, job.repIds)) return;
      await this.shards.run(em, job);
    });
  }

  /** Enqueues the shards, works on them until none is left to take, then waits for the ones other workers took. */
  async runAll(jobs: ShardJob[], onShardDone?: (done: number, total: number) => void): Promise<void> {
    const boss = await this.start();
    const jobIds = jobs.map(() => randomUUID());
    await boss.insert(jobs.map((data, i) => ({ id: jobIds[i], name: SHARD_QUEUE, data: data as object })));
    while (await this.takeOne(boss));
    for (;;) {
      const states = await Promise.all(jobIds.map((id) => boss.getJobById(SHARD_QUEUE, id, { includeArchive: true })));
      const failed = states.find((s) => s?.state === 'failed');
      if (failed) {
        throw new CommissionError(CommissionErrorCode.CALCULATION_FAILED, `shard ${failed.id} failed: ${JSON.stringify((failed.output as { message?: string })?.message ?? failed.output)}`);
      }
      const done = states.filter((s) => s?.state === 'completed').length;
      onShardDone?.(done, jobIds.length);
      if (done === jobIds.length) return;
      // A shard whose worker died is retried by pg-boss after it expires; take it here if it is back in the queue.
      if (!(await this.takeOne(boss))) await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Takes one shard off the queue and processes it; false when the queue had none to give. */
  private async takeOne(boss: PgBoss): Promise<boolean> {
    const [job] = (await boss.fetch<ShardJob>(SHARD_QUEUE, { batchSize: 1 })) ?? [];
    if (!job) return false;
    try {
      await this.process(job.data);
      await boss.complete(SHARD_QUEUE, job.id);
    } catch (e) {
      await boss.fail(SHARD_QUEUE, job.id, { message: (e as Error).message });
    }
    return true;
  }

  /** `cli worker`: takes shards until stopped. */
  async work(onJob?: (job: ShardJob) => void): Promise<void> {
    const boss = await this.start();
    await boss.work<ShardJob>(SHARD_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      onJob?.(job.data);
      await this.process(job.data);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
