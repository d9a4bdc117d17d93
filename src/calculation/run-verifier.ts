import { Inject, Injectable } from '@nestjs/common';
import { combineResultHash, figuresHash } from '../core/calculation/result-hash';
import { Period } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal } from '../core/money/decimal';
import { AppConfig } from '../infra/env';
import { Db } from '../infra/db.service';
import { APP_CONFIG } from '../infra/tokens';
import { CalculationService } from './calculation.service';
import { InputSnapshot, ShardRunner } from './shard-runner';

/** `verify`: a stored run recalculated from what it recorded, compared with what it stored. */
@Injectable()
export class RunVerifier {
  private readonly shardSize: number;

  constructor(
    private readonly db: Db,
    private readonly shards: ShardRunner,
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
    const [run] = await this.db.query<{ period: string; result_hash: string; inputs_hash: string; snapshot: InputSnapshot; ids: string[] | null; watermark: string | null; hash_version: number }>(
      `SELECT period, result_hash, inputs_hash, snapshot, booking_version_ids::text[] AS ids, booking_watermark::text AS watermark, hash_version FROM calculation_runs WHERE id = $1`,
      [runId],
    );
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `run ${runId} not found`);
    const byFigures = Number(run.hash_version) === 1;
    const repIds = run.snapshot.reps.map(([id]) => id).sort();
    const hashes: [string, string][] = [];
    await this.db.tx(async (em) => {
      for (let i = 0; i < repIds.length; i += this.shardSize) {
        const [outcome] = await this.shards.run(
          em,
          { runs: [{ period: run.period, runId }], repIds: repIds.slice(i, i + this.shardSize), bookingWatermark: run.watermark, bookingVersionIds: run.ids ?? [] },
          { persist: false, figures: byFigures },
        );
        hashes.push(...(byFigures ? (outcome.figureHashes ?? []) : outcome.payeeHashes));
      }
    });
    return {
      period: run.period,
      storedResultHash: byFigures ? await this.storedFiguresHash(runId) : run.result_hash,
      resultHash: combineResultHash(hashes),
      storedInputsHash: run.inputs_hash,
      inputsHash: await CalculationService.fingerprint((sql, params) => this.db.query(sql, params), run.period, run.snapshot, run.watermark, run.ids ?? []),
      method: byFigures ? 'figures' : 'result hash',
    };
  }

  /** The figures hash of a run's stored payouts and lines (for runs hashed with version 1). */
  private async storedFiguresHash(runId: string): Promise<string> {
    const payouts = await this.db.query<{ rep_id: string; currency: string; earned_to_date: string; earned: string; draw: string; payout: string; balance: string }>(
      `SELECT rep_id, currency, earned_to_date::text AS earned_to_date, earned::text AS earned, draw::text AS draw, payout::text AS payout, balance::text AS balance
         FROM payouts WHERE run_id = $1 ORDER BY rep_id`,
      [runId],
    );
    const lines = await this.db.query<{ rep_id: string; kind: string; component_key: string | null; ref: string | null; origin_period: string | null; amount: string; amount_precise: string }>(
      `SELECT rep_id, kind, component_key, ref, origin_period, amount::text AS amount, amount_precise::text AS amount_precise FROM run_lines WHERE run_id = $1 ORDER BY rep_id, line_no`,
      [runId],
    );
    const linesOf = new Map<string, typeof lines>();
    for (const l of lines) linesOf.set(l.rep_id, [...(linesOf.get(l.rep_id) ?? []), l]);
    return combineResultHash(
      payouts.map((p): [string, string] => [
        p.rep_id,
        figuresHash({
          repId: p.rep_id,
          currency: p.currency,
          earnedToDate: new Decimal(p.earned_to_date).toFixed(2),
          earned: new Decimal(p.earned).toFixed(2),
          draw: new Decimal(p.draw).toFixed(2),
          payout: new Decimal(p.payout).toFixed(2),
          balance: new Decimal(p.balance).toFixed(2),
          lines: (linesOf.get(p.rep_id) ?? []).map((l) => ({
            kind: l.kind,
            componentKey: l.component_key,
            ref: l.ref,
            originPeriod: l.origin_period === null ? null : l.origin_period,
            amount: new Decimal(l.amount).toFixed(2),
            amountPrecise: new Decimal(l.amount_precise).toFixed(),
          })),
        }),
      ]),
    );
  }
}
