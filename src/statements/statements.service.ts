import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Actor, cliActor } from '../auth/actor';
import { CalculationService } from '../calculation/calculation.service';
import { addMonths, Period, periodEnd, periodOf, periodStart, windowContaining } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { PlanDocument } from '../core/plans/plan-types';
import { ReconciliationResult } from '../core/reconciliation/reconcile';
import { buildStatement, minorDigits, quotaTierComponent, StatementInput, StatementView, StatementWindow } from '../core/statements/build-statement';
import { Db } from '../infra/db.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { StatementPdfRenderer } from './statement-pdf.renderer';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';

/** Loads a payee's stored results for a period into a statement view and renders it. */
@Injectable()
export class StatementsService {
  private readonly renderer = new StatementPdfRenderer();

  constructor(
    private readonly db: Db,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly recon: ReconciliationService,
  ) {}

  /** Payees with a payout in the period's current run, in rep id order (paged so memory stays flat). */
  async payeeIds(period: Period, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `SELECT p.rep_id FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND ($2::text IS NULL OR p.rep_id > $2) ORDER BY p.rep_id LIMIT $3`,
      [period, after, limit],
    );
    return rows.map((r) => r.rep_id);
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
    const [payout] = await this.db.query<{
      earned_to_date: string;
      earned_before: string;
      earned: string;
      draw: string;
      payout: string;
      balance_before: string;
      balance: string;
      plans: { planId: string; version: number; hash: string }[];
      windows: StatementWindow[];
    }>(
      `SELECT earned_to_date::text AS earned_to_date, earned_before::text AS earned_before, earned::text AS earned, draw::text AS draw, payout::text AS payout,
              balance_before::text AS balance_before, balance::text AS balance, plans, windows
         FROM payouts WHERE run_id = $1 AND rep_id = $2`,
      [s.runId, repId],
    );
    if (!payout) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${repId} in ${period}`);
    const [rep] = await this.db.query<{ rep_id: string; name: string; currency: string; hire_date: string; manager_id: string | null; manager_name: string | null }>(
      `SELECT r.rep_id, r.name, r.currency, r.hire_date::text AS hire_date, r.manager_id, m.name AS manager_name FROM reps r LEFT JOIN reps m ON m.rep_id = r.manager_id WHERE r.rep_id = $1`,
      [repId],
    );
    const plans: StatementInput['plans'] = [];
    for (const p of payout.plans) {
      const [doc] = await this.db.query<{ document: PlanDocument }>(`SELECT document FROM plan_versions WHERE content_hash = $1`, [p.hash]);
      plans.push({ ...p, name: doc?.document.name ?? p.planId, document: doc?.document as PlanDocument });
    }
    const end = periodEnd(period);
    const [assignment] = await this.db.query<{ plan_id: string; annual_quota: string; target_variable: string; base_salary: string; start_date: string; end_date: string | null }>(
      `SELECT plan_id, annual_quota::text AS annual_quota, target_variable::text AS target_variable, base_salary::text AS base_salary, start_date::text AS start_date, end_date::text AS end_date
         FROM plan_assignments WHERE rep_id = $1 AND start_date <= $2 ORDER BY (end_date IS NULL OR end_date >= $2) DESC, start_date DESC LIMIT 1`,
      [repId, end],
    );
    const [prev] = await this.db.query<{ windows: StatementWindow[] }>(
      `SELECT p.windows FROM payouts p JOIN current_runs r ON r.id = p.run_id WHERE r.period = $1 AND p.rep_id = $2`,
      [addMonths(period, -1), repId],
    );
    const quarterFirst = periodOf(windowContaining('quarter', periodStart(period)).start);
    const [qbase] = await this.db.query<{ windows: StatementWindow[] }>(
      `SELECT p.windows FROM payouts p JOIN current_runs r ON r.id = p.run_id WHERE r.period = $1 AND p.rep_id = $2`,
      [addMonths(quarterFirst, -1), repId],
    );
    const lines = await this.calc.lines(period, repId);
    const [ytd] = await this.db.query<{ paid: string | null; earned: string | null; months: string }>(
      `SELECT sum(p.payout)::text AS paid, sum(p.earned)::text AS earned, count(*)::text AS months FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE p.rep_id = $1 AND p.period BETWEEN $2 AND $3`,
      [repId, `${period.slice(0, 4)}-01`, period],
    );
    const payroll = await this.db.query<{ amount: string; currency: string; reference: string; paid_date: string }>(
      `SELECT amount::text AS amount, currency, reference, paid_date::text AS paid_date FROM payroll_records WHERE rep_id = $1 AND period = $2 AND superseded_by_import IS NULL ORDER BY reference`,
      [repId, period],
    );
    const paidYtd = await this.db.query<{ amount: string; currency: string }>(
      `SELECT sum(amount)::text AS amount, currency FROM payroll_records WHERE rep_id = $1 AND period BETWEEN $2 AND $3 AND superseded_by_import IS NULL GROUP BY currency ORDER BY currency`,
      [repId, `${period.slice(0, 4)}-01`, period],
    );
    const team = await this.teamAttainment(s.runId, repId, period);
    const reconciliation = recon === undefined ? await this.reconciliationFor(period) : recon;
    const row = reconciliation?.rows.find((r) => r.repId === repId && r.status !== 'unexpected') ?? reconciliation?.rows.find((r) => r.repId === repId);
    const [hasDisputes] = await this.db.query<{ t: string | null }>(`SELECT to_regclass('disputes')::text AS t`);
    const disputes = hasDisputes?.t
      ? await this.db.query<{ id: string; reason_code: string; status: string; raised_at: Date; target_kind: string; target_ref: string | null; period: string }>(
          `SELECT id::text AS id, reason_code, status, raised_at, target_kind, target_ref, period FROM disputes WHERE rep_id = $1 AND status IN ('open','in_review') ORDER BY id`,
          [repId],
        )
      : [];
    return {
      period,
      status: s.status === 'closed' ? 'final' : 'draft',
      staleSince: fresh.stale ? fresh.calculatedAt : null,
      rep: { repId: rep.rep_id, name: rep.name, currency: rep.currency, hireDate: rep.hire_date, managerId: rep.manager_id, managerName: rep.manager_name },
      runId: s.runId,
      plans,
      assignment: assignment
        ? { planId: assignment.plan_id, annualQuota: assignment.annual_quota, targetVariable: assignment.target_variable, baseSalary: assignment.base_salary, startDate: assignment.start_date, endDate: assignment.end_date }
        : null,
      windows: payout.windows,
      previousWindows: prev?.windows ?? [],
      quarterBaseWindows: qbase?.windows ?? [],
      payout: {
        earnedToDate: payout.earned_to_date,
        earnedBefore: payout.earned_before,
        earned: payout.earned,
        draw: payout.draw,
        payout: payout.payout,
        balanceBefore: payout.balance_before,
        balance: payout.balance,
      },
      lines: lines.map((l) => ({
        lineNo: l.line_no,
        kind: l.kind,
        componentKey: l.component_key,
        bookingId: l.booking_id,
        originPeriod: l.origin_period,
        amount: l.amount,
        description: l.description,
        trace: (l.trace ?? {}) as Record<string, unknown>,
      })),
      ytd: { paid: new Decimal(ytd?.paid ?? ZERO).toFixed(minorDigits(rep.currency)), earned: new Decimal(ytd?.earned ?? ZERO).toFixed(minorDigits(rep.currency)), months: Number(ytd?.months ?? 0),
        paidByPayroll: paidYtd.map((p) => ({ amount: p.amount, currency: p.currency })),
      },
      payroll: payroll.map((p) => ({ amount: p.amount, currency: p.currency, reference: p.reference, paidDate: p.paid_date })),
      ...(team.length ? { team } : {}),
      reconciliation: row ? { status: row.status, difference: row.difference, reasons: row.reasons } : null,
      openDisputes: disputes.map((d) => ({
        id: d.id,
        reasonCode: d.reason_code,
        status: d.status,
        raisedAt: new Date(d.raised_at).toISOString(),
        target: `${d.target_kind}${d.target_ref ? ` ${d.target_ref}` : ''} of ${d.period}`,
      })),
    };
  }

  /**
   * The direct reports' credit and quota in the quota window containing the period, per currency (never added
   * across currencies), from the same run: a manager's statement shows the team's attainment next to their own pay.
   */
  private async teamAttainment(runId: string, repId: string, period: Period): Promise<NonNullable<StatementInput['team']>> {
    const rows = await this.db.query<{ rep_id: string; currency: string; windows: StatementWindow[]; plans: { hash: string }[] }>(
      `SELECT p.rep_id, p.currency, p.windows, p.plans FROM payouts p WHERE p.run_id = $1 AND p.rep_id IN (SELECT rep_id FROM reps WHERE manager_id = $2) ORDER BY p.rep_id`,
      [runId, repId],
    );
    const docs = new Map<string, PlanDocument | undefined>();
    const byCurrency = new Map<string, { reports: number; credit: Decimal; quota: Decimal }>();
    for (const r of rows) {
      const hash = r.plans[0]?.hash;
      if (!hash) continue;
      if (!docs.has(hash)) docs.set(hash, (await this.db.query<{ document: PlanDocument }>(`SELECT document FROM plan_versions WHERE content_hash = $1`, [hash]))[0]?.document);
      const comp = quotaTierComponent(docs.get(hash));
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
    const ids = await this.db.query<{ rep_id: string }>(
      `SELECT py.rep_id FROM payouts py JOIN current_runs r ON r.id = py.run_id WHERE r.period = $1 AND ($2::text IS NULL OR py.rep_id = $2)`,
      [p, opts.repId ?? null],
    );
    for (const { rep_id } of ids) fileInside(dir, `${rep_id}-${p}.pdf`);
    fs.mkdirSync(dir, { recursive: true });
    const recon = await this.reconciliationFor(p);
    const [{ n }] = await this.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM payouts py JOIN current_runs r ON r.id = py.run_id WHERE r.period = $1 AND ($2::text IS NULL OR py.rep_id = $2)`,
      [p, opts.repId ?? null],
    );
    const total = Number(n);
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
