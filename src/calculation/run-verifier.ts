import { Inject, Injectable } from '@nestjs/common';
import { combineResultHash, figuresHash } from '../core/calculation/result-hash';
import { Period } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal } from '../core/money/decimal';
import { AppConfig } from '../infra/env';
import { Db } from '../infra/db.service';
import { APP_CONFIG } from '../infra/tokens';
import { CalculationService } from './calculation.service';
import { LineFigures, PayoutsRepository } from './payouts.repository';
import { RunsRepository } from './runs.repository';
import { ShardRunner } from './shard-runner';

/** `verify`: a stored run recalculated from what it recorded, compared with what it stored. */
@Injectable()
export class RunVerifier {
  private readonly shardSize: number;

  constructor(
    private readonly db: Db,
    private readonly shards: ShardRunner,
    private readonly runs: RunsRepository,
    private readonly payouts: PayoutsRepository,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.shardSize = cfg.calcShardSize;
  }

  /**
   * Recalculates a run from what it stored (snapshot, booking watermark or version ids, plan hashes) and the current
   * runs before it, shard by shard, without writing; returns both pairs of hashes. A run hashed with version 2 is
   * compared by its result hash (figures and structured traces). A run hashed with version 1 (before traces were
   * typed: its hash covered description text no later engine writes) is compared by its figures: every payee figure
   * and every line's kind, key, reference, origin and amounts, recalculated against the stored rows.
   */
  async recalculateRun(runId: string): Promise<{ period: Period; storedResultHash: string; resultHash: string; storedInputsHash: string; inputsHash: string; method: 'result hash' | 'figures' }> {
    const run = await this.runs.stored(runId);
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${runId} not found`);
    const byFigures = run.hashVersion === 1;
    const repIds = run.snapshot.reps.map(([id]) => id).sort();
    const hashes: [string, string][] = [];
    await this.db.tx(async (em) => {
      for (let i = 0; i < repIds.length; i += this.shardSize) {
        const [outcome] = await this.shards.run(
          em,
          { runs: [{ period: run.period, runId }], repIds: repIds.slice(i, i + this.shardSize), bookingWatermark: run.bookingWatermark, bookingVersionIds: run.bookingVersionIds ?? [] },
          { persist: false, figures: byFigures },
        );
        hashes.push(...(byFigures ? (outcome.figureHashes ?? []) : outcome.payeeHashes));
      }
    });
    return {
      period: run.period,
      storedResultHash: byFigures ? await this.storedFiguresHash(runId) : run.resultHash,
      resultHash: combineResultHash(hashes),
      storedInputsHash: run.inputsHash,
      inputsHash: CalculationService.fingerprint(run.period, run.snapshot, await this.runs.currentRunsBefore(run.period), run.bookingWatermark, run.bookingVersionIds ?? []),
      method: byFigures ? 'figures' : 'result hash',
    };
  }

  /** The figures hash of a run's stored payouts and lines (for runs hashed with version 1). */
  private async storedFiguresHash(runId: string): Promise<string> {
    const payouts = await this.payouts.payoutFigures(runId);
    const lines = await this.payouts.lineFigures(runId);
    const linesOf = new Map<string, LineFigures[]>();
    for (const l of lines) linesOf.set(l.repId, [...(linesOf.get(l.repId) ?? []), l]);
    return combineResultHash(
      payouts.map((p): [string, string] => [
        p.repId,
        figuresHash({
          repId: p.repId,
          currency: p.currency,
          earnedToDate: new Decimal(p.earnedToDate).toFixed(2),
          earned: new Decimal(p.earned).toFixed(2),
          draw: new Decimal(p.draw).toFixed(2),
          payout: new Decimal(p.payout).toFixed(2),
          balance: new Decimal(p.balance).toFixed(2),
          lines: (linesOf.get(p.repId) ?? []).map((l) => ({
            kind: l.kind,
            componentKey: l.componentKey,
            ref: l.ref,
            originPeriod: l.originPeriod === null ? null : l.originPeriod,
            amount: new Decimal(l.amount).toFixed(2),
            amountPrecise: new Decimal(l.amountPrecise).toFixed(),
          })),
        }),
      ]),
    );
  }
}
