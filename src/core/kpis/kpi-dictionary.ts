import { Decimal } from '../money/decimal';

export type KpiStatus = 'ok' | 'breach' | 'info' | 'no_data';

export interface KpiThreshold {
  /** ok when value >= (atLeast) or <= (atMost) the threshold. */
  direction: 'atLeast' | 'atMost';
  value: string;
  /** What the threshold is measured against, when not the plain value (e.g. "pace"). */
  note?: string;
}

export interface KpiDefinition {
  code: string;
  name: string;
  unit: '%' | 'ratio' | 'count' | 'hours' | 'months' | 'amount';
  formula: string;
  dataSource: string;
  ownerRole: 'finance' | 'manager' | 'auditor' | 'sales_ops' | 'admin';
  reviewCadence: 'monthly' | 'quarterly' | 'per close';
  threshold: KpiThreshold | null;
  /** The decision a breach triggers. A KPI without one is just a number. */
  breachAction: string;
}

/**
 * The one dictionary of every KPI the service reports (formulas as ../shared/DOMAIN.md defines them). The HTTP API and
 * the CLI read it; nothing reports a KPI that is not here.
 */
export const KPI_DICTIONARY: readonly KpiDefinition[] = [
  {
    code: 'commission_accuracy_count',
    name: 'Commission accuracy rate (count)',
    unit: '%',
    formula: 'error-free payees / (payees with a non-zero closed payout + unexpected payroll records) × 100; error-free = payroll paid the payee exactly once, in the payout\'s currency, exactly the closed amount, and no later correction (upheld dispute, adjustment naming it, prior-period adjustment from a backdated or amended booking) changed it; every record beyond a payee\'s first, and every record of a payee without a payout, is an unexpected record',
    dataSource: 'closed payouts, payroll_records (current), adjustments with origin_period, prior-period adjustment lines of later runs',
    ownerRole: 'finance',
    reviewCadence: 'per close',
    threshold: { direction: 'atLeast', value: '100' },
    breachAction: 'finance reviews every error listed by the reconciliation (the accuracy page of the portal, or npm run cli -- reconcile) before the next close and records the root cause',
  },
  {
    code: 'commission_accuracy_dollar',
    name: 'Commission accuracy rate (amount)',
    unit: '%',
    formula: '(1 − Σ error / Σ |closed payout|) × 100, every amount converted into the reporting currency (REPORTING_CURRENCY) at the latest rate on or before the period\'s last day; a payee\'s error = |Σ its records in the payout\'s currency − payout| + Σ |its records in other currencies| (the payout when nothing was paid); a record of a payee without a payout: |amount|',
    dataSource: 'as commission_accuracy_count',
    ownerRole: 'finance',
    reviewCadence: 'per close',
    threshold: { direction: 'atLeast', value: '99.5' },
    breachAction: 'finance corrects the largest errors first (adjustments in the next open period) and reports them to the auditor',
  },
  {
    code: 'quota_attainment',
    name: 'Quota attainment (per payee, team, plan)',
    unit: '%',
    formula: 'credited quota bookings in the measurement window to date / window quota (ramped, prorated) × 100; team and plan: mean of their payees’ attainment',
    dataSource: 'payout windows of the period’s current calculation run',
    ownerRole: 'manager',
    reviewCadence: 'monthly',
    threshold: { direction: 'atLeast', value: '80', note: 'percent of pace: attainment / share of the window elapsed' },
    breachAction: 'the manager builds a recovery plan with the rep (pipeline review) within two weeks',
  },
  {
    code: 'earnings_at_risk',
    name: 'Earnings at risk',
    unit: '%',
    formula: 'target variable / (base salary + target variable) × 100, per payee, from the assignment in force at the period end',
    dataSource: 'plan_assignments',
    ownerRole: 'sales_ops',
    reviewCadence: 'quarterly',
    threshold: { direction: 'atMost', value: '60' },
    breachAction: 'sales ops reviews the pay mix with HR before the next plan year',
  },
  {
    code: 'quota_to_capacity',
    name: 'Quota-to-capacity ratio',
    unit: 'ratio',
    formula: 'manager (team) annual quota / Σ ramp-adjusted annual quotas of their direct reports',
    dataSource: 'plan_assignments, payout windows (effective annual quota after ramp and proration)',
    ownerRole: 'sales_ops',
    reviewCadence: 'quarterly',
    threshold: { direction: 'atMost', value: '1' },
    breachAction: 'sales ops lowers the team quota or adds capacity (hiring plan) before the next quarter',
  },
  {
    code: 'average_ramp_time',
    name: 'Average rep ramp time',
    unit: 'months',
    formula: 'mean over payees hired in the data of the tenure month of their first month with credit ≥ 100% of that month’s full (unramped) quota',
    dataSource: 'reps.hire_date, payout windows of current runs (monthly credit = YTD credit(m) − YTD credit(m−1))',
    ownerRole: 'sales_ops',
    reviewCadence: 'quarterly',
    threshold: { direction: 'atMost', value: '6' },
    breachAction: 'enablement reviews onboarding for the cohort; sales ops revisits the ramp schedule',
  },
  {
    code: 'disputes_per_100_statements',
    name: 'Disputes per 100 statements',
    unit: 'count',
    formula: 'disputes raised on the period / payees with a payout in the period × 100',
    dataSource: 'disputes, payouts',
    ownerRole: 'finance',
    reviewCadence: 'monthly',
    threshold: { direction: 'atMost', value: '5' },
    breachAction: 'finance groups the disputes by reason code and fixes the top cause (plan wording, data feed or rule)',
  },
  {
    code: 'dispute_time_to_resolve_median',
    name: 'Dispute time to resolve (median)',
    unit: 'hours',
    formula: 'median of resolved_at − raised_at over resolved disputes of the period',
    dataSource: 'disputes',
    ownerRole: 'manager',
    reviewCadence: 'monthly',
    threshold: { direction: 'atMost', value: '72' },
    breachAction: 'managers clear their dispute queue before the next close',
  },
  {
    code: 'dispute_time_to_resolve_p90',
    name: 'Dispute time to resolve (90th percentile)',
    unit: 'hours',
    formula: 'nearest-rank 90th percentile of resolved_at − raised_at over resolved disputes of the period',
    dataSource: 'disputes',
    ownerRole: 'manager',
    reviewCadence: 'monthly',
    threshold: { direction: 'atMost', value: '240' },
    breachAction: 'finance escalates disputes older than ten days to the sales leader',
  },
  {
    code: 'dispute_upheld_share',
    name: 'Upheld share of resolved disputes',
    unit: '%',
    formula: 'upheld / resolved × 100',
    dataSource: 'disputes',
    ownerRole: 'finance',
    reviewCadence: 'monthly',
    threshold: { direction: 'atMost', value: '20' },
    breachAction: 'a high upheld share means the calculation or its inputs are wrong: finance audits the plan rules and data feeds',
  },
  {
    code: 'plan_acknowledgment_rate',
    name: 'Plan acknowledgment rate',
    unit: '%',
    formula:
      'assignments in effect during the period whose current plan document (the assignment on its latest plan version) the payee has acknowledged / assignments in effect during the period × 100',
    dataSource: 'plan_assignments, plan_versions, plan_acknowledgments',
    ownerRole: 'finance',
    reviewCadence: 'per close',
    threshold: { direction: 'atLeast', value: '100', note: 'before the first close of a plan year' },
    breachAction: 'finance chases the payees who have not acknowledged (GET /acknowledgments?status=pending) before the close; with ACK_REQUIRED=true the close refuses until they have',
  },
  {
    code: 'average_deal_size',
    name: 'Average deal size',
    unit: 'amount',
    formula: 'Σ amount of bookings booked in the period (not cancelled by its end) / number of bookings, per booking currency',
    dataSource: 'booking_versions (current)',
    ownerRole: 'sales_ops',
    reviewCadence: 'monthly',
    threshold: null,
    breachAction: 'none: informational input to pipeline velocity; sales ops watches the trend in the quarterly review',
  },
  {
    code: 'win_rate',
    name: 'Win rate',
    unit: '%',
    formula: 'closed-won deals / total closed deals × 100',
    dataSource: 'not available: bookings hold closed-won deals only (no closed-lost feed)',
    ownerRole: 'sales_ops',
    reviewCadence: 'monthly',
    threshold: null,
    breachAction: 'none until a closed-lost feed exists; reported as no_data',
  },
];

export function kpiDefinition(code: string): KpiDefinition {
  const d = KPI_DICTIONARY.find((k) => k.code === code);
  if (!d) throw new Error(`unknown KPI ${code}`);
  return d;
}

/** Status of a value against the KPI's threshold (optionally against a scaled threshold, e.g. pace). */
export function kpiStatus(def: KpiDefinition, value: string | null, thresholdScale?: Decimal): KpiStatus {
  if (value === null) return 'no_data';
  if (!def.threshold) return 'info';
  const limit = new Decimal(def.threshold.value).times(thresholdScale ?? 1);
  const v = new Decimal(value);
  return (def.threshold.direction === 'atLeast' ? v.greaterThanOrEqualTo(limit) : v.lessThanOrEqualTo(limit)) ? 'ok' : 'breach';
}
