import { Inject, Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { PayeeResult, WindowSummary } from '../core/calculation/calculation-types';
import { IsoDate, Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { PlanDocument } from '../core/plans/plan-types';
import { EarningsStanding, earningsStanding, teamAttainment, WindowStanding, windowStanding } from '../core/statements/dashboard';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { EstimatesService } from './estimates.service';

export interface MonthFigures {
  period: Period;
  /** closed/approved/calculated: a stored run; estimate: the open period, calculated now from the facts so far. */
  basis: 'closed' | 'approved' | 'calculated' | 'estimate';
  earned: string;
  /** What the engine computed as payable (not what payroll paid). */
  computedPayout: string;
  /** What payroll paid for the period (imported payroll records, in their currencies). */
  paidByPayroll: { amount: string; currency: string }[];
}

export interface PayeeDashboard {
  repId: string;
  name: string;
  currency: string;
  year: string;
  /** The open period (the first not approved or closed); its figures are an estimate until it closes. */
  openPeriod: Period | null;
  /** The date the standing is measured at: the open period's end, or today if earlier. */
  asOf: IsoDate;
  standing: WindowStanding | null;
  earnings: EarningsStanding | null;
  months: MonthFigures[];
  /** Σ computed payouts and Σ payroll payments of the year, per currency (computed is never "paid"). */
  computedYtd: string;
  paidByPayrollYtd: { amount: string; currency: string }[];
  /** What the payee owes back after the open period (negative months, recoverable draws), recovered from later earnings. */
  owedBack: string;
  lastStatement: { period: Period; status: 'final' } | null;
  openDisputes: { id: string; period: string; reasonCode: string; status: string; target: string }[];
}

export interface DashboardView extends PayeeDashboard {
  /** A manager's direct reports, each with their own standing; absent for a payee without reports. */
  team?: { reports: PayeeDashboard[]; attainment: { currency: string; quota: string; credit: string; attainmentPct: string | null }[] };
  notice: string;
}

const NOTICE = 'Figures of the open period are an estimate from the bookings imported so far; they become final when the period closes. "Computed" is what the engine calculated; "paid by payroll" is what payroll reports it paid.';

/** The rep's and manager's home: where they stand, what they earned against target, what payroll paid. */
@Injectable()
export class DashboardService {
  private readonly minorUnits: MinorUnits;

  constructor(
    private readonly db: Db,
    private readonly estimates: EstimatesService,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.minorUnits = new MinorUnits(cfg.currencyMinorUnits);
  }

  async forActor(actor: Actor, now: Date = new Date()): Promise<DashboardView> {
    if (!actor.repId) throw new CommissionError(CommissionErrorCode.NOT_FOUND, 'no payee is linked to this user: the dashboard is for reps and managers (finance: GET /reps/:repId/dashboard)');
    return this.forPayee(actor, actor.repId, now);
  }

  async forPayee(actor: Actor, repId: string, now: Date = new Date()): Promise<DashboardView> {
    await this.access.assertCanSee(actor, repId);
    // direct reports (each one's own dashboard shows theirs): one calculation of the open period for the few of them
    const reports = (await this.db.query<{ rep_id: string }>(`SELECT rep_id FROM reps WHERE manager_id = $1 ORDER BY rep_id`, [repId])).map((r) => r.rep_id);
    const today = await this.estimates.today([repId, ...reports]);
    const own = await this.payee(repId, today, now);
    if (!reports.length) return { ...own, notice: NOTICE };
    const members: PayeeDashboard[] = [];
    for (const r of reports) members.push(await this.payee(r, today, now));
    const attainment = teamAttainment(
      members.map((m) => ({ currency: m.currency, standing: m.standing })),
      (c) => this.minorUnits.of(c),
    );
    return { ...own, team: { reports: members, attainment }, notice: NOTICE };
  }

  private async payee(repId: string, today: Awaited<ReturnType<EstimatesService['today']>>, now: Date): Promise<PayeeDashboard> {
    const [rep] = await this.db.query<{ name: string; currency: string }>(`SELECT name, currency FROM reps WHERE rep_id = $1`, [repId]);
    if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    const currency = rep.currency;
    const minor = this.minorUnits.of(currency);
    const open = today?.period ?? null;
    const year = (open ?? now.toISOString().slice(0, 7)).slice(0, 4);
    const nowDate = now.toISOString().slice(0, 10);
    const asOf = open && periodEnd(open) < nowDate ? periodEnd(open) : nowDate;
    const stored = await this.db.query<{ period: string; status: string | null; earned: string; payout: string; balance: string; windows: WindowSummary[]; plans: { hash: string }[] }>(
      `SELECT r.period, p.status, y.earned::text AS earned, y.payout::text AS payout, y.balance::text AS balance, y.windows, y.plans
         FROM current_runs r JOIN payouts y ON y.run_id = r.id LEFT JOIN periods p ON p.period = r.period
        WHERE y.rep_id = $1 AND r.period BETWEEN $2 AND $3 ORDER BY r.period`,
      [repId, `${year}-01`, `${year}-12`],
    );
    const payroll = await this.db.query<{ period: string; currency: string; amount: string }>(
      `SELECT period, currency, sum(amount)::text AS amount FROM payroll_records WHERE rep_id = $1 AND superseded_by_import IS NULL AND period BETWEEN $2 AND $3
        GROUP BY period, currency ORDER BY period, currency`,
      [repId, `${year}-01`, `${year}-12`],
    );
    const paidIn = (period: string) => payroll.filter((p) => p.period === period).map((p) => ({ amount: new Decimal(p.amount).toFixed(this.minorUnits.of(p.currency)), currency: p.currency }));
    const estimate: PayeeResult | undefined = today?.results.get(repId);
    const months: MonthFigures[] = [];
    for (const s of stored) {
      if (open && s.period >= open) continue; // the open period and later: the estimate (later ones are not earned yet)
      const basis = s.status === 'closed' || s.status === 'approved' ? s.status : 'calculated';
      months.push({ period: s.period, basis, earned: s.earned, computedPayout: s.payout, paidByPayroll: paidIn(s.period) });
    }
    if (open && estimate) months.push({ period: open, basis: 'estimate', earned: estimate.earned.toFixed(minor), computedPayout: estimate.payout.toFixed(minor), paidByPayroll: paidIn(open) });
    const last = [...stored].reverse().find((s) => !open || s.period < open);
    const windows = estimate?.windows ?? last?.windows ?? [];
    const planHash = estimate?.plans[0]?.hash ?? last?.plans[0]?.hash;
    const [plan] = planHash ? await this.db.query<{ document: PlanDocument }>(`SELECT document FROM plan_versions WHERE content_hash = $1`, [planHash]) : [];
    const [assignment] = await this.db.query<{ target_variable: string; base_salary: string; start_date: string; end_date: string | null }>(
      `SELECT target_variable::text AS target_variable, base_salary::text AS base_salary, start_date::text AS start_date, end_date::text AS end_date
         FROM plan_assignments WHERE rep_id = $1 AND start_date <= $2 ORDER BY (end_date IS NULL OR end_date >= $2) DESC, start_date DESC LIMIT 1`,
      [repId, asOf],
    );
    const earnedYtd = months.reduce((s, m) => s.plus(m.earned), ZERO);
    const computedYtd = months.reduce((s, m) => s.plus(m.computedPayout), ZERO);
    const paidTotals = new Map<string, Decimal>();
    for (const p of payroll) paidTotals.set(p.currency, (paidTotals.get(p.currency) ?? ZERO).plus(p.amount));
    const [statement] = await this.db.query<{ period: string }>(
      `SELECT r.period FROM current_runs r JOIN payouts y ON y.run_id = r.id JOIN periods p ON p.period = r.period
        WHERE p.status = 'closed' AND y.rep_id = $1 ORDER BY r.period DESC LIMIT 1`,
      [repId],
    );
    const disputes = await this.db.query<{ id: string; period: string; reason_code: string; status: string; target_kind: string; target_ref: string | null }>(
      `SELECT id::text AS id, period, reason_code, status, target_kind, target_ref FROM disputes WHERE rep_id = $1 AND status IN ('open', 'in_review') ORDER BY id`,
      [repId],
    );
    return {
      repId,
      name: rep.name,
      currency,
      year,
      openPeriod: open,
      asOf,
      standing: plan ? windowStanding(plan.document, windows, asOf, currency, minor) : null,
      earnings: assignment
        ? earningsStanding(earnedYtd, new Decimal(assignment.target_variable), new Decimal(assignment.base_salary), year, assignment.start_date, assignment.end_date, minor)
        : null,
      months,
      computedYtd: computedYtd.toFixed(minor),
      paidByPayrollYtd: [...paidTotals].map(([c, a]) => ({ currency: c, amount: a.toFixed(this.minorUnits.of(c)) })),
      owedBack: (estimate?.balance ?? new Decimal(last?.balance ?? '0')).toFixed(minor),
      lastStatement: statement ? { period: statement.period, status: 'final' } : null,
      openDisputes: disputes.map((d) => ({ id: d.id, period: d.period, reasonCode: d.reason_code, status: d.status, target: `${d.target_kind}${d.target_ref ? ` ${d.target_ref}` : ''}` })),
    };
  }
}
