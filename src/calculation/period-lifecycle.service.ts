import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addMonths, isPeriod, Period } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Db } from '../infra/db.service';
import { RunsRepository, RunStatus } from './runs.repository';

export type { PeriodStatus, RunStatus } from './runs.repository';
export { LIFECYCLE_LOCK } from './runs.repository';

/**
 * A period's lifecycle: open → calculated → approved → closed, its current run and staleness, and the lock every
 * step takes. The calculation (CalculationService) and the close (PeriodsService) ask it what state a period is in
 * and which periods a calculation must cover; only it knows the rules.
 */
@Injectable()
export class PeriodLifecycle {
  constructor(
    private readonly db: Db,
    private readonly runs: RunsRepository,
  ) {}

  static assertPeriod(period: string): Period {
    if (!isPeriod(period)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `period must be YYYY-MM, got "${period}"`);
    return period;
  }

  /** Takes the lifecycle lock (LIFECYCLE_LOCK) for the caller's transaction. */
  static lock(em: EntityManager): Promise<void> {
    return RunsRepository.lockLifecycle(em);
  }

  status(period: Period, em: EntityManager = this.db.manager): Promise<RunStatus> {
    return this.runs.status(period, em);
  }

  async currentRun(period: Period): Promise<{ id: string; stale: boolean } | null> {
    const s = await this.status(period);
    return s.runId ? { id: s.runId, stale: s.stale } : null;
  }

  firstPeriod(em: EntityManager = this.db.manager): Promise<Period | null> {
    return this.runs.firstPeriod(em);
  }

  /** The latest closed period, or null when none is. */
  lastClosed(em?: EntityManager): Promise<Period | null> {
    return this.runs.lastClosed(em);
  }

  /**
   * The first period neither approved nor closed (periods approve and close in order, so the frozen ones are a
   * prefix): the period whose figures are still an estimate. Null while nothing is assigned.
   */
  async firstUnfrozen(em: EntityManager = this.db.manager): Promise<Period | null> {
    const first = await this.firstPeriod(em);
    if (!first) return null;
    const frozen = await this.runs.lastFrozenPeriod(em);
    const after = frozen ? addMonths(frozen, 1) : first;
    return after > first ? after : first;
  }

  /**
   * The periods a calculation of `target` covers: from the first earlier period that has no run or a stale one
   * (recalculating one makes all later ones stale anyway) to the target. Closed and approved periods (a prefix) are
   * never touched; the target itself must be neither.
   */
  async periodsToCalculate(em: EntityManager, target: Period): Promise<Period[]> {
    const own = await this.status(target, em);
    if (own.status === 'closed') {
      throw new CommissionError(
        CommissionErrorCode.PERIOD_LOCKED,
        `period ${target} is closed and never changes; late facts flow into the first open period as prior-period adjustments`,
      );
    }
    if (own.status === 'approved') {
      throw new CommissionError(CommissionErrorCode.PERIOD_LOCKED, `period ${target} is approved; its result is frozen until it is closed`);
    }
    let from: Period = target;
    const first = await this.firstPeriod(em);
    if (first && first < target) {
      for (let p = first; p < target; p = addMonths(p, 1)) {
        const s = await this.status(p, em);
        if (s.status === 'closed' || s.status === 'approved') continue;
        if (!s.runId || s.stale) {
          from = p;
          break;
        }
      }
    }
    const periods: Period[] = [];
    for (let p = from; p <= target; p = addMonths(p, 1)) periods.push(p);
    return periods;
  }

  /** A committed run becomes current; later periods go stale (approved ones fall back to calculated). */
  async commit(em: EntityManager, period: Period, runId: string): Promise<{ replaced: string | null; stalePeriods: Period[] }> {
    const { replaced } = await this.runs.makeCurrent(em, period, runId);
    return { replaced, stalePeriods: await this.runs.markStale(em, period, false) };
  }

  /** New facts for `period` (an adjustment): its result and every later one go stale. */
  markStaleFrom(em: EntityManager, period: Period): Promise<Period[]> {
    return this.runs.markStale(em, period, true);
  }
}
