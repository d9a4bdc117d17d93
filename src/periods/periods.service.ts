import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountingService } from '../accounting/accounting.service';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { CalculationService, PeriodStatus, RunSummary } from '../calculation/calculation.service';
import { addMonths, isPeriod, Period } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { csvLine } from '../core/csv/write-csv';
import { DECIMAL_PATTERN, Decimal } from '../core/money/decimal';
import { inMinorUnits, MAX_ABS_AMOUNT, MAX_MINOR_UNITS, MinorUnits } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { Db } from '../infra/db.service';
import { PlanDocumentsService } from '../plan-documents/plan-documents.service';
import { RepsRepository } from '../reps/reps.repository';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { RunVerifier } from '../calculation/run-verifier';
import { Adjustment, AdjustmentsRepository } from './adjustments.repository';
import { DiffLine, ExportRow, PayoutChange, PeriodDetail, PeriodRunsRepository, PeriodState } from './period-runs.repository';

export interface CloseOutcome {
  period: Period;
  status: PeriodStatus;
  /** false when the period was already closed (closing is idempotent). */
  changed: boolean;
  runId: string | null;
  resultHash: string | null;
  message: string;
  calculated: RunSummary[];
  /** What the close went ahead despite (assignments whose plan document is not acknowledged). */
  warnings: string[];
}

export interface PeriodDiff {
  period: Period;
  fromRunId: string | null;
  toRunId: string;
  payees: PayoutChange[];
  lines: DiffLine[];
}

export const ADJUSTMENT_REASONS = ['missing_credit', 'wrong_split', 'wrong_rate', 'wrong_quota', 'fx', 'clawback', 'dispute', 'guarantee', 'correction', 'other'] as const;

/**
 * The monthly close: approve freezes a calculated period, close locks it for good (in order, one month after
 * another), and every step runs under one advisory lock in one transaction, so concurrent closes give one result and
 * a close killed half-way leaves nothing behind.
 */
@Injectable()
export class PeriodsService {
  private readonly minorUnits: MinorUnits;

  constructor(
    private readonly db: Db,
    private readonly periodRuns: PeriodRunsRepository,
    private readonly adjustmentsRepo: AdjustmentsRepository,
    private readonly reps: RepsRepository,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly verifier: RunVerifier,
    private readonly audit: AuditService,
    private readonly documents: PlanDocumentsService,
    private readonly accounting: AccountingService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.minorUnits = new MinorUnits(cfg.currencyMinorUnits);
  }

  /**
   * Plan documents of assignments in effect during the period that their payees have not acknowledged: a warning, or
   * (ACK_REQUIRED=true) a refusal. Read before the close's transaction; acknowledgments only ever add up meanwhile.
   */
  private async acknowledgmentWarnings(p: Period, warnOnly = false): Promise<string[]> {
    if ((await this.lifecycle.status(p)).status === 'closed') return [];
    const { pending, total } = await this.documents.forPeriod(p);
    if (!pending.length) return [];
    // the first ten by name; the list command has them all
    const named = pending.slice(0, 10).map((v) => `${v.repId} (${v.planId} v${v.planVersion}, assignment ${v.assignmentId})`);
    const who = `${named.join(', ')}${pending.length > 10 ? ` and ${pending.length - 10} more (npm run cli -- acknowledgments --status pending)` : ''}`;
    const text = `${pending.length} of ${total} assignment(s) in effect have an unacknowledged plan document: ${who}`;
    if (this.cfg.ackRequired && !warnOnly) {
      throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} not closed: ${text}; ACK_REQUIRED=true needs every acknowledgment first (GET /acknowledgments?status=pending)`);
    }
    return [text];
  }

  /** Periods with their current run; payouts are added up per currency (`payoutTotals`), never across currencies. */
  list(): Promise<PeriodState[]> {
    return this.periodRuns.all();
  }

  /** One period with its current run and that run's hashes. */
  get(period: string): Promise<PeriodDetail> {
    return this.periodRuns.one(CalculationService.assertPeriod(period));
  }

  async approve(period: string, actor: Actor): Promise<CloseOutcome> {
    const p = CalculationService.assertPeriod(period);
    return this.db.tx(async (em) => {
      await PeriodLifecycle.lock(em);
      return this.approveWithin(em, p, actor, false);
    });
  }

  private async approveWithin(em: EntityManager, p: Period, actor: Actor, calculateIfNeeded: boolean): Promise<CloseOutcome> {
    const calculated: RunSummary[] = [];
    let s = await this.lifecycle.status(p, em);
    if (s.status === 'closed') return this.outcome(em, p, false, `period ${p} is already closed`, calculated);
    if (s.status === 'approved' && !s.stale) return this.outcome(em, p, false, `period ${p} is already approved`, calculated);
    // Approval freezes a result that reads every earlier period: those must be closed, or a recalculation of one of
    // them could unfreeze this one.
    const first = await this.lifecycle.firstPeriod(em);
    const prev = addMonths(p, -1);
    if (first && prev >= first) {
      const before = await this.lifecycle.status(prev, em);
      if (before.status !== 'closed') throw new CommissionError(CommissionErrorCode.CONFLICT, `periods are approved in order: close ${prev} (now ${before.status}) before approving ${p}`);
    }
    if (!s.runId || s.stale) {
      if (!calculateIfNeeded) {
        throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.runId ? 'stale' : 'not calculated'}; calculate it before approving`);
      }
      calculated.push(...(await this.calc.calculateWithin(em, p, actor)));
      s = await this.lifecycle.status(p, em);
    }
    if (!(await this.periodRuns.approve(em, p, actor.label))) throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} could not be approved from status ${s.status}`);
    await this.audit.record(em, actor, { action: 'period.approve', entityType: 'period', entityId: p, before: { status: s.status }, after: { status: 'approved', runId: s.runId } });
    return this.outcome(em, p, true, `period ${p} approved`, calculated);
  }

  /** Calculates if needed, approves and closes `period`. Closing a closed period is a no-op that says so. */
  async close(period: string, actor: Actor, opts: { onlyIfApproved?: boolean; acknowledgments?: 'warn' } = {}): Promise<CloseOutcome> {
    const p = CalculationService.assertPeriod(period);
    const warnings = await this.acknowledgmentWarnings(p, opts.acknowledgments === 'warn');
    const outcome = await this.db.tx(async (em) => {
      await PeriodLifecycle.lock(em);
      const s = await this.lifecycle.status(p, em);
      if (s.status === 'closed') return this.outcome(em, p, false, `period ${p} is already closed; nothing to do`, []);
      const first = await this.lifecycle.firstPeriod(em);
      const prev = addMonths(p, -1);
      if (first && prev >= first) {
        const before = await this.lifecycle.status(prev, em);
        if (before.status !== 'closed') {
          throw new CommissionError(CommissionErrorCode.CONFLICT, `periods close in order: close ${prev} (now ${before.status}) before ${p}`);
        }
      }
      if (opts.onlyIfApproved && s.status !== 'approved') {
        throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.status}; approve it before closing (or use close without --approved-only)`);
      }
      const approved = await this.approveWithin(em, p, actor, true);
      if (!(await this.periodRuns.close(em, p, actor.label))) throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} could not be closed`);
      // the commission cost accounting of the closed figures, in the same transaction: a close that fails leaves none
      const accounting = await this.accounting.recordClose(em, p, actor);
      await this.audit.record(em, actor, { action: 'period.close', entityType: 'period', entityId: p, before: { status: 'approved' }, after: { status: 'closed', runId: approved.runId, resultHash: approved.resultHash, accounting } });
      return this.outcome(em, p, true, `period ${p} closed`, approved.calculated);
    });
    return outcome.changed ? { ...outcome, warnings } : outcome;
  }

  private async outcome(em: EntityManager, p: Period, changed: boolean, message: string, calculated: RunSummary[]): Promise<CloseOutcome> {
    const { status, runId, resultHash } = await this.periodRuns.result(em, p);
    return { period: p, status, changed, runId, resultHash, message, calculated, warnings: [] };
  }

  /** The adjustments of a period, of the payees in `visible` (null: all), in the order they were made. */
  adjustments(p: Period, visible: Set<string> | null): Promise<Adjustment[]> {
    return this.adjustmentsRepo.paidIn(p, visible ? [...visible] : null);
  }

  /** A manual adjustment into an open (not approved, not closed) period; the period must be recalculated after it. */
  async addAdjustment(
    actor: Actor,
    input: { repId: string; period: string; amount: string; reasonCode: string; note: string; originPeriod?: string | null; originRef?: string | null; source?: string },
    em?: EntityManager,
  ): Promise<{ id: string; period: Period; stale: boolean }> {
    const p = CalculationService.assertPeriod(input.period);
    if (typeof input.amount !== 'string' || !DECIMAL_PATTERN.test(input.amount) || new Decimal(input.amount).isZero() || new Decimal(input.amount).decimalPlaces() > MAX_MINOR_UNITS) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `amount must be a non-zero decimal string in the payee's currency (e.g. "250.00"), got ${JSON.stringify(input.amount)}`);
    }
    if (new Decimal(input.amount).abs().greaterThan(MAX_ABS_AMOUNT)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `amount is out of range: at most 18 digits before the decimal point, got "${input.amount}"`);
    }
    if (!(ADJUSTMENT_REASONS as readonly string[]).includes(input.reasonCode)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `reasonCode must be one of ${ADJUSTMENT_REASONS.join(', ')}`);
    }
    if (!input.note?.trim()) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'note is required');
    if (input.originPeriod && !isPeriod(input.originPeriod)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'originPeriod must be YYYY-MM');
    const run = async (tx: EntityManager) => {
      await PeriodLifecycle.lock(tx);
      const currency = await this.reps.currencyOf(tx, input.repId);
      if (currency === null) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `unknown rep_id "${input.repId}"`);
      const amount = inMinorUnits('amount', new Decimal(input.amount), currency, this.minorUnits);
      const s = await this.lifecycle.status(p, tx);
      if (s.status === 'closed' || s.status === 'approved') {
        throw new CommissionError(CommissionErrorCode.PERIOD_LOCKED, `period ${p} is ${s.status}; adjustments go into an open period`);
      }
      const id = await this.adjustmentsRepo.insert(tx, {
        repId: input.repId,
        period: p,
        amount,
        reasonCode: input.reasonCode,
        note: input.note.trim(),
        originPeriod: input.originPeriod ?? null,
        originRef: input.originRef ?? null,
        source: input.source ?? 'manual',
        createdBy: actor.label,
      });
      // the period's result no longer includes everything: mark it (and later ones) stale
      await this.lifecycle.markStaleFrom(tx, p);
      await this.audit.record(tx, actor, {
        action: 'adjustment.create',
        entityType: 'adjustment',
        entityId: id,
        after: { repId: input.repId, period: p, amount, reasonCode: input.reasonCode, note: input.note.trim(), originPeriod: input.originPeriod ?? null, originRef: input.originRef ?? null },
      });
      return { id, period: p, stale: Boolean(s.runId) };
    };
    return em ? run(em) : this.db.tx(run);
  }

  /** The first period that is not closed (where late facts and corrections land). */
  async firstOpenPeriod(): Promise<Period | null> {
    const first = await this.lifecycle.firstPeriod();
    if (!first) return null;
    const lastClosed = await this.lifecycle.lastClosed();
    return lastClosed ? addMonths(lastClosed, 1) : first;
  }

  /** What changed between the period's previous calculation and its current one, per payee and line. */
  async diff(period: string): Promise<PeriodDiff> {
    const p = CalculationService.assertPeriod(period);
    const [to, from = null] = await this.periodRuns.lastRuns(p);
    if (!to) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated`);
    const payees = await this.periodRuns.payoutChanges(to, from);
    const lines = await this.periodRuns.lineChanges(to, from);
    return { period: p, fromRunId: from, toRunId: to, payees, lines };
  }

  /** Recalculates a closed period from its stored inputs and compares hashes. */
  async verify(period: string) {
    const p = CalculationService.assertPeriod(period);
    const s = await this.lifecycle.status(p);
    if (s.status !== 'closed' || !s.runId) throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.status}; only closed periods are verified`);
    const r = await this.verifier.recalculateRun(s.runId);
    return { ...r, period: p, runId: s.runId, matches: r.resultHash === r.storedResultHash && r.inputsHash === r.storedInputsHash };
  }

  /** Payroll export rows: one per payee with a non-zero payout of a closed period. */
  async exportRows(period: string): Promise<ExportRow[]> {
    const p = CalculationService.assertPeriod(period);
    const s = await this.lifecycle.status(p);
    if (s.status !== 'closed') throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} is ${s.status}; only closed periods export to payroll`);
    return this.periodRuns.exportRows(p);
  }

  /** The payroll file: its header and columns are a contract with payroll, whatever the rows are called here. */
  static exportCsv(rows: ExportRow[]): string {
    return ['rep_id,period,currency,amount,reference', ...rows.map((r) => csvLine([r.repId, r.period, r.currency, r.amount, r.reference]))].join('\n') + '\n';
  }
}
