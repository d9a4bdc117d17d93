import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEventsRepository } from '../audit/audit-events.repository';
import { AuditService } from '../audit/audit.service';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { BookingsService, BookingVersionView } from '../bookings/bookings.service';
import { CalculationService, ExplainedLine, Payout } from '../calculation/calculation.service';
import { addMonths, Period } from '../core/calendar/dates';
import {
  DISPUTE_STATUSES,
  disputeOriginRef,
  DisputeTargetKind,
  isResolved,
  normalizeDisputeReasonOrThrow,
  parseAmountOrThrow,
  parseTargetOrThrow,
} from '../core/disputes/dispute-rules';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { computeDisputeStats, DisputeStats } from '../core/kpis/dispute-stats';
import { Decimal } from '../core/money/decimal';
import { inMinorUnits, MinorUnits } from '../core/money/minor-units';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PeriodsService } from '../periods/periods.service';
import { PlansService } from '../plans/plans.service';
import { RepsRepository } from '../reps/reps.repository';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { Dispute, DisputeChange, DisputesRepository } from './disputes.repository';

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

export interface UpheldDispute extends Dispute {
  adjustment: { id: string; period: Period; amount: string; originPeriod: string; originRef: string; stale: boolean };
}

/** What a resolver looks at: the dispute, what it pointed at when raised, and the booking, plan rule and trace now. */
export interface DisputeEvidence {
  dispute: Dispute;
  /** The payout or line as it was when the dispute was raised (from the dispute.raise audit event), or null. */
  raisedOn: Record<string, unknown> | null;
  /** The payee's payout in the current run of the dispute's period, or null. */
  payout: Payout | null;
  /** For a line dispute: that line (with its trace) in the current run, or null when the run no longer has it. */
  line: ExplainedLine | null;
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
    private readonly disputes: DisputesRepository,
    private readonly reps: RepsRepository,
    private readonly access: AccessService,
    private readonly periods: PeriodsService,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly audit: AuditService,
    private readonly auditEvents: AuditEventsRepository,
    private readonly bookings: BookingsService,
    private readonly plans: PlansService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.minorUnits = new MinorUnits(cfg.currencyMinorUnits);
  }

  async raise(actor: Actor, input: RaiseDisputeInput): Promise<Dispute> {
    if (!RAISERS.includes(actor.role)) throw new CommissionError(CommissionErrorCode.FORBIDDEN, `a ${actor.role} may not raise disputes`);
    const period = CalculationService.assertPeriod(input.period);
    const target = parseTargetOrThrow(input.targetKind, input.targetRef);
    const reasonCode = normalizeDisputeReasonOrThrow(input.reasonCode);
    const claimed = input.claimedAmount === undefined || input.claimedAmount === null ? null : parseAmountOrThrow('claimedAmount', input.claimedAmount);
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
      // the claimed amount is checked as the adjustment an upheld dispute books: in the payee's currency
      const currency = await this.reps.currencyOf(em, repId);
      if (currency === null) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
      if (claimed !== null) inMinorUnits('claimedAmount', new Decimal(claimed), currency, this.minorUnits);
      const evidence = await this.targetEvidence(em, repId, period, target.kind, target.ref);
      const id = await this.disputes.insert(em, { repId, period, targetKind: target.kind, targetRef: target.ref, reasonCode, claimedAmount: claimed, text, raisedBy: actor.label });
      const view = await this.loadOrThrow(em, id);
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
      const p = await this.disputes.payout(em, period, repId);
      if (!p) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for rep ${repId} in ${period}`);
      return { runId: p.runId, payout: p.payout, currency: p.currency };
    }
    const l = await this.disputes.line(em, period, repId, Number(ref));
    if (!l) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no line ${ref} on the ${period} payout of rep ${repId}`);
    return { runId: l.runId, lineNo: Number(ref), kind: l.kind, ref: l.ref, amount: l.amount, description: l.description };
  }

  async list(actor: Actor, filter: { status?: string; period?: string } = {}): Promise<Dispute[]> {
    if (filter.status !== undefined && !(DISPUTE_STATUSES as readonly string[]).includes(filter.status)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `status must be one of ${DISPUTE_STATUSES.join(', ')}`);
    }
    const period = filter.period === undefined ? null : CalculationService.assertPeriod(filter.period);
    const visible = await this.access.visibleRepIds(actor);
    return this.disputes.list({ repIds: visible ? [...visible] : null, status: filter.status ?? null, period });
  }

  /** One dispute; another payee's (one the caller may not see) answers 404, as a missing one does. */
  async get(actor: Actor, id: string): Promise<Dispute> {
    const d = await this.disputes.find(DisputesService.assertId(id));
    if (!d) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    const visible = await this.access.visibleRepIds(actor);
    if (visible && !visible.has(d.repId)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
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
    const raisedOn = ((await this.auditEvents.firstAfter('dispute', d.id, 'dispute.raise'))?.evidence as Record<string, unknown> | null | undefined) ?? null;
    const [payout] = await this.calc.payouts(d.period, new Set([d.repId]));
    const line = d.targetKind === 'line' ? ((await this.calc.lines(d.period, d.repId)).find((l) => String(l.lineNo) === d.targetRef) ?? null) : null;

    const bookingId = d.targetKind === 'booking' ? d.targetRef : (line?.bookingId ?? null);
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
    const key = line?.componentKey?.match(/^([^@]+)@v(\d+):([^:]+)/);
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
  async review(actor: Actor, id: string): Promise<Dispute> {
    const d = await this.resolvable(actor, id);
    if (d.status !== 'open') throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${d.id} is ${d.status}; only an open dispute goes into review`);
    return this.db.tx(async (em) => {
      const after = await this.transition(em, d.id, { to: 'in_review', reviewedBy: actor.label });
      await this.audit.record(em, actor, {
        action: 'dispute.review',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, reviewedBy: after.reviewedBy, reviewedAt: after.reviewedAt },
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
      const originRef = disputeOriginRef(d.id, d.targetKind, d.targetRef);
      const adj = await this.periods.addAdjustment(
        actor,
        { repId: d.repId, period, amount, reasonCode: 'dispute', note: `dispute ${d.id}: ${note}`, originPeriod: d.period, originRef, source: 'dispute' },
        em,
      );
      const after = await this.transition(em, d.id, { to: 'upheld', amount, note, adjustmentId: adj.id, resolvedBy: actor.label });
      await this.audit.record(em, actor, {
        action: 'dispute.uphold',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, resolutionAmount: amount, resolutionNote: note, adjustmentId: adj.id, adjustmentPeriod: adj.period, originRef, resolvedBy: after.resolvedBy, resolvedAt: after.resolvedAt },
      });
      this.logger.log(`dispute ${d.id} upheld: adjustment ${adj.id} of ${amount} for ${d.repId} in ${adj.period}`);
      return { ...after, adjustment: { id: adj.id, period: adj.period, amount, originPeriod: d.period, originRef, stale: adj.stale } };
    });
  }

  /** Rejects with a reason (required). */
  async reject(actor: Actor, id: string, input: { reason: string }): Promise<Dispute> {
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'reason is required: say why the dispute is rejected');
    const d = await this.resolvable(actor, id);
    if (isResolved(d.status)) throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${d.id} is already ${d.status}; a resolved dispute never changes`);
    return this.db.tx(async (em) => {
      const after = await this.transition(em, d.id, { to: 'rejected', note: reason, resolvedBy: actor.label });
      await this.audit.record(em, actor, {
        action: 'dispute.reject',
        entityType: 'dispute',
        entityId: d.id,
        before: { status: d.status },
        after: { status: after.status, resolutionNote: reason, resolvedBy: after.resolvedBy, resolvedAt: after.resolvedAt },
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
    const facts = await this.disputes.statsFacts(scope);
    const statements = await this.disputes.statementCounts(scope);
    const count = (only: string | null) => statements.filter((s) => only === null || s.period === only).reduce((n, s) => n + s.statements, 0);
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

  private async loadOrThrow(em: EntityManager, id: string): Promise<Dispute> {
    const d = await this.disputes.find(id, em);
    if (!d) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `dispute ${id} not found`);
    return d;
  }

  /**
   * A dispute the actor may review or resolve: finance and admin any; a manager one of a rep below them (404 for one
   * they cannot see, 403 for their own). Nobody else.
   */
  private async resolvable(actor: Actor, id: string): Promise<Dispute> {
    if (!RESOLVERS.includes(actor.role)) throw new CommissionError(CommissionErrorCode.FORBIDDEN, `a ${actor.role} may not review or resolve disputes`);
    const d = await this.get(actor, id);
    if (actor.role === 'manager' && d.repId === actor.repId) {
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

  /** The guarded state change; no row changed means someone else won. */
  private async transition(em: EntityManager, id: string, change: DisputeChange): Promise<Dispute> {
    if (!(await this.disputes.change(em, id, change))) {
      const now = await this.disputes.statusOf(em, id);
      throw new CommissionError(CommissionErrorCode.CONFLICT, `dispute ${id} is ${now ?? 'gone'}; it cannot become ${change.to}`);
    }
    return this.loadOrThrow(em, id);
  }
}
