import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { isIsoDate, IsoDate, periodOf, periodStart } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { planHash } from '../core/plans/canonical-json';
import { PlanChange, planDiff } from '../core/plans/plan-diff';
import { PlanDocument } from '../core/plans/plan-types';
import { PlanProblem, validatePlan } from '../core/plans/validate-plan';
import { planTerms, TermsSection } from '../core/plans/plan-words';
import { planWarnings } from '../core/plans/plan-warnings';
import { Db } from '../infra/db.service';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';

/** What the editor shows while a plan is edited: problems by JSON path, the terms in words, the change in words. */
export interface DraftCheck {
  valid: boolean;
  problems: PlanProblem[];
  /** Valid, but a component cannot pay (what plans validate warns about). */
  warnings: PlanProblem[];
  hash: string | null;
  terms: TermsSection[];
  /** Against the latest stored version of the same plan (empty for a new plan). */
  changes: PlanChange[];
  against: { planId: string; version: number } | null;
}

export interface SavedVersion {
  planId: string;
  version: number;
  hash: string;
  effectiveFrom: IsoDate;
  effectiveTo: IsoDate;
  changes: PlanChange[];
}

/**
 * The plan editor's server side: the same validation as `plans validate` and the engine's loading, and saving an
 * edit as a new version (stored versions never change). A new version takes over from its `effectiveFrom`
 * (core/plans/plan-versions.ts), which must be in an open period: approved and closed periods never change.
 */
@Injectable()
export class PlanEditorService {
  constructor(
    private readonly db: Db,
    private readonly versions: PlanVersionsRepository,
    private readonly lifecycle: PeriodLifecycle,
    private readonly audit: AuditService,
  ) {}

  private async latest(planId: string): Promise<{ version: number; document: PlanDocument } | null> {
    return this.versions.latest(planId);
  }

  async check(draft: unknown): Promise<DraftCheck> {
    const problems = validatePlan(draft);
    const doc = draft as PlanDocument;
    const prev = problems.length || typeof doc?.id !== 'string' ? null : await this.latest(doc.id);
    return {
      valid: problems.length === 0,
      problems,
      warnings: problems.length ? [] : planWarnings(doc),
      hash: problems.length ? null : planHash(doc as unknown as Record<string, unknown>),
      terms: problems.length ? [] : planTerms(doc),
      changes: prev ? planDiff(prev.document, doc) : [],
      against: prev ? { planId: doc.id, version: prev.version } : null,
    };
  }

  /**
   * Saves the draft as the plan's next version, in effect from `effectiveFrom` (the draft's own dates otherwise): the
   * version number is the next one, whatever the draft says. Audited with the change in words.
   */
  async saveVersion(actor: Actor, planId: string, draft: unknown, effectiveFrom?: string): Promise<SavedVersion> {
    const problems = validatePlan(draft);
    if (problems.length) throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `the plan has ${problems.length} problem(s); nothing was saved`, problems.map((p) => `${p.path}: ${p.message}`));
    const doc = { ...(draft as PlanDocument) };
    if (doc.id !== planId) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `the plan is "${doc.id}", not "${planId}": a version belongs to one plan`);
    if (effectiveFrom !== undefined) {
      if (!isIsoDate(effectiveFrom)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `effectiveFrom must be YYYY-MM-DD, got "${effectiveFrom}"`);
      if (effectiveFrom > doc.effectiveTo) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `effectiveFrom ${effectiveFrom} is after the plan's effectiveTo ${doc.effectiveTo}`);
      doc.effectiveFrom = effectiveFrom;
    }
    const open = await this.lifecycle.firstUnfrozen();
    if (open && doc.effectiveFrom < periodStart(open)) {
      throw new CommissionError(
        CommissionErrorCode.CONFLICT,
        `a new version cannot take effect on ${doc.effectiveFrom}: ${periodOf(doc.effectiveFrom)} is approved or closed, and closed periods never change; take effect from ${periodStart(open)} or later`,
      );
    }
    return this.db.tx(async (em) => {
      const prev = await this.versions.latestForUpdate(em, planId);
      doc.version = (prev?.version ?? 0) + 1;
      const hash = planHash(doc as unknown as Record<string, unknown>);
      const changes = prev ? planDiff(prev.document as PlanDocument, doc) : [];
      if (prev && !changes.length && (prev.document as PlanDocument).effectiveFrom === doc.effectiveFrom) {
        throw new CommissionError(CommissionErrorCode.CONFLICT, `nothing changed against ${planId} v${prev.version}: no version saved`);
      }
      await this.versions.insert(em, {
        planId,
        version: doc.version,
        contentHash: hash,
        effectiveFrom: doc.effectiveFrom,
        effectiveTo: doc.effectiveTo,
        document: doc,
        sourceFile: `editor:${actor.label}`,
      });
      await this.audit.record(em, actor, {
        action: 'plan.version.create',
        entityType: 'plan_version',
        entityId: `${planId}@v${doc.version}`,
        before: prev ? { version: prev.version } : null,
        after: { hash, effectiveFrom: doc.effectiveFrom, changes: changes.map((c) => c.text) },
      });
      return { planId, version: doc.version, hash, effectiveFrom: doc.effectiveFrom, effectiveTo: doc.effectiveTo, changes };
    });
  }
}
