import { Inject, Injectable } from '@nestjs/common';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { calculationInputOf, ShardInput } from '../calculation/shard-compute';
import { CalcInputsRepository, reader } from '../calculation/calc-inputs.repository';
import { shardInputFrom } from '../calculation/shard-runner';
import { SharedFactsLoader } from '../calculation/shared-facts.loader';
import { addMonths, isPeriod, monthsBetween, Period, periodEnd, periodStart } from '../core/calendar/dates';
import { calculatePeriods } from '../core/calculation/calculate-period';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { planHash } from '../core/plans/canonical-json';
import { comparePlanResults, ModelReport, ModelResult } from '../core/plans/plan-model';
import { PlanDocument } from '../core/plans/plan-types';
import { validatePlan } from '../core/plans/validate-plan';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { PlanModelFactsRepository } from './plan-model-facts.repository';

/** The longest range a model runs over (two plan years). */
const MAX_MONTHS = 24;

/**
 * Plan modeling: runs a draft plan version over a past range for every payee assigned to the plan in it, with the
 * engine the calculation uses, and compares it with the current version over the same facts. Writes nothing. Payees
 * are computed in shards of CALC_SHARD_SIZE, as a calculation's are. What the current version paid is the periods'
 * current runs when every period of the range has a fresh one (what was calculated from the facts as they are now),
 * else the engine runs the current version too; the draft always runs. So a model of calculated periods costs one
 * engine pass over the range without its writes, less than calculating it.
 */
@Injectable()
export class PlanModelingService {
  constructor(
    private readonly db: Db,
    private readonly modelFacts: PlanModelFactsRepository,
    private readonly versions: PlanVersionsRepository,
    private readonly sharedFacts: SharedFactsLoader,
    private readonly recon: ReconciliationService,
    private readonly lifecycle: PeriodLifecycle,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** The draft checked as a plan file is (the same validator), and for the plan it models. Problems name JSON paths. */
  static draftOrThrow(planId: string, draft: unknown): PlanVersionFacts {
    const problems = validatePlan(draft);
    if (problems.length) {
      throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `the draft plan has ${problems.length} problem(s); nothing was modeled`, problems.map((p) => `${p.path}: ${p.message}`));
    }
    const doc = draft as PlanDocument;
    if (doc.id !== planId) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `the draft is plan "${doc.id}", not "${planId}": a model compares versions of one plan`);
    return { planId, version: doc.version, hash: planHash(doc as unknown as Record<string, unknown>), document: doc };
  }

  async model(planId: string, draftDocument: unknown, from: string, to: string): Promise<ModelReport> {
    if (!isPeriod(from) || !isPeriod(to)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `from and to must be YYYY-MM, got "${from}" and "${to}"`);
    if (to < from) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `from ${from} is after to ${to}`);
    if (monthsBetween(from, to) + 1 > MAX_MONTHS) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `a model runs over at most ${MAX_MONTHS} months`);
    const draft = PlanModelingService.draftOrThrow(planId, draftDocument);
    const current = await this.versions.latest(planId);
    if (!current) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `plan ${planId} is not loaded`);

    const periods: Period[] = [];
    for (let p = from as Period; p <= to; p = addMonths(p, 1)) periods.push(p);
    const payees = await this.modelFacts.assignedPayees(planId, periodStart(from), periodEnd(to));

    const em = this.db.manager;
    const facts = await this.sharedFacts.load(em, periodEnd(to));
    const snapshots = [];
    for (const p of periods) snapshots.push(await this.sharedFacts.snapshotFor(em, facts, p));
    const watermark = await CalcInputsRepository.outside(this.db).bookingWatermark();
    const runs = await Promise.all(periods.map((p) => this.lifecycle.currentRun(p)));
    const storedRuns = runs.every((r) => r && !r.stale) ? runs.map((r) => r!.id) : null;
    const currentResults = new Map<string, ModelResult[]>();
    const draftResults = new Map<string, ModelResult[]>();
    for (let i = 0; i < payees.length; i += this.cfg.calcShardSize) {
      const shard = payees.slice(i, i + this.cfg.calcShardSize);
      const input = await shardInputFrom(reader(em), {
        periods,
        snapshot: snapshots[snapshots.length - 1],
        adjustments: snapshots.map((s) => s.adjustments),
        repIds: shard,
        bookings: { bookingWatermark: watermark },
      });
      const drafted: ShardInput = { ...input, plans: [...input.plans.filter((p) => p.planId !== planId), draft] };
      if (storedRuns) await this.stored(storedRuns, shard, currentResults);
      else await collect(input, shard, currentResults);
      await collect(drafted, shard, draftResults);
    }
    return comparePlanResults({
      plan: current.document,
      draft: { version: draft.version, hash: draft.hash },
      from: from as Period,
      to: to as Period,
      current: currentResults,
      drafted: draftResults,
      converter: await this.recon.converter(to as Period),
    });
  }

  /** The current runs' figures of a shard's payees, period by period (as the engine's results would give them). */
  private async stored(runIds: string[], shard: string[], into: Map<string, ModelResult[]>): Promise<void> {
    for (const { repId, result } of await this.modelFacts.storedResults(runIds, shard)) into.set(repId, [...(into.get(repId) ?? []), result]);
  }
}

/** The engine over a shard's input: each shard payee's results, period by period. */
async function collect(input: ShardInput, shard: string[], into: Map<string, ModelResult[]>): Promise<void> {
  const mine = new Set(shard);
  for await (const result of calculatePeriods(calculationInputOf(input))) {
    for (const p of result.payees) {
      if (!mine.has(p.repId)) continue;
      // only what the comparison reads: a year of lines and traces for every payee would not fit a model of 10,000
      const kept: ModelResult = {
        currency: p.currency,
        earned: p.earned,
        payout: p.payout,
        windows: p.windows.map((w) => ({ planId: w.planId, componentId: w.componentId, componentKey: w.componentKey, credit: w.credit, attainment: w.attainment })),
      };
      into.set(p.repId, [...(into.get(p.repId) ?? []), kept]);
    }
  }
}
