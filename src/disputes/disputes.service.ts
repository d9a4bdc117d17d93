import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { BookingsService, BookingVersionView } from '../bookings/bookings.service';
import { CalculationService, LineRow, PayoutRow } from '../calculation/calculation.service';
import { addMonths, Period } from '../core/calendar/dates';
import {
  DISPUTE_STATUSES,
  DisputeStatus,
  disputeOriginRef,
  DisputeTargetKind,
  isResolved,
  normalizeDisputeReasonOrThrow,
  parseAmountOrThrow,
  parseTargetOrThrow,
  statusesBefore,
} from '../core/disputes/dispute-rules';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { computeDisputeStats, DisputeStats } from '../core/kpis/dispute-stats';
import { Decimal } from '../core/money/decimal';
import { inMinorUnits, MinorUnits } from '../core/money/minor-units';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PeriodsService } from '../periods/periods.service';
import { PlansService } from '../plans/plans.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';

/** A dispute as the API and the CLI show it. Money is a decimal string with 2 decimals; times are ISO 8601 (UTC). */
export interface DisputeView {
  id: string;
  rep_id: string;
  period: string;
  target_kind: DisputeTargetKind;
  target_ref: string | null;
  reason_code: string;
  claimed_amount: string | null;
  text: string;
  status: DisputeStatus;
  resolution_amount: string | null;
  resolution_note: string | null;
  adjustment_id: string | null;
  raised_by: string;
  raised_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export interface RaiseDisputeInput {
  /** The payee; a rep raises on their own data (may be omitted), finance/admin must name the rep. */
  repId?: string | null;
  period: string;
  targetKind: string;
  targetRef?: string | number | null;
  reasonCode: string;
  claimedAmount?: string | null;
  text: string;
}

export interface UpheldDispute extends DisputeView {
  adjustment: { id: string; period: Period; amount: string; originPeriod: string; originRef: string; stale: boolean };
}

/** What a resolver looks at: the dispute, what it pointed at when raised, and the booking, plan rule and trace now. */
export interface DisputeEvidence {
  dispute: DisputeView;
  /** The payout or line as it was when the dispute was raised (from the dispute.raise audit event), or null. */
  raisedOn: Record<string, unknown> | null;
  /** The payee's payout in the current run of the dispute's period, or null. */
  payout: PayoutRow | null;
  /** For a line dispute: that line (with its trace) in the current run, or null when the run no longer has it. */
  line: LineRow | null;
  /** The booking named by the dispute or the line: every version, with the credits the caller may see; null when unknown to us. */
  booking: { bookingId: string; versions: BookingVersionView[] | null } | null;
  /** The plan version the line (or payout) was calculated with, its crediting rule and component, as stored. */
  plan: { planId: string; version: number; hash: string | null; name: string | null; creditingRule: unknown; component: unknown } | null;
}

export interface DisputeStatsView {
  /** The period asked for (disputes whose period is it), or null when none was asked for. */
  period: Period | null;
  forPeriod: DisputeStats | null;
  /** Every dispute the caller may see, against every statement (payee × period) of the current runs. */
  overall: DisputeStats;
  scope: 'all' | 'team';
}

const SELECT_VIEW = `SELECT d.id::text AS id, d.rep_id, d.period, d.target_kind, d.target_ref, d.reason_code, d.claimed_amount::text AS claimed_amount, d.text,
       d.status, d.resolution_amount::text AS resolution_amount, d.resolution_note, d.adjustment_id::text AS adjustment_id,
       d.raised_by, d.raised_at, d.reviewed_by, d.reviewed_at, d.resolved_by, d.resolved_at
  FROM disputes d`;

type Row = Omit<DisputeView, 'raised_at' | 'reviewed_at' | 'resolved_at'> & { raised_at: Date | string; reviewed_at: Date | string | null; resolved_at: Date | string | null };

const iso = (v: Date | string | null): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());
const toView = (r: Row): DisputeView => ({ ...r, raised_at: iso(r.raised_at) as string, reviewed_at: iso(r.reviewed_at), resolved_at: iso(r.resolved_at) });

const RAISERS = ['rep', 'admin', 'finance'];
const RESOLVERS = ['manager', 'admin', 'finance'];
const MAX_TEXT = 10_000;

/**
 * Disputes: a payee raises one on a payout, a payout line or a missing booking; their manager (anyone above them)
 * or finance reviews it and upholds it (which books a linked adjustment into the first open period, in the same
 * transaction) or rejects it with a reason. Each state change is one guarded UPDATE, so two resolvers racing produce
 * one resolution, and writes an audit event.
 */
@Injectable()
export class DisputesService {
  private readonly logger = new Logger(DisputesService.name);

  private readonly minorUnits: MinorUnits;

  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
    private readonly periods: PeriodsService,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly audit: AuditService,
    private readonly bookings: BookingsService,
    private readonly plans: PlansService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.minorUnits = new MinorUnits(cfg.currencyMinorUnits);
  }

  async raise(actor: Actor, input: RaiseDisputeInput): Promise<DisputeView> {
    if (!RAISERS.includes(actor.role)) throw new CommissionError(CommissionErrorCode.FORBIDDEN, `a ${actor.role} may not raise disputes`);
    const period = CalculationService.assertPeriod(input.period);
    const target = parseTargetOrThrow(input.targetKind, input.targetRef);
    const reasonCode = normalizeDisputeReasonOrThrow(input.reasonCode);
    const claimed = input.claimedAmount === undefined || input.claimedAmount === null ? null : parseAmountOrThrow('claimed_amount', input.claimedAmount);
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    if (!text) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'text is required: say what is wrong');
    if (text.length > MAX_TEXT) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `text is at most ${MAX_TEXT} characters`);

    let repId: string;
    if (actor.role === 'rep') {
      if (!actor.repId) throw new CommissionError(CommissionErrorCode.FORBIDDEN, 'this rep user is not linked to a payee');
      repId = input.repId ?? actor.repId;
      // another payee's data looks like it does not exist
      if (repId !== actor.repId) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    } else {
      if (!input.repId) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'repId is required when raising a dispute on behalf of a rep');
      repId = input.repId;
    }

    return this.db.tx(async (em) => {
      const [rep] = await em.query(`SELECT rep_id, trim(currency) AS currency FROM reps WHERE rep_id = $1`, [repId]);
      if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
      if (claimed !== null) inMinorUnits('claimed_amount', new Decimal(claimed), rep.currency, this.minorUnits);
      const evidence = await this.targetEvidence(em, repId, period, target.kind, target.ref);
      const [row] = returnedRows<Row>(
        await em.query(
          `INSERT INTO disputes (rep_id, period, target_kind, target_ref, reason_code, claimed_amount, text, raised_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
          [repId, period, target.kind, target.ref, reasonCode, claimed, text, actor.label],
        ),
      );
      const view = await this.loadOrThrow(em, row.id);
      await this.audit.record(em, actor, {
        action: 'dispute.raise',
        entityType: 'dispute',
        entityId: view.id,
        after: { status: view.status, repId, period, targetKind: target.kind, targetRef: target.ref, reasonCode, claimedAmount: claimed, text, evidence },
      });
      return view;
    });
  }

  /** The payout or line the dispute is about, which must exist for the rep in the period's current run (404 otherwise). */
  private async targetEvidence(em: EntityManager, repId: string, period: Period, kind: DisputeTargetKind, ref: string | null): Promise<Record<string, unknown> | null> {
    if (kind === 'booking') return null; // a booking the payee says is missing need not be in our data
    if (kind === 'payout') {
      const [p] = await em.query(
        `SELECT r.id::text AS run_id, p.payout::text AS payout, p.currency FROM payouts p JOIN current_runs r ON r.id = p.run_id
          WHERE r.period = $1 AND p.rep_id = $2`,
        [period, repId],
      );
      if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for rep ${repId} in ${period}`);
      return { runId: p.run_id, payout: p.payout, currency: p.currency };
    }
    const [l] = await em.query(
      `SELECT r.id::text AS run_id, l.kind, l.ref, l.amount::text AS amount, l.description FROM run_lines l JOIN current_runs r ON r.id = l.run_id
        WHERE r.period = $1 AND l.rep_id = $2 AND l.line_no = $3`,
      [period, repId, Number(ref)],
    );
    if (!l) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no line ${ref} on the ${period} payout of rep ${repId}`);
    return { runId: l.run_id, lineNo: Number(ref), kind: l.kind, ref: l.ref, amount: l.amount, description: l.description };
  }

  async list(actor: Actor, filter: { status?: string; period?: string } = {}): Promise<DisputeView[]> {
    if (filter.status !== undefined && !(DISPUTE_STATUSES as readonly string[]).includes(filter.status)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `status must be one of ${DISPUTE_STATUSES.join(', ')}`);
    }
    const period = filter.period === undefined ? null : CalculationService.assertPeriod(filter.period);
    const visible = await this.access.visibleRepIds(actor);
    const rows = await this.db.query<Row>(
      `${SELECT_VIEW}
        WHERE ($1::text[] IS NULL OR d.rep_id = ANY($1::text[])) AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.period = $3)
        ORDER BY d.id`,
      [visible ? [...visible] : null, filter.status ?? null, period],
    );
    return rows.map(toView);
  }

  /** One dispute; another payee's (one the caller may not see) answers 404, as a missing one does. */
  async get(actor: Actor, id: string): Promise<DisputeView> {
    const [row] = await this.db.query<Row>(`${SELECT_VIEW} WHERE d.id = $1`, [DisputesService.assertId(id)]);
    if (!row) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    const d = toView(row);
    const visible = await this.access.visibleRepIds(actor);
    if (visible && !visible.has(d.rep_id)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    return d;
  }

  /**
   * The evidence behind a dispute, for whoever may see the dispute (another payee's answers 404): the payout and the
   * disputed line with its trace in the period's current run, the booking's versions, the plan's crediting rule and
   * component, and what the dispute pointed at when it was raised.
   */
  async evidence(actor: Actor, id: string): Promise<DisputeEvidence> {
    const d = await this.get(actor, id);
    await this.calc.beforeRead(d.period, actor);
    const [raise] = await this.db.query<{ after: Record<string, unknown> | null }>(
      `SELECT after FROM audit_events WHERE entity_type = 'dispute' AND entity_id = $1 AND action = 'dispute.raise' ORDER BY id LIMIT 1`,
      [d.id],
    );
    const raisedOn = (raise?.after?.evidence as Record<string, unknown> | null | undefined) ?? null;
    const [payout] = await this.calc.payouts(d.period, new Set([d.rep_id]));
    const line = d.target_kind === 'line' ? ((await this.calc.lines(d.period, d.rep_id)).find((l) => String(l.line_no) === d.target_ref) ?? null) : null;

    const bookingId = d.target_kind === 'booking' ? d.target_ref : (line?.booking_id ?? null);
    let booking: DisputeEvidence['booking'] = null;
    if (bookingId) {
      try {
        booking = { bookingId, versions: await this.bookings.versions(actor, bookingId) };
      } catch (e) {
        if (!(e instanceof CommissionError && e.code === CommissionErrorCode.NOT_FOUND)) throw e;
        booking = { bookingId, versions: null }; // a booking the payee says is missing: we do not have it
      }
    }

    // the plan version: the line's component key (planId@vN:componentId:window), else the payout's first plan
    const key = line?.component_key?.match(/^([^@]+)@v(\d+):([^:]+)/);
    const used = (payout?.plans as { planId: string; version: number; hash: string }[] | undefined) ?? [];
    const ref = key ? { planId: key[1], version: Number(key[2]), componentId: key[3] } : used[0] ? { planId: used[0].planId, version: used[0].version, componentId: null } : null;
    let plan: DisputeEvidence['plan'] = null;
    if (ref) {
      const v = (await this.plans.allVersions()).find((x) => x.planId === ref.planId && x.version === ref.version);
      const ruleId = (line?.trace as { rule?: unknown } | null)?.rule;
      plan = {
        planId: ref.planId,
        version: ref.version,
        hash: v?.hash ?? used.find((u) => u.planId === ref.planId)?.hash ?? null,
        name: v?.document.name ?? null,
        creditingRule: (ruleId && v?.document.crediting.rules.find((r) => r.id === ruleId)) || null,
        component: (ref.componentId && v?.document.components.find((c) => c.id === ref.componentId)) || null,
      };
    }
    return { dispute: d, raisedOn, payout: payout ?? null, line, booking, plan };
  }

  /** open → in_review. */
  async review(actor: Actor, id: string): Promise<DisputeView> {
    const d = await this.resolvable(actor, id);
    if (d.status !== 'open') throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${d.id} is ${d.status}; only an open dispute goes into review`);
    return this.db.tx(async (em) => {
      const after = await this.transition(em, d.id, 'in_review', `reviewed_by = $2, reviewed_at = now()`, [actor.label]);
      await this.audit.record(em, actor, {
        action: 'dispute.review',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, reviewedBy: after.reviewed_by, reviewedAt: after.reviewed_at },
      });
      return after;
    });
  }

  /**
   * Upholds with an amount: books an adjustment (reason `dispute`, linked to the dispute and its period) into the first
   * open period, and resolves the dispute, in one transaction. The period must then be recalculated.
   */
  async uphold(actor: Actor, id: string, input: { amount: string; note: string }): Promise<UpheldDispute> {
    const amount = parseAmountOrThrow('amount', input.amount, { nonZero: true });
    const note = typeof input.note === 'string' ? input.note.trim() : '';
    if (!note) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'note is required: say why the dispute is upheld');
    const d = await this.resolvable(actor, id);
    if (isResolved(d.status)) throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${d.id} is already ${d.status}; a resolved dispute never changes`);
    // Where corrections land: the first period that is not closed (or, when nothing was ever assigned, the dispute's own).
    const firstOpen = await this.periods.firstOpenPeriod();
    return this.db.tx(async (em) => {
      await PeriodLifecycle.lock(em);
      const period = await this.adjustmentPeriod(em, firstOpen, d.period);
      const originRef = disputeOriginRef(d.id, d.target_kind, d.target_ref);
      const adj = await this.periods.addAdjustment(
        actor,
        { repId: d.rep_id, period, amount, reasonCode: 'dispute', note: `dispute ${d.id}: ${note}`, originPeriod: d.period, originRef, source: 'dispute' },
        em,
      );
      const after = await this.transition(
        em,
        d.id,
        'upheld',
        `resolution_amount = $2, resolution_note = $3, adjustment_id = $4, resolved_by = $5, resolved_at = now()`,
        [amount, note, adj.id, actor.label],
      );
      await this.audit.record(em, actor, {
        action: 'dispute.uphold',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, resolutionAmount: amount, resolutionNote: note, adjustmentId: adj.id, adjustmentPeriod: adj.period, originRef, resolvedBy: after.resolved_by, resolvedAt: after.resolved_at },
      });
      this.logger.log(`dispute ${d.id} upheld: adjustment ${adj.id} of ${amount} for ${d.rep_id} in ${adj.period}`);
      return { ...after, adjustment: { id: adj.id, period: adj.period, amount, originPeriod: d.period, originRef, stale: adj.stale } };
    });
  }

  /** Rejects with a reason (required). */
  async reject(actor: Actor, id: string, input: { reason: string }): Promise<DisputeView> {
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'reason is required: say why the dispute is rejected');
    const d = await this.resolvable(actor, id);
    if (isResolved(d.status)) throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${d.id} is already ${d.status}; a resolved dispute never changes`);
    return this.db.tx(async (em) => {
      const after = await this.transition(em, d.id, 'rejected', `resolution_note = $2, resolved_by = $3, resolved_at = now()`, [reason, actor.label]);
      await this.audit.record(em, actor, {
        action: 'dispute.reject',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, resolutionNote: reason, resolvedBy: after.resolved_by, resolvedAt: after.resolved_at },
      });
      return after;
    });
  }

  /**
   * Dispute KPIs for a period (disputes whose period it is, against the payees with a payout in its current run) and
   * overall (every dispute, against every payout row of the current runs), scoped to the reps the caller may see.
   */
  async stats(actor: Actor, period?: string): Promise<DisputeStatsView> {
    const p = period === undefined || period === '' ? null : CalculationService.assertPeriod(period);
    const visible = await this.access.visibleRepIds(actor);
    const scope = visible ? [...visible] : null;
    const rows = await this.db.query<{ period: string; reason_code: string; status: string; raised_at: string; resolved_at: string | null }>(
      `SELECT period, reason_code, status,
              to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS raised_at,
              to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolved_at
         FROM disputes WHERE ($1::text[] IS NULL OR rep_id = ANY($1::text[])) ORDER BY id`,
      [scope],
    );
    const statements = await this.db.query<{ period: string; n: string }>(
      `SELECT r.period, count(*)::text AS n FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE ($1::text[] IS NULL OR p.rep_id = ANY($1::text[])) GROUP BY r.period`,
      [scope],
    );
    const facts = rows.map((r) => ({ period: r.period, reasonCode: r.reason_code, status: r.status, raisedAt: r.raised_at, resolvedAt: r.resolved_at }));
    const count = (only: string | null) => statements.filter((s) => only === null || s.period === only).reduce((n, s) => n + Number(s.n), 0);
    return {
      period: p,
      forPeriod: p === null ? null : computeDisputeStats(facts.filter((f) => f.period === p), count(p)),
      overall: computeDisputeStats(facts, count(null)),
      scope: visible ? 'team' : 'all',
    };
  }

  // -------------------------------------------------------------------------------------------------------------

  static assertId(id: string): string {
    if (typeof id !== 'string' || !/^[1-9]\d{0,17}$/.test(id)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    return id;
  }

  private async loadOrThrow(em: EntityManager, id: string): Promise<DisputeView> {
    const [row] = await em.query(`${SELECT_VIEW} WHERE d.id = $1`, [id]);
    if (!row) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    return toView(row as Row);
  }

  /**
   * A dispute the actor may review or resolve: finance and admin any; a manager one of a rep below them (404 for one
   * they cannot see, 403 for their own). Nobody else.
   */
  private async resolvable(actor: Actor, id: string): Promise<DisputeView> {
    if (!RESOLVERS.includes(actor.role)) throw new CommissionError(CommissionErrorCode.FORBIDDEN, `a ${actor.role} may not review or resolve disputes`);
    const d = await this.get(actor, id);
    if (actor.role === 'manager' && d.rep_id === actor.repId) {
      throw new CommissionError(CommissionErrorCode.FORBIDDEN, 'a manager does not resolve their own dispute; someone above them or finance does');
    }
    return d;
  }

  /** The first period from `firstOpen` that takes adjustments (not closed, not approved), re-read under the lifecycle lock. */
  private async adjustmentPeriod(em: EntityManager, firstOpen: Period | null, disputePeriod: Period): Promise<Period> {
    if (!firstOpen) return disputePeriod; // nothing was ever assigned: addAdjustment refuses it if it is locked
    let p = firstOpen;
    for (let i = 0; i < 1200; i++, p = addMonths(p, 1)) {
      const s = await this.lifecycle.status(p, em);
      if (s.status !== 'closed' && s.status !== 'approved') return p;
    }
    throw new CommissionError(CommissionErrorCode.CONFLICT, `no open period after ${firstOpen} takes the adjustment`);
  }

  /** The guarded state change: `UPDATE ... WHERE id = $1 AND status IN (<allowed before>)`; no row means someone else won. */
  private async transition(em: EntityManager, id: string, to: DisputeStatus, set: string, params: unknown[]): Promise<DisputeView> {
    const from = statusesBefore(to);
    const res = await em.query(
      `UPDATE disputes SET status = '${to}', ${set} WHERE id = $1 AND status IN (${from.map((s) => `'${s}'`).join(', ')}) RETURNING id::text AS id`,
      [id, ...params],
    );
    if (!returnedRows(res).length) {
      const [now] = await em.query(`SELECT status FROM disputes WHERE id = $1`, [id]);
      throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${id} is ${now?.status ?? 'gone'}; it cannot become ${to}`);
    }
    return this.loadOrThrow(em, id);
  }
}
