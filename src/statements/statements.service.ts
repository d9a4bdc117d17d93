import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { AssignmentsRepository } from '../assignments/assignments.repository';
import { Actor, cliActor } from '../auth/actor';
import { CalculationService } from '../calculation/calculation.service';
import { addMonths, Period, periodEnd, periodOf, periodStart, windowContaining } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { PlanDocument } from '../core/plans/plan-types';
import { ReconciliationResult } from '../core/reconciliation/reconcile';
import { buildStatement, minorDigits, quotaTierComponent, StatementInput, StatementView } from '../core/statements/build-statement';
import { DisputesRepository } from '../disputes/disputes.repository';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { StatementFactsRepository } from './statement-facts.repository';
import { StatementPdfRenderer } from './statement-pdf.renderer';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';

/** Loads a payee's stored results for a period into a statement view and renders it. */
@Injectable()
export class StatementsService {
  private readonly renderer = new StatementPdfRenderer();

  constructor(
    private readonly facts: StatementFactsRepository,
    private readonly planVersions: PlanVersionsRepository,
    private readonly assignments: AssignmentsRepository,
    private readonly disputes: DisputesRepository,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly recon: ReconciliationService,
  ) {}

  /** Payees with a payout in the period's current run, in rep id order (paged so memory stays flat). */
  async payeeIds(period: Period, after: string | null, limit: number): Promise<string[]> {
    return this.facts.payeeIdsAfter(period, after, limit);
  }

  async reconciliationFor(period: Period): Promise<ReconciliationResult | null> {
    const s = await this.lifecycle.status(period);
    if (s.status !== 'closed') return null;
    return this.recon.reconcile(period);
  }

  /** `actor`: who asked (a stale period recalculated first is recorded in their name). */
  async view(period: string, repId: string, recon?: ReconciliationResult | null, actor: Actor = cliActor()): Promise<StatementView> {
    return buildStatement(await this.input(CalculationService.assertPeriod(period), repId, recon, actor));
  }

  async input(period: Period, repId: string, recon?: ReconciliationResult | null, actor: Actor = cliActor()): Promise<StatementInput> {
    const fresh = await this.calc.beforeRead(period, actor);
    const s = await this.lifecycle.status(period);
    if (!s.runId) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${period} has not been calculated`);
    const payout = await this.facts.payout(s.runId, repId);
    if (!payout) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${repId} in ${period}`);
    const rep = (await this.facts.rep(repId))!; // there is one: payouts.rep_id references reps
    const plans: StatementInput['plans'] = [];
    for (const p of payout.plans) {
      const document = await this.planVersions.documentByHash(p.hash);
      plans.push({ ...p, name: document?.name ?? p.planId, document: document as PlanDocument });
    }
    const assignment = await this.assignments.onDate(repId, periodEnd(period));
    const prev = await this.calc.windows(addMonths(period, -1), repId);
    const quarterFirst = periodOf(windowContaining('quarter', periodStart(period)).start);
    const qbase = await this.calc.windows(addMonths(quarterFirst, -1), repId);
    const lines = await this.calc.lines(period, repId);
    const yearStart = `${period.slice(0, 4)}-01`;
    const ytd = await this.facts.payoutTotals(repId, yearStart, period);
    const payroll = await this.facts.payroll(repId, period);
    const paidYtd = await this.facts.payrollTotals(repId, yearStart, period);
    const team = await this.teamAttainment(s.runId, repId, period);
    const reconciliation = recon === undefined ? await this.reconciliationFor(period) : recon;
    const row = reconciliation?.rows.find((r) => r.repId === repId && r.status !== 'unexpected') ?? reconciliation?.rows.find((r) => r.repId === repId);
    const disputes = await this.disputes.openOf(repId);
    return {
      period,
      status: s.status === 'closed' ? 'final' : 'draft',
      staleSince: fresh.stale ? fresh.calculatedAt : null,
      rep,
      runId: s.runId,
      plans,
      assignment,
      windows: payout.windows,
      previousWindows: prev,
      quarterBaseWindows: qbase,
      payout: payout.amounts,
      lines: lines.map((l) => ({
        lineNo: l.lineNo,
        kind: l.kind,
        componentKey: l.componentKey,
        bookingId: l.bookingId,
        originPeriod: l.originPeriod,
        amount: l.amount,
        description: l.description,
        trace: (l.trace ?? {}) as Record<string, unknown>,
      })),
      ytd: { paid: new Decimal(ytd.paid ?? ZERO).toFixed(minorDigits(rep.currency)), earned: new Decimal(ytd.earned ?? ZERO).toFixed(minorDigits(rep.currency)), months: ytd.months,
        paidByPayroll: paidYtd,
      },
      payroll,
      ...(team.length ? { team } : {}),
      reconciliation: row ? { status: row.status, difference: row.difference, reasons: row.reasons } : null,
      openDisputes: disputes.map((d) => ({
        id: d.id,
        reasonCode: d.reasonCode,
        status: d.status,
        raisedAt: d.raisedAt,
        target: `${d.targetKind}${d.targetRef ? ` ${d.targetRef}` : ''} of ${d.period}`,
      })),
    };
  }

  /**
   * The direct reports' credit and quota in the quota window containing the period, per currency (never added
   * across currencies), from the same run: a manager's statement shows the team's attainment next to their own pay.
   */
  private async teamAttainment(runId: string, repId: string, period: Period): Promise<NonNullable<StatementInput['team']>> {
    const rows = await this.facts.teamPayouts(runId, repId);
    const docs = new Map<string, PlanDocument | null>();
    const byCurrency = new Map<string, { reports: number; credit: Decimal; quota: Decimal }>();
    for (const r of rows) {
      const hash = r.plans[0]?.hash;
      if (!hash) continue;
      if (!docs.has(hash)) docs.set(hash, await this.planVersions.documentByHash(hash));
      const comp = quotaTierComponent(docs.get(hash) ?? undefined);
      const w = comp && r.windows.find((x) => x.componentId === comp.id && x.windowStart <= periodEnd(period) && x.windowEnd >= periodStart(period) && x.quota !== null);
      if (!w) continue;
      const cur = r.currency;
      const t = byCurrency.get(cur) ?? { reports: 0, credit: ZERO, quota: ZERO };
      byCurrency.set(cur, { reports: t.reports + 1, credit: t.credit.plus(w.credit), quota: t.quota.plus(w.quota as string) });
    }
    return [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({ currency, reports: t.reports, credit: t.credit.toFixed(), quota: t.quota.toFixed() }));
  }

  /** Renders one statement. The creation date is the period's last day: the same period gives the same bytes. */
  async render(view: StatementView, period: Period, out: Writable): Promise<void> {
    await this.renderer.render(view, out, new Date(`${periodEnd(period)}T23:59:59Z`));
  }

  /**
   * Writes one PDF per payee (`<rep_id>-<period>.pdf`), a page of payees at a time. Every file name is checked first:
   * one that would land outside `dir` (a rep id such as `../../x/evil`) fails the whole run before anything is written.
   */
  async writeAll(period: string, dir: string, opts: { repId?: string; onStart?: (total: number) => void; onProgress?: (done: number) => void } = {}): Promise<string[]> {
    const p = CalculationService.assertPeriod(period);
    for (const repId of await this.facts.payeeIds(p, opts.repId ?? null)) fileInside(dir, `${repId}-${p}.pdf`);
    fs.mkdirSync(dir, { recursive: true });
    const recon = await this.reconciliationFor(p);
    const total = await this.facts.payeeCount(p, opts.repId ?? null);
    if (opts.repId && total === 0) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${opts.repId} in ${p}`);
    opts.onStart?.(total);
    const written: string[] = [];
    let after: string | null = null;
    for (;;) {
      const ids: string[] = opts.repId ? (written.length ? [] : [opts.repId]) : await this.payeeIds(p, after, 200);
      if (!ids.length) break;
      // The next payee's view is read from the database while this one renders (reading waits, rendering computes).
      let next = this.view(p, ids[0], recon);
      for (const [i, repId] of ids.entries()) {
        const view = await next;
        if (i + 1 < ids.length) {
          next = this.view(p, ids[i + 1], recon);
          next.catch(() => undefined); // awaited on the next turn; never an unhandled rejection if rendering fails first
        }
        const file = fileInside(dir, `${repId}-${p}.pdf`);
        const tmp = `${file}.tmp-${process.pid}`;
        await this.render(view, p, fs.createWriteStream(tmp));
        fs.renameSync(tmp, file);
        written.push(file);
        opts.onProgress?.(written.length);
      }
      after = ids[ids.length - 1];
      if (opts.repId) break;
    }
    return written;
  }
}

/** `dir/name` when `name` is a plain file name that stays inside `dir`; a clear error otherwise. */
export function fileInside(dir: string, name: string): string {
  const root = path.resolve(dir);
  const file = path.resolve(root, name);
  if (name.includes('\0') || path.basename(name) !== name || path.dirname(file) !== root) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `refusing to write ${JSON.stringify(name)}: the file would not be a plain file in ${root}; nothing was written`);
  }
  return file;
}
