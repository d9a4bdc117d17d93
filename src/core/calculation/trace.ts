import type { IsoDate, Period } from '../calendar/dates';

/**
 * The trace is a contract: every payout line carries one of these structured values, JSON-safe (every decimal is a
 * string), stored as is in `payout_lines.trace` and covered by the payee hash. Wording is never part of it: the one
 * module that turns a trace into words is `explain/line-words.ts`, used by the statement PDF, the API and the portal.
 *
 * A line's trace is the explanation of its component window's attribution (credit, tier bands, flat rate, SPIF,
 * override) plus what the line itself is (this period's change, a prior-period adjustment, a clawback), or one of the
 * payee-level traces (rounding, adjustment, draw, balance recovery, carried forward).
 */

/** How a booking became credit: rule, base, split, credit %, FX. */
export interface CreditTrace {
  bookingId: string;
  bookingVersion: number;
  bookedDate: IsoDate;
  cancelledDate: IsoDate | null;
  bookingType: string;
  product: string;
  rule: string;
  measure: string;
  amount: string;
  bookingCurrency: string;
  termMonths: number;
  baseKind: string;
  base: string;
  splitPct: string;
  creditPct: string;
  fxRate: string;
  fxDate: IsoDate | null;
  /** Credit in the payee's currency. */
  credit: string;
  /** Part of the credit was clawed back (a partial or termination clawback); credit is what still counts. */
  clawback?: ClawbackTrace;
  /** A rule with `from` credited the payee with a booking credited to this rep (a report or team member). */
  creditedTo?: string;
  /** A tax-inclusive plan's rate: the base was amount / (1 + taxRate). */
  taxRate?: string;
  /** An overlay credit (absent: a revenue split). */
  splitType?: 'overlay';
  /** A renewal credited on its uplift over the contract it renews (priorBase null: that contract was not found). */
  uplift?: { renews: string; priorBase: string | null; fullBase: string };
  /** Earned on payment: the payment (credit note, refund) whose share of the booking's credit this is. */
  payment?: {
    paymentId: string;
    kind: string;
    amount: string;
    paidDate: IsoDate;
    fraction: string;
    /** Credit notes or refunds took part of this share back: the last of them, when, and the fraction they took. */
    reversedBy?: string;
    reversedKind?: string;
    reversedOn?: IsoDate;
    reversed?: string;
  };
}

/** A clawback policy applied to a booking: what triggered it, when, and what share of the credit still counts. */
export interface ClawbackTrace {
  reason: 'cancellation' | 'termination';
  on: IsoDate;
  days: number;
  percent: string;
  servedMonths?: number;
  termMonths?: number;
  retained: string;
}

/** A holdback on a booking's commission: held until `releaseOn`, or released. */
export interface HoldbackTrace {
  percent: string;
  releaseOn: IsoDate;
  held: string;
  released: boolean;
}

/** One band of a marginal tier table that a credit fell into. */
export interface BandPortion {
  tier: number;
  label: string;
  from: string;
  to: string | null;
  portion: string;
  rate: string;
  rateTo?: string;
  amount: string;
}

/** Attribution fields every earning trace may carry. */
interface AttributionFields {
  /** The booking's share of the window's commission, before a payout cap. */
  share?: string;
  /** Several attributions of one booking in one window (e.g. two crediting measures). */
  parts?: EarningTrace[];
  /** A payout cap scaled this attribution. */
  payoutCapHit?: boolean;
  uncapped?: string;
  capFactor?: string;
  /** The plan holds back part of each booking's commission until its clawback window has passed. */
  holdback?: HoldbackTrace;
  /** The component depends on another window's attainment (`requires`): what it was, and whether it was met. */
  requires?: ConditionTrace;
}

/** Another window's attainment, as a gate or a modifier's basis read it. */
export interface ConditionTrace {
  window: string;
  measure: string;
  credit: string;
  quota: string;
  attainment: string | null;
  /** The credit needed: quota × minAttainment, or quota × pace. */
  needed?: string;
  minAttainment?: string;
  /** Elapsed days / days in the window, when the condition is on pace. */
  pace?: string;
  met?: boolean;
}

/** A team pool's attribution: the pool, how it was divided, and this booking's part of the payee's share. */
export interface TeamPoolTrace extends Partial<CreditTrace>, AttributionFields {
  kind: 'teamPool';
  division: 'equal' | 'contribution';
  teamCredit: string;
  teamQuota: string;
  poolRate: string;
  pool: string;
  /** Members employed on the window's last day (or the day calculated). */
  members: number;
  ownCredit: string;
  /** The payee's share of the pool. */
  poolShare: string;
}

/** Activity pay: one qualifying event. */
export interface ActivityTrace extends AttributionFields {
  kind: 'activity';
  activityId: string;
  activityKind: string;
  date: IsoDate;
  quantity: string;
  amountPer: string;
}

/** A target bonus or MBO: the window's target, the score, and the proration by days on the plan. */
export interface TargetBonusTrace extends AttributionFields {
  kind: 'targetBonus';
  objective: string;
  window: string;
  /** The score imported for the window (null: none yet, pays nothing). */
  score: string | null;
  maxScore: string;
  target: string;
  activeDays: number;
  daysInWindow: number;
}

/** A modifier's attribution: the other component's share of this booking, times the factor reached. */
export interface ModifierTrace extends Partial<CreditTrace>, AttributionFields {
  kind: 'modifier';
  of: string;
  basis: ConditionTrace;
  step: number | null;
  stepLabel?: string;
  factor: string;
  /** This booking's share of the other component's window (`base` of CreditTrace is the booking's commissionable base). */
  baseShare: string;
}

export interface TieredTrace extends Partial<CreditTrace>, AttributionFields {
  kind: 'tiered';
  method: 'marginal' | 'retroactive';
  measurement: 'cumulative' | 'perDeal';
  /** The window has no quota: attainment tiers pay nothing. */
  noQuota?: true;
  gateMet?: boolean;
  capHit?: boolean;
  /** Marginal: the bands this booking's credit fell into, and where in the window's credit it sat. */
  bands?: BandPortion[];
  positionBefore?: string;
  positionAfter?: string;
  /** Retroactive: the tier reached and its rate. */
  tier?: number | null;
  tierLabel?: string | null;
  rate?: string | null;
  windowAttainment?: string | null;
  /** The tier was looked up on this measure's window credit (e.g. the team's total). */
  lookupMeasure?: string;
  lookupCredit?: string;
}

export interface FlatRateTrace extends CreditTrace, AttributionFields {
  kind: 'flatRate';
  rate: string;
  /** The rate override that set this booking's rate (none: the component's own rate). */
  rateRule?: string;
}

export interface SpiffTrace extends CreditTrace, AttributionFields {
  kind: 'spiff';
  spiff: string;
  spiffAmount: string;
  splitAdjusted: boolean;
  conditions: unknown;
}

export interface ThresholdSpiffTrace extends AttributionFields {
  kind: 'thresholdSpiff';
  spiff: string;
  threshold: string;
  attainment: string | null;
  credit: string;
  quota: string;
}

export interface OverrideTrace extends CreditTrace, AttributionFields {
  kind: 'override';
  report: string;
  reportPlan: string;
  overrideRate: string;
}

/** A payout-curve attribution: the window's attainment placed on the curve, and this booking's share of the payout. */
export interface CurveTrace extends Partial<CreditTrace>, AttributionFields {
  kind: 'curve';
  interpolation: 'linear' | 'stepped';
  /** The window has no quota: the curve pays nothing. */
  noQuota?: true;
  windowCredit: string;
  windowQuota: string;
  /** The points are window credits (amounts or counts), not attainment. */
  pointsOn?: 'credit';
  attainment: string | null;
  /** The points the attainment sits between (index from 1; `below` the first point, `above` the last). */
  point: CurvePosition;
  /** Percentage of the window's target variable (percentage points), or null for amount curves. */
  payoutPct: string | null;
  windowTarget: string | null;
  windowPayout: string;
}

export interface CurvePosition {
  where: 'below' | 'at' | 'between' | 'above';
  from: number | null;
  to: number | null;
  fromLabel?: string;
  toLabel?: string;
}

/** A window's target variable: V × months / 12 × active days / days in window, per assignment segment. */
export interface TargetTrace {
  steps: { targetVariable: string; months: number; activeDays: number; daysInWindow: number; target: string }[];
}

/** A component window recorded earlier that no longer exists (an assignment removed): what it paid is reversed. */
export interface RemovedTrace extends AttributionFields {
  kind: 'removed';
}

export type EarningTrace = TieredTrace | FlatRateTrace | SpiffTrace | ThresholdSpiffTrace | OverrideTrace | CurveTrace | ModifierTrace | TeamPoolTrace | ActivityTrace | TargetBonusTrace | RemovedTrace;

/** Why an earlier period's figure changed. Reconciliation counts every cause but `cancellation` as an error. */
export type PriorCause = 'cancellation' | 'backdated' | 'amended' | 'recalculation';

/** What moved a booking's line when the booking itself did not change: other bookings of the same window. */
export interface Movement {
  /** Bookings of the window that stopped counting (cancelled inside the clawback window) this period. */
  cancelled: string[];
  /** Bookings that started counting in the window this period. */
  added: string[];
  /** Bookings of the window whose amount changed (amended) this period. */
  changed: string[];
  /** The tier (retroactive) or bands (marginal) of this booking before the move. */
  before: Pick<TieredTrace, 'tier' | 'tierLabel' | 'rate' | 'bands'>;
}

/** Line-level fields of an earning line: its component, and what the line is. */
export interface EarningLineFields {
  /** The component's label (or id) in the plan. */
  component: string;
  /** This period's change: the booking's share of the window before and now. */
  windowAmountBefore?: string;
  windowAmountNow?: string;
  movedBy?: Movement;
  /** A prior-period adjustment: why, and what was recorded and is now recalculated for the earlier periods. */
  cause?: PriorCause;
  recorded?: string;
  recalculated?: string;
}

export type EarningLineTrace = EarningTrace & EarningLineFields;

export interface RoundingTrace {
  kind: 'rounding';
  component: string;
  windowTotalPrecise: string;
  windowTotalRounded: string;
  recordedBefore: string;
}

export interface AdjustmentTrace {
  kind: 'adjustment';
  adjustmentId: string;
  reasonCode: string;
  note: string;
  originPeriod: Period | null;
  originRef: string | null;
  amount: string;
}

export interface DrawTrace {
  kind: 'draw';
  plan: string;
  drawKind: 'recoverable' | 'nonRecoverable';
  guaranteed: string;
  tenureMonth: number;
  earnedNet: string;
  /** The guarantee comes from the draw's schedule by tenure month. */
  scheduled?: true;
  /** Earnings pay the balance back only from this tenure month. */
  recoveryFromTenureMonth?: number;
}

export interface BalanceRecoveryTrace {
  kind: 'balanceRecovery';
  balanceBefore: string;
}

export interface CarriedForwardTrace {
  kind: 'carriedForward';
  earnedNet: string;
}

export type LineTrace = EarningLineTrace | RoundingTrace | AdjustmentTrace | DrawTrace | BalanceRecoveryTrace | CarriedForwardTrace;

/** One month of a window's quota (monthly allocation), or the window's share (window allocation). */
export interface QuotaStep {
  month?: Period;
  window?: string;
  tenureMonth?: number;
  ramp?: string;
  /** Seasonal plans only: the month's (or the window's) share of the annual quota. */
  weight?: string;
  months?: number;
  activeDays: number;
  daysInMonth?: number;
  daysInWindow?: number;
  annualQuota: string;
  quota: string;
}

export interface QuotaTrace {
  allocation: 'monthly' | 'window';
  ramp: boolean;
  steps: QuotaStep[];
}

export interface BaseRateTrace {
  targetVariable?: string;
  annualQuota?: string;
  baseRate?: string;
  rateUnit?: 'absolute';
}

/** A component window's summary (stored with the payout as `windows`): how its quota, credit and rate were set. */
export interface WindowTrace {
  kind: EarningTrace['kind'];
  method?: string;
  measurement?: string;
  tierBasis?: string;
  quota?: QuotaTrace | null;
  rateUnit?: BaseRateTrace;
  gate?: string | null;
  attainmentCap?: string | null;
  payoutCap?: string | null;
  noQuota?: true;
  gateMet?: boolean;
  bands?: BandPortion[];
  capHit?: boolean;
  tier?: number | null;
  tierLabel?: string | null;
  rate?: string | null;
  payoutCapHit?: boolean;
  uncapped?: string;
  spiff?: string;
  from?: string;
  to?: string;
  threshold?: string;
  reached?: boolean;
  source?: string;
  /** Holdbacks: the percentage held and the amount held in the window as of its evaluation. */
  holdback?: { percent: string; held: string };
  /** A team pool's size. */
  pool?: string;
  lookupMeasure?: string;
  lookupCredit?: string;
  /** A gate on another window's attainment, or a modifier's basis and factor. */
  requires?: ConditionTrace;
  basis?: ConditionTrace;
  factor?: string;
  /** Payout curves: where the attainment sits, the percentage reached and the window's target variable. */
  interpolation?: string;
  point?: CurvePosition;
  payoutPct?: string | null;
  target?: TargetTrace | null;
}
