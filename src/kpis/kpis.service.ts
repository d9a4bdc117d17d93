import { monthQuota } from '../core/calculation/quota';
import { Injectable } from '@nestjs/common';
import { Actor, cliActor } from '../auth/actor';
import { CalculationService } from '../calculation/calculation.service';
import { daysInRange, monthsBetween, Period, periodEnd, periodOf, periodStart, periodsBetween } from '../core/calendar/dates';
import { attainmentOf, noAttainmentReason, WindowRow } from '../core/kpis/attainment';
import { computeDisputeStats } from '../core/kpis/dispute-stats';
import { KPI_DICTIONARY, KpiDefinition, kpiDefinition, KpiStatus, kpiStatus } from '../core/kpis/kpi-dictionary';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { ReportingConverter } from '../core/money/currency-totals';
import { Decimal, HUNDRED, ZERO, roundHalfUp } from '../core/money/decimal';
import { minorDigits } from '../core/explain/format';
import { PlanDocument } from '../core/plans/plan-types';
import { PlanDocumentsService } from '../plan-documents/plan-documents.service';
import { PlansService } from '../plans/plans.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { AssignmentInForce, KpiFactsRepository } from './kpi-facts.repository';

export interface KpiBreakdown {
  dimension: 'payee' | 'team' | 'plan' | 'currency' | 'reason';
  key: string;
  value: string | null;
  status: KpiStatus;
  detail?: Record<string, unknown>;
}

export interface KpiValue extends KpiDefinition {
  period: Period;
  value: string | null;
  status: KpiStatus;
  note?: string;
  breakdown: KpiBreakdown[];
}

const pct2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/** Computes every KPI of the dictionary for a period, with its status against the threshold. */
@Injectable()
export class KpisService {
  constructor(
    private readonly facts: KpiFactsRepository,
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly recon: ReconciliationService,
    private readonly plans: PlansService,
    private readonly documents: PlanDocumentsService,
  ) {}

  dictionary(): readonly KpiDefinition[] {
    return KPI_DICTIONARY;
  }

  /**
   * Quota attainment per payee of the period's current run (the quota_attainment KPI's payee breakdown, with the
   * window's credit and quota and the payout), limited to `visible` (null: everyone). Throws NOT_FOUND when the period
   * has not been calculated.
   */
  async attainment(period: string, visible: Set<string> | null): Promise<{ period: Period; runId: string; payees: PayeeAttainment[] }> {
    const p = CalculationService.assertPeriod(period);
    const run = await this.lifecycle.currentRun(p);
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated`);
    const rows = await this.facts.payeePayouts(p, visible);
    const def = kpiDefinition('quota_attainment');
    const byRep = new Map(attainmentOf(p, rows).map((a) => [a.repId, a]));
    return {
      period: p,
      runId: run.id,
      payees: rows.map((r) => {
        const a = byRep.get(r.repId);
        return {
          repId: r.repId,
          name: r.name,
          managerId: r.managerId,
          plan: r.plan,
          currency: r.currency,
          payout: r.payout,
          window: a?.window ?? null,
          credit: a?.credit ?? null,
          quota: a?.quota ?? null,
          attainmentPct: a ? pct2(a.pct) : null,
          pacePct: a ? pct2(a.pace.times(HUNDRED)) : null,
          status: a ? kpiStatus(def, a.pct.toFixed(), a.pace) : 'no_data',
          note: a ? null : noAttainmentReason(p, r),
        };
      }),
    };
  }

  /** `actor`: who asked (a stale period is recalculated first only when they may calculate; see beforeRead). */
  async compute(period: string, actor: Actor = cliActor()): Promise<{ period: Period; stale: boolean; calculatedAt: string | null; kpis: KpiValue[] }> {
    const p = CalculationService.assertPeriod(period);
    const fresh = await this.calc.beforeRead(p, actor);
    const kpis: KpiValue[] = [];
    const value = (code: string, v: string | null, breakdown: KpiBreakdown[] = [], note?: string, scale?: Decimal): KpiValue => {
      const def = kpiDefinition(code);
      return { ...def, period: p, value: v, status: kpiStatus(def, v, scale), breakdown, ...(note ? { note } : {}) };
    };

    // --- commission accuracy (closed periods with payroll records)
    const status = await this.lifecycle.status(p);
    if (status.status === 'closed') {
      const r = await this.recon.reconcile(p);
      const hasPayroll = r.rows.some((x) => x.paid !== null) || r.counts.missing < r.rows.length;
      const by = (f: 'countRatePct' | 'dollarRatePct', code: string): KpiBreakdown[] => [
        ...Object.entries(r.byTeam).map(([k, v]) => ({ dimension: 'team' as const, key: k, value: v[f], status: kpiStatus(kpiDefinition(code), v[f]) })),
        ...Object.entries(r.byPlan).map(([k, v]) => ({ dimension: 'plan' as const, key: k, value: v[f], status: kpiStatus(kpiDefinition(code), v[f]) })),
      ];
      kpis.push(value('commission_accuracy_count', hasPayroll ? r.accuracy.countRatePct : null, hasPayroll ? by('countRatePct', 'commission_accuracy_count') : [], hasPayroll ? `${r.errors.length} error(s): see reconcile` : 'no payroll records imported for this period'));
      kpis.push(
        value(
          'commission_accuracy_dollar',
          hasPayroll ? r.accuracy.dollarRatePct : null,
          hasPayroll ? by('dollarRatePct', 'commission_accuracy_dollar') : [],
          hasPayroll ? `Σ error ${r.accuracy.sumAbsError} of ${r.accuracy.sumAbsClosedPayout} in ${r.accuracy.reportingCurrency} at rates of ${r.accuracy.ratesAsOf}` : 'no payroll records imported for this period',
        ),
      );
    } else {
      kpis.push(value('commission_accuracy_count', null, [], `period is ${status.status}; accuracy is measured on closed periods`));
      kpis.push(value('commission_accuracy_dollar', null, [], `period is ${status.status}; accuracy is measured on closed periods`));
    }

    // --- quota attainment (per payee, team, plan) from the period's windows
    const payees = await this.facts.payees(p);
    const att = attainmentOf(p, payees);
    const attDef = kpiDefinition('quota_attainment');
    const mean = (xs: Decimal[]) => xs.reduce((s, x) => s.plus(x), ZERO).dividedBy(xs.length);
    const group = (key: (a: (typeof att)[number]) => string | null, dimension: 'team' | 'plan'): KpiBreakdown[] =>
      [...new Set(att.map((a) => key(a) ?? '(none)'))].sort().map((k) => {
        const members = att.filter((a) => (key(a) ?? '(none)') === k);
        const v = mean(members.map((m) => m.pct));
        return { dimension, key: k, value: pct2(v), status: kpiStatus(attDef, v.toFixed(), mean(members.map((m) => m.pace))), detail: { payees: members.length } };
      });
    kpis.push(
      value(
        'quota_attainment',
        att.length ? pct2(mean(att.map((a) => a.pct))) : null,
        [
          ...att.map((a) => ({ dimension: 'payee' as const, key: a.repId, value: pct2(a.pct), status: kpiStatus(attDef, a.pct.toFixed(), a.pace), detail: { window: a.window, pacePct: pct2(a.pace.times(HUNDRED)) } })),
          // payees without a quota to attain are listed as not applicable, with the reason, never left out
          ...payees
            .filter((r) => !att.some((a) => a.repId === r.repId))
            .map((r) => ({ dimension: 'payee' as const, key: r.repId, value: null, status: 'no_data' as KpiStatus, detail: { reason: noAttainmentReason(p, r) } })),
          ...group((a) => a.team, 'team'),
          ...group((a) => a.plan, 'plan'),
        ],
        'team and plan values are the mean of their payees’ attainment (payees may be paid in different currencies); status compares with 80% of pace',
        att.length ? mean(att.map((a) => a.pace)) : undefined,
      ),
    );

    // --- earnings at risk from the assignments in force at the period end
    const end = periodEnd(p);
    const assignments = await this.facts.assignmentsInForce(periodStart(p), end);
    const earDef = kpiDefinition('earnings_at_risk');
    const ear = assignments
      .filter((a) => !new Decimal(a.baseSalary).plus(a.targetVariable).isZero())
      .map((a) => ({ repId: a.repId, v: new Decimal(a.targetVariable).dividedBy(new Decimal(a.baseSalary).plus(a.targetVariable)).times(HUNDRED) }));
    kpis.push(
      value(
        'earnings_at_risk',
        ear.length ? pct2(mean(ear.map((e) => e.v))) : null,
        ear.map((e) => ({ dimension: 'payee' as const, key: e.repId, value: pct2(e.v), status: kpiStatus(earDef, e.v.toFixed()) })),
        'overall value: mean over payees',
      ),
    );

    // --- quota-to-capacity per manager: team quota / Σ ramp-adjusted annual quotas of direct reports
    const docs = new Map<string, PlanDocument>();
    for (const v of await this.plans.allVersions()) docs.set(v.planId, v.document);
    const year = p.slice(0, 4);
    const capDef = kpiDefinition('quota_to_capacity');
    const capacity: KpiBreakdown[] = [];
    let converter: ReportingConverter | undefined;
    for (const mgr of assignments.filter((a) => assignments.some((r) => r.managerId === a.repId))) {
      const reports = assignments.filter((r) => r.managerId === mgr.repId);
      // quotas are in each payee's currency: a team that mixes currencies is compared in the reporting currency
      const mixed = reports.some((r) => r.currency !== mgr.currency);
      const to = mixed ? (converter ??= await this.recon.converter(p)) : null;
      const inCcy = (amount: Decimal, ccy: string) => (to ? to.convert(amount, ccy) : amount);
      const sum = reports.reduce((s, r) => s.plus(inCcy(rampAdjustedAnnualQuota(r, docs.get(r.planId), year), r.currency)), ZERO);
      const teamQuota = inCcy(new Decimal(mgr.annualQuota), mgr.currency);
      const v = teamQuota.isZero() || sum.isZero() ? null : teamQuota.dividedBy(sum).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
      const currency = to ? to.currency : mgr.currency;
      const inMinor = (amount: Decimal) => roundHalfUp(amount, minorDigits(currency)).toFixed(minorDigits(currency));
      capacity.push({
        dimension: 'team',
        key: mgr.repId,
        value: v,
        status: kpiStatus(capDef, v),
        detail: {
          teamQuota: inMinor(teamQuota),
          rampAdjustedCapacity: inMinor(sum),
          currency,
          ...(to ? { converted: to.label() } : {}),
          reports: reports.length,
        },
      });
    }
    const withValue = capacity.filter((c) => c.value !== null);
    kpis.push(value('quota_to_capacity', withValue.length ? mean(withValue.map((c) => new Decimal(c.value as string))).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4) : null, capacity, withValue.length ? undefined : 'no manager has a team quota (annual_quota on their assignment)'));

    // --- average ramp time: first month with credit ≥ that month's full quota
    kpis.push(value('average_ramp_time', ...(await this.rampTime(p))));

    // --- disputes (when the disputes feature has recorded any)
    kpis.push(...(await this.disputeKpis(p, payees.length, value)));

    // --- average deal size per booking currency
    const deals = await this.facts.dealTotals(periodStart(p), end);
    kpis.push(
      value(
        'average_deal_size',
        deals.length === 1 ? new Decimal(deals[0].total).dividedBy(deals[0].deals).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null,
        deals.map((d) => ({ dimension: 'currency' as const, key: d.currency, value: new Decimal(d.total).dividedBy(d.deals).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2), status: 'info' as KpiStatus, detail: { deals: d.deals, total: new Decimal(d.total).toFixed(2) } })),
        deals.length > 1 ? 'bookings in several currencies: see the breakdown per currency' : undefined,
      ),
    );
    kpis.push(value('win_rate', null, [], 'bookings are closed-won deals only; no closed-lost data'));
    const acks = await this.documents.forPeriod(p);
    kpis.push(
      value(
        'plan_acknowledgment_rate',
        acks.total ? new Decimal(acks.acknowledged).times(HUNDRED).dividedBy(acks.total).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null,
        acks.pending.map((v) => ({ dimension: 'payee' as const, key: v.repId, value: null, status: 'breach' as KpiStatus, detail: { assignmentId: v.assignmentId, plan: `${v.planId} v${v.planVersion}`, documentHash: v.documentHash } })),
        acks.total ? `${acks.acknowledged} of ${acks.total} assignment(s) acknowledged${acks.pending.length ? `; pending: ${acks.pending.map((v) => v.repId).join(', ')}` : ''}` : 'no assignment in effect',
      ),
    );
    return { period: p, ...fresh, kpis };
  }

  private async rampTime(p: Period): Promise<[string | null, KpiBreakdown[], string]> {
    const rows = await this.facts.windowsThrough(p);
    const annualQuotas = await this.facts.largestAnnualQuotas();
    const first = await this.facts.firstCalculatedPeriod();
    const byRep = new Map<string, typeof rows>();
    for (const r of rows) byRep.set(r.repId, [...(byRep.get(r.repId) ?? []), r]);
    const out: KpiBreakdown[] = [];
    for (const [repId, list] of byRep) {
      const hire = list[0].hireDate;
      if (!first || periodOf(hire) < first) continue; // hired before the data starts: ramp not observable
      const monthly = annualQuotas.get(repId)?.dividedBy(12);
      if (!monthly || monthly.isZero()) continue;
      let previous: WindowRow | undefined;
      let reached: { period: string; tenureMonth: number } | null = null;
      for (const row of list) {
        const w = row.windows.find((x) => x.componentType === 'tiered' && x.quota !== null && x.windowStart <= periodStart(row.period) && x.windowEnd >= periodEnd(row.period));
        if (!w) continue;
        const before = previous && previous.window === w.window && previous.componentId === w.componentId ? new Decimal(previous.credit) : ZERO;
        const credit = new Decimal(w.credit).minus(before);
        previous = w;
        if (credit.greaterThanOrEqualTo(monthly)) {
          reached = { period: row.period, tenureMonth: monthsBetween(periodOf(hire), row.period) + 1 };
          break;
        }
      }
      out.push({ dimension: 'payee', key: repId, value: reached ? String(reached.tenureMonth) : null, status: reached ? 'info' : 'no_data', detail: { hireDate: hire, firstFullQuotaMonth: reached?.period ?? null } });
    }
    const done = out.filter((o) => o.value !== null);
    const avg = done.length ? done.reduce((s, o) => s.plus(o.value as string), ZERO).dividedBy(done.length).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null;
    return [avg, out, `${done.length} of ${out.length} payees hired within the data reached a full month's quota by ${p}`];
  }

  private async disputeKpis(
    p: Period,
    statements: number,
    value: (code: string, v: string | null, b?: KpiBreakdown[], note?: string) => KpiValue,
  ): Promise<KpiValue[]> {
    const disputes = await this.facts.disputes(p);
    const stats = computeDisputeStats(
      disputes.map((d) => ({ reasonCode: d.reasonCode, status: d.status, raisedAt: d.raisedAt.getTime(), resolvedAt: d.resolvedAt ? d.resolvedAt.getTime() : null })),
      statements,
    );
    const share = stats.upheldShare === null ? null : new Decimal(stats.upheldShare).times(HUNDRED).toFixed(2);
    const reasons = Object.entries(stats.byReason).filter(([, f]) => f.count > 0);
    return [
      value(
        'disputes_per_100_statements',
        stats.perHundredStatements,
        reasons.map(([k, f]) => ({ dimension: 'reason' as const, key: k, value: f.perHundredStatements, status: kpiStatus(kpiDefinition('disputes_per_100_statements'), f.perHundredStatements), detail: { disputes: f.count, upheld: f.upheld, rejected: f.rejected } })),
        `${stats.count} dispute(s), ${statements} statement(s)`,
      ),
      value('dispute_time_to_resolve_median', stats.medianHoursToResolve),
      value('dispute_time_to_resolve_p90', stats.p90HoursToResolve),
      value('dispute_upheld_share', share, [], `${stats.upheld} upheld of ${stats.resolved} resolved`),
    ];
  }
}

/** One payee's attainment in the period, as the quota_attainment KPI reads it (amounts are decimal strings). */
export interface PayeeAttainment {
  repId: string;
  name: string;
  managerId: string | null;
  plan: string | null;
  currency: string;
  payout: string;
  /** The quota window the period falls in (e.g. "2026"), its credit and (ramped, prorated) quota; null without a quota. */
  window: string | null;
  credit: string | null;
  quota: string | null;
  attainmentPct: string | null;
  pacePct: string | null;
  status: KpiStatus;
  /** Why attainment is n/a (no quota component, a zero quota, not yet hired); null when there is one. */
  note: string | null;
}

/** Σ over the year's months of Q × share(month) × ramp × active days / days in month, from the assignment and the plan's ramp and seasonality (the engine's monthly allocation). */
export function rampAdjustedAnnualQuota(
  a: Pick<AssignmentInForce, 'annualQuota' | 'startDate' | 'endDate' | 'hireDate' | 'terminationDate'>,
  plan: PlanDocument | undefined,
  year: string,
): Decimal {
  const q = new Decimal(a.annualQuota);
  let total = ZERO;
  for (const m of periodsBetween(`${year}-01-01`, `${year}-12-31`)) {
    const from = [a.startDate, a.hireDate].sort()[1];
    const to = [a.endDate, a.terminationDate].filter((x): x is string => x !== null).sort()[0] ?? null;
    const active = daysInRange({ from, to }, periodStart(m), periodEnd(m));
    if (!active) continue;
    total = total.plus(monthQuota(q, plan, a.hireDate, m, active).quota); // the engine's own month quota (core/calculation/quota.ts)
  }
  return total;
}

