import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { AccessService } from '../auth/access.service';
import { Actor, serviceActor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Period, periodEnd, periodStart } from '../core/calendar/dates';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { buildPlanDocument, documentRange, planDocumentHash, PlanDocumentInput, PlanDocumentView } from '../core/plans/plan-document';
import { inEffect } from '../core/plans/plan-versions';
import { Db } from '../infra/db.service';
import { PlansService } from '../plans/plans.service';
import { AcknowledgmentStamp, PlanDocumentPdfRenderer } from './plan-document.renderer';
import { Acknowledgment, PlanDocumentsRepository } from './plan-documents.repository';

export type AcknowledgmentStatus = 'pending' | 'acknowledged';

/** One assignment's current document and whether its payee has acknowledged it. */
export interface AcknowledgmentView {
  assignmentId: string;
  repId: string;
  name: string;
  planId: string;
  planVersion: number;
  planHash: string;
  documentHash: string;
  /** The dates the document covers. */
  from: string;
  to: string;
  status: AcknowledgmentStatus;
  /** ISO 8601 in UTC, when acknowledged. */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  client: string | null;
}

/**
 * Written plans and their signed receipts. Each assignment has one current document: the assignment on the latest
 * plan version in effect during it, with the payee's figures (core/plans/plan-document.ts). A payee acknowledges that
 * document; a new plan version or a changed assignment makes a new document, pending until acknowledged again.
 */
@Injectable()
export class PlanDocumentsService {
  private readonly renderer = new PlanDocumentPdfRenderer();

  constructor(
    private readonly db: Db,
    private readonly documents: PlanDocumentsRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly plans: PlansService,
  ) {}

  /** The current document inputs of the assignments of these payees (all when null). */
  private async inputs(repIds: Set<string> | null, assignmentId?: string): Promise<PlanDocumentInput[]> {
    const assignments = await this.documents.assignments(repIds && [...repIds], assignmentId ?? null);
    const versions = await this.plans.allVersions();
    const out: PlanDocumentInput[] = [];
    for (const base of assignments) {
      // the latest version in effect during the assignment: what the payee is paid on now or last
      const mine = versions.filter((v: PlanVersionFacts) => v.planId === base.assignment.planId).sort((a, b) => b.version - a.version);
      const effective = inEffect(mine);
      const current = mine
        .map((plan) => ({ ...base, plan, inEffect: effective.get(plan.version) ?? undefined }))
        .find((input) => input.inEffect && documentRange(input) !== null);
      if (current) out.push(current as PlanDocumentInput);
    }
    return out;
  }

  private async inputOrThrow(actor: Actor, assignmentId: string): Promise<PlanDocumentInput> {
    if (!/^[1-9]\d{0,17}$/.test(assignmentId)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `assignment id must be a positive integer, got "${assignmentId}"`);
    const visible = await this.access.visibleRepIds(actor);
    const [input] = await this.inputs(visible, assignmentId);
    // another payee's assignment looks like it does not exist
    if (!input) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `assignment ${assignmentId} not found, or it has no plan version in effect during it`);
    return input;
  }

  /** The acknowledgments of these assignments, by `assignmentId|documentHash`. */
  private async acknowledgments(assignmentIds: string[]): Promise<Map<string, Acknowledgment>> {
    if (!assignmentIds.length) return new Map();
    const acks = await this.documents.acknowledgments(assignmentIds);
    return new Map(acks.map((a) => [`${a.assignmentId}|${a.documentHash}`, a]));
  }

  /** Every visible assignment's current document with its status (pending first when no status is asked). */
  async list(actor: Actor, status?: AcknowledgmentStatus): Promise<AcknowledgmentView[]> {
    if (status !== undefined && status !== 'pending' && status !== 'acknowledged') {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `status must be pending or acknowledged, got "${String(status)}"`);
    }
    const inputs = await this.inputs(await this.access.visibleRepIds(actor));
    const acks = await this.acknowledgments(inputs.map((i) => i.assignmentId));
    const views = inputs.map((i): AcknowledgmentView => {
      const hash = planDocumentHash(i);
      const ack = acks.get(`${i.assignmentId}|${hash}`);
      const range = documentRange(i)!;
      return {
        assignmentId: i.assignmentId,
        repId: i.rep.repId,
        name: i.rep.name,
        planId: i.plan.planId,
        planVersion: i.plan.version,
        planHash: i.plan.hash,
        documentHash: hash,
        from: range.from,
        to: range.to,
        status: ack ? 'acknowledged' : 'pending',
        acknowledgedAt: ack?.acknowledgedAt ?? null,
        acknowledgedBy: ack?.userName ?? null,
        client: ack?.client ?? null,
      };
    });
    return status ? views.filter((v) => v.status === status) : views;
  }

  /** The document's view (what the PDF shows). */
  async view(actor: Actor, assignmentId: string): Promise<PlanDocumentView> {
    return (await buildPlanDocument(await this.inputOrThrow(actor, assignmentId)))!;
  }

  /** Renders the document as PDF, with the acknowledgment drawn in once recorded. */
  async render(actor: Actor, assignmentId: string, out: Writable): Promise<PlanDocumentView> {
    const input = await this.inputOrThrow(actor, assignmentId);
    const view = (await buildPlanDocument(input))!;
    const ack = (await this.acknowledgments([assignmentId])).get(`${assignmentId}|${view.documentHash}`);
    const stamp: AcknowledgmentStamp | null = ack ? { name: `${view.name} (${view.repId}), signed in as ${ack.userName}`, acknowledgedAt: ack.acknowledgedAt, client: ack.client } : null;
    await this.renderer.render(view, out, stamp);
    return view;
  }

  /**
   * The payee acknowledges the current document of their own assignment: who (the user), when (the database's clock,
   * UTC), which document and plan version (their hashes), from which client. Append-only and audited; acknowledging
   * the same document again records nothing new and answers the first acknowledgment.
   */
  async acknowledge(actor: Actor, assignmentId: string, input: { documentHash?: string; client: string }): Promise<AcknowledgmentView & { created: boolean }> {
    const userId = actor.userId;
    if ((actor.role !== 'rep' && actor.role !== 'manager') || !actor.repId || !userId) {
      throw new CommissionError(CommissionErrorCode.FORBIDDEN, 'only the payee acknowledges their own plan (a rep or manager user linked to the payee)');
    }
    const doc = await this.inputOrThrow(actor, assignmentId);
    if (doc.rep.repId !== actor.repId) throw new CommissionError(CommissionErrorCode.FORBIDDEN, `assignment ${assignmentId} is ${doc.rep.repId}'s: only the payee acknowledges their own plan`);
    const hash = planDocumentHash(doc);
    // the payee names the document they read: a plan or assignment that changed since then is a different document
    if (input.documentHash !== undefined && input.documentHash !== hash) {
      throw new CommissionError(CommissionErrorCode.CONFLICT, `the document changed since it was read (now ${hash}); read the current document and acknowledge that`);
    }
    const client = input.client.slice(0, 500);
    const created = await this.db.tx(async (em) => {
      const recorded = await this.documents.insertAcknowledgment(em, {
        assignmentId,
        repId: doc.rep.repId,
        planId: doc.plan.planId,
        planVersion: doc.plan.version,
        planHash: doc.plan.hash,
        documentHash: hash,
        userId,
        client,
      });
      if (!recorded) return false;
      await this.audit.record(em, actor, {
        action: 'plan.acknowledge',
        entityType: 'assignment',
        entityId: assignmentId,
        after: { repId: doc.rep.repId, planId: doc.plan.planId, planVersion: doc.plan.version, planHash: doc.plan.hash, documentHash: hash, client },
      });
      return true;
    });
    const [view] = (await this.list(actor)).filter((v) => v.assignmentId === assignmentId);
    return { ...view, created };
  }

  /** The current documents of assignments in effect during the period, acknowledged or not (the KPI, the close's check). */
  async forPeriod(period: Period): Promise<{ acknowledged: number; total: number; pending: AcknowledgmentView[] }> {
    const [from, to] = [periodStart(period), periodEnd(period)];
    const all = (await this.list(serviceActor('acknowledgments'))).filter((v) => v.from <= to && v.to >= from);
    const pending = all.filter((v) => v.status === 'pending');
    return { acknowledged: all.length - pending.length, total: all.length, pending };
  }
}
