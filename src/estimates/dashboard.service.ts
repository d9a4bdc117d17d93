import { Inject, Injectable } from '@nestjs/common';
import { AssignmentsRepository } from '../assignments/assignments.repository';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { PayeeResult } from '../core/calculation/calculation-types';
import { IsoDate, Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { Decimal, ZERO } from '../core/money/decimal';
import { MinorUnits } from '../core/money/minor-units';
import { EarningsStanding, earningsStanding, teamAttainment, WindowStanding, windowStanding } from '../core/statements/dashboard';
import { DisputesRepository } from '../disputes/disputes.repository';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';
import { RepsRepository } from '../reps/reps.repository';
import { DashboardFactsRepository } from './dashboard-facts.repository';
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
    private readonly facts: DashboardFactsRepository,
    private readonly planVersions: PlanVersionsRepository,
    private readonly assignments: AssignmentsRepository,
    private readonly disputes: DisputesRepository,
    private readonly reps: RepsRepository,
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
    const reports = await this.facts.directReports(repId);
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
    const rep = await this.reps.byId(repId);
    if (!rep) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    const currency = rep.currency;
    const minor = this.minorUnits.of(currency);
    const open = today?.period ?? null;
    const year = (open ?? now.toISOString().slice(0, 7)).slice(0, 4);
    const nowDate = now.toISOString().slice(0, 10);
    const asOf = open && periodEnd(open) < nowDate ? periodEnd(open) : nowDate;
    const stored = await this.facts.storedMonths(repId, `${year}-01`, `${year}-12`);
    const payroll = await this.facts.payrollPaid(repId, `${year}-01`, `${year}-12`);
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
    const plan = planHash ? await this.planVersions.documentByHash(planHash) : null;
    const assignment = await this.assignments.onDate(repId, asOf);
    const earnedYtd = months.reduce((s, m) => s.plus(m.earned), ZERO);
    const computedYtd = months.reduce((s, m) => s.plus(m.computedPayout), ZERO);
    const paidTotals = new Map<string, Decimal>();
    for (const p of payroll) paidTotals.set(p.currency, (paidTotals.get(p.currency) ?? ZERO).plus(p.amount));
    const finalPeriod = await this.facts.lastClosedPeriod(repId);
    const disputes = await this.disputes.openOf(repId);
    return {
      repId,
      name: rep.name,
      currency,
      year,
      openPeriod: open,
      asOf,
      standing: plan ? windowStanding(plan, windows, asOf, currency, minor) : null,
      earnings: assignment
        ? earningsStanding(earnedYtd, new Decimal(assignment.targetVariable), new Decimal(assignment.baseSalary), year, assignment.startDate, assignment.endDate, minor)
        : null,
      months,
      computedYtd: computedYtd.toFixed(minor),
      paidByPayrollYtd: [...paidTotals].map(([c, a]) => ({ currency: c, amount: a.toFixed(this.minorUnits.of(c)) })),
      owedBack: (estimate?.balance ?? new Decimal(last?.balance ?? '0')).toFixed(minor),
      lastStatement: finalPeriod ? { period: finalPeriod, status: 'final' } : null,
      openDisputes: disputes.map((d) => ({ id: d.id, period: d.period, reasonCode: d.reasonCode, status: d.status, target: `${d.targetKind}${d.targetRef ? ` ${d.targetRef}` : ''}` })),
    };
  }
}
