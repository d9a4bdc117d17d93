import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountingService } from '../accounting/accounting.service';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { CalculationService, PeriodStatus, RunSummary } from '../calculation/calculation.service';
import { addMonths, isPeriod, Period } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { csvLine } from '../core/csv/write-csv';
import { CurrencyTotals } from '../core/money/currency-totals';
import { DECIMAL_PATTERN, Decimal } from '../core/money/decimal';
import { inMinorUnits, MAX_ABS_AMOUNT, MAX_MINOR_UNITS, MinorUnits } from '../core/money/minor-units';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';
import { PlanDocumentsService } from '../plan-documents/plan-documents.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { RunVerifier } from '../calculation/run-verifier';

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

export interface DiffLine {
  repId: string;
  /** The line's identity (component window | reference), for machines; `description` says it for people. */
  key: string;
  kind: string;
  /** The line in words (the newer run's, else the older run's), from the engine's one wording module. */
  description: string;
  currency: string;
  before: string;
  after: string;
  change: string;
}

export interface PeriodDiff {
  period: Period;
  fromRunId: string | null;
  toRunId: string;
  payees: { repId: string; currency: string; before: string; after: string; change: string }[];
  lines: DiffLine[];
}

export interface ExportRow {
  rep_id: string;
  period: string;
  currency: string;
  amount: string;
  reference: string;
}

export const ADJUSTMENT_REASONS = ['missing_credit', 'wrong_split', 'wrong_rate', 'wrong_quota', 'fx', 'clawback', 'dispute', 'guarantee', 'correction', 'other'] as const;

/**
 * The monthly close: approve freezes a calculated period, close locks it for good (in order, one month after
 * another), and every step runs under one advisory lock in one transaction, so concurrent closes give one result and
 * a close killed half-way leaves nothing behind.
 */
/** A run's payouts added up per currency, as [{currency, amount}] in currency order (the run is `r`). */
const PAYOUT_TOTALS = `(SELECT coalesce(jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount) ORDER BY t.currency), '[]'::jsonb)
     FROM (SELECT trim(py.currency) AS currency, sum(py.payout)::text AS amount FROM payouts py WHERE py.run_id = r.id GROUP BY py.currency) t)`;

@Injectable()
export class PeriodsService {
  private readonly minorUnits: MinorUnits;

  constructor(
    private readonly db: Db,
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

  /** Periods with their current run; payouts are added up per currency (`payout_totals`), never across currencies. */
  async list(): Promise<{ period: string; status: PeriodStatus; run_id: string | null; stale: boolean; payout_totals: CurrencyTotals | null; payees: number | null; closed_at: Date | null }[]> {
    return this.db.query(
      `SELECT p.period, p.status, r.id::text AS run_id, coalesce(r.stale, false) AS stale,
              CASE WHEN r.id IS NULL THEN NULL ELSE ${PAYOUT_TOTALS} END AS payout_totals, r.payee_count AS payees,
              r.result_hash, p.approved_at, p.approved_by, p.closed_at, p.closed_by
         FROM periods p LEFT JOIN current_runs r ON r.period = p.period
        ORDER BY p.period`,
    );
  }

  async get(period: string) {
    const p = CalculationService.assertPeriod(period);
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT x.period, coalesce(p.status, 'open') AS status, r.id::text AS run_id, coalesce(r.stale, false) AS stale,
              CASE WHEN r.id IS NULL THEN NULL ELSE ${PAYOUT_TOTALS} END AS payout_totals,
              r.payee_count AS payees, r.inputs_hash, r.result_hash, p.approved_at, p.approved_by, p.closed_at, p.closed_by
         FROM (SELECT $1::text AS period) x
         LEFT JOIN periods p ON p.period = x.period
         LEFT JOIN current_runs r ON r.period = x.period`,
      [p],
    );
    return row;
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
    const res = await em.query(
      `UPDATE periods SET status = 'approved', approved_at = now(), approved_by = $2, updated_at = now() WHERE period = $1 AND status = 'calculated' RETURNING period`,
      [p, actor.label],
    );
    if (!returnedRows(res).length) throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} could not be approved from status ${s.status}`);
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
      const res = await em.query(
        `UPDATE periods SET status = 'closed', closed_at = now(), closed_by = $2, updated_at = now() WHERE period = $1 AND status = 'approved' RETURNING period`,
        [p, actor.label],
      );
      if (!returnedRows(res).length) throw new CommissionError(CommissionErrorCode.CONFLICT, `period ${p} could not be closed`);
      // the commission cost accounting of the closed figures, in the same transaction: a close that fails leaves none
      const accounting = await this.accounting.recordClose(em, p, actor);
      await this.audit.record(em, actor, { action: 'period.close', entityType: 'period', entityId: p, before: { status: 'approved' }, after: { status: 'closed', runId: approved.runId, resultHash: approved.resultHash, accounting } });
      return this.outcome(em, p, true, `period ${p} closed`, approved.calculated);
    });
    return outcome.changed ? { ...outcome, warnings } : outcome;
  }

  private async outcome(em: EntityManager, p: Period, changed: boolean, message: string, calculated: RunSummary[]): Promise<CloseOutcome> {
    const [row] = await em.query(
      `SELECT coalesce(p.status, 'open') AS status, r.id::text AS run_id, r.result_hash FROM (SELECT $1::text AS period) x
         LEFT JOIN periods p ON p.period = x.period LEFT JOIN current_runs r ON r.period = x.period`,
      [p],
    );
    return { period: p, status: row.status, changed, runId: row.run_id ?? null, resultHash: row.result_hash ?? null, message, calculated, warnings: [] };
  }

  /** The adjustments of a period, of the payees in `visible` (null: all), in the order they were made. */
  adjustments(p: Period, visible: Set<string> | null) {
    return this.db.query(
      `SELECT id::text AS id, rep_id, period, amount::text AS amount, reason_code, note, origin_period, origin_ref, source, created_by, created_at
         FROM adjustments WHERE period = $1 AND ($2::text[] IS NULL OR rep_id = ANY($2::text[])) ORDER BY id`,
      [p, visible ? [...visible] : null],
    );
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
      const [rep] = await tx.query(`SELECT rep_id, trim(currency) AS currency FROM reps WHERE rep_id = $1`, [input.repId]);
      if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `unknown rep_id "${input.repId}"`);
      const amount = inMinorUnits('amount', new Decimal(input.amount), rep.currency, this.minorUnits);
      const s = await this.lifecycle.status(p, tx);
      if (s.status === 'closed' || s.status === 'approved') {
        throw new CommissionError(CommissionErrorCode.PERIOD_LOCKED, `period ${p} is ${s.status}; adjustments go into an open period`);
      }
      const [row] = await tx.query(
        `INSERT INTO adjustments (rep_id, period, amount, reason_code, note, origin_period, origin_ref, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
        [input.repId, p, amount, input.reasonCode, input.note.trim(), input.originPeriod ?? null, input.originRef ?? null, input.source ?? 'manual', actor.label],
      );
      // the period's result no longer includes everything: mark it (and later ones) stale
      await this.lifecycle.markStaleFrom(tx, p);
      await this.audit.record(tx, actor, {
        action: 'adjustment.create',
        entityType: 'adjustment',
        entityId: row.id,
        after: { repId: input.repId, period: p, amount, reasonCode: input.reasonCode, note: input.note.trim(), originPeriod: input.originPeriod ?? null, originRef: input.originRef ?? null },
      });
      return { id: row.id as string, period: p, stale: Boolean(s.runId) };
    };
    return em ? run(em) : this.db.tx(run);
  }

  /** The first period that is not closed (where late facts and corrections land). */
  async firstOpenPeriod(): Promise<Period | null> {
    const first = await this.lifecycle.firstPeriod();
    if (!first) return null;
    const [row] = await this.db.query<{ period: string }>(`SELECT max(period) AS period FROM periods WHERE status = 'closed'`);
    return row?.period ? addMonths(row.period, 1) : first;
  }

  /** What changed between the period's previous calculation and its current one, per payee and line. */
  async diff(period: string): Promise<PeriodDiff> {
    const p = CalculationService.assertPeriod(period);
    const runs = await this.db.query<{ id: string }>(
      `SELECT id::text AS id FROM calculation_runs WHERE period = $1 AND committed ORDER BY id DESC LIMIT 2`,
      [p],
    );
    if (!runs.length) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated`);
    const [to, from] = runs;
    // Amounts keep their currency's scale: a missing side is zero in the other side's scale (x * 0), and the change is
    // a numeric difference, so a JPY change reads "-1" and a BHD one "0.001".
    const payouts = await this.db.query<{ rep_id: string; currency: string; before: string; after: string; change: string }>(
      `SELECT coalesce(a.rep_id, b.rep_id) AS rep_id, trim(coalesce(a.currency, b.currency)) AS currency,
              coalesce(b.payout, a.payout * 0)::text AS before, coalesce(a.payout, b.payout * 0)::text AS after,
              (coalesce(a.payout, b.payout * 0) - coalesce(b.payout, a.payout * 0))::text AS change
         FROM (SELECT rep_id, currency, payout FROM payouts WHERE run_id = $1) a
         FULL JOIN (SELECT rep_id, currency, payout FROM payouts WHERE run_id = $2) b ON a.rep_id = b.rep_id
        WHERE a.payout IS DISTINCT FROM b.payout ORDER BY 1`,
      [to.id, from?.id ?? null],
    );
    const lines = await this.db.query<{ rep_id: string; key: string; kind: string; description: string; currency: string; before: string; after: string; change: string }>(
      `WITH a AS (SELECT rep_id, kind, coalesce(component_key, '') || '|' || coalesce(ref, '') AS key, sum(amount) AS amount,
                         (array_agg(description ORDER BY line_no))[1] AS description
                    FROM run_lines WHERE run_id = $1 GROUP BY 1, 2, 3),
            b AS (SELECT rep_id, kind, coalesce(component_key, '') || '|' || coalesce(ref, '') AS key, sum(amount) AS amount,
                         (array_agg(description ORDER BY line_no))[1] AS description
                    FROM run_lines WHERE run_id = $2 GROUP BY 1, 2, 3)
       SELECT coalesce(a.rep_id, b.rep_id) AS rep_id, coalesce(a.key, b.key) AS key, coalesce(a.kind, b.kind) AS kind,
              coalesce(a.description, b.description) AS description,
              (SELECT trim(py.currency) FROM payouts py WHERE py.run_id IN ($1, $2) AND py.rep_id = coalesce(a.rep_id, b.rep_id) LIMIT 1) AS currency,
              coalesce(b.amount, a.amount * 0)::text AS before, coalesce(a.amount, b.amount * 0)::text AS after,
              (coalesce(a.amount, b.amount * 0) - coalesce(b.amount, a.amount * 0))::text AS change
         FROM a FULL JOIN b ON a.rep_id = b.rep_id AND a.key = b.key AND a.kind = b.kind
        WHERE a.amount IS DISTINCT FROM b.amount ORDER BY 1, 2, 3`,
      [to.id, from?.id ?? null],
    );
    return {
      period: p,
      fromRunId: from?.id ?? null,
      toRunId: to.id,
      payees: payouts.map((r) => ({ repId: r.rep_id, currency: r.currency, before: r.before, after: r.after, change: r.change })),
      lines: lines.map((l) => ({ repId: l.rep_id, key: l.key, kind: l.kind, description: l.description, currency: l.currency, before: l.before, after: l.after, change: l.change })),
    };
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
    return this.db.query<ExportRow>(
      `SELECT p.rep_id, p.period, p.currency, p.payout::text AS amount, 'CE-' || p.period || '-' || p.rep_id AS reference
         FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND p.payout <> 0 ORDER BY p.rep_id`,
      [p],
    );
  }

  static exportCsv(rows: ExportRow[]): string {
    return ['rep_id,period,currency,amount,reference', ...rows.map((r) => csvLine([r.rep_id, r.period, r.currency, r.amount, r.reference]))].join('\n') + '\n';
  }
}
