import type { IsoDate, WindowKind } from '../calendar/dates';

/**
 * The comp-plan document, as written in plans/*.json. All amounts, rates and percentages are decimal strings.
 * plans/schema/plan.schema.json is the JSON Schema of this shape; validate-plan.ts adds domain checks.
 */
export interface PlanDocument {
  id: string;
  version: number;
  name: string;
  description?: string;
  effectiveFrom: IsoDate;
  effectiveTo: IsoDate;
  /** Which credit measure is "quota credit" (what attainment and manager overrides read). */
  quotaMeasure: string;
  /**
   * booking (default): credit is earned on the booked date; payment: as cash is collected (payments.csv), each
   * payment earning its share of the booking's credit on its paid date, credit notes and refunds taking theirs back.
   */
  earnOn?: 'booking' | 'payment';
  crediting: CreditingSpec;
  clawback?: ClawbackSpec;
  ramp?: RampSpec;
  /** How the annual quota spreads over the calendar months (Q/12 each when absent). */
  seasonality?: SeasonalitySpec;
  components: ComponentSpec[];
  draw?: DrawSpec;
}

/** json-rules-engine condition tree (all/any/not of {fact, operator, value}). */
export type ConditionTree = Record<string, unknown>;

export interface CreditingSpec {
  /**
   * Commissionable base of a booking: acv (annualised when the term is longer than a year), tcv (whole contract),
   * firstYear (first 12 months), or annualized (amount × 12 / term for every term: a monthly contract's MRR × 12).
   */
  base: 'acv' | 'tcv' | 'firstYear' | 'annualized';
  /**
   * Booking amounts include tax: the base is amount / (1 + rate), the rate being the booking's own (bookings.csv
   * tax_rate), else its product's, else `rate` (none of them: no tax). `{}` takes the bookings' rates only.
   */
  taxInclusive?: { rate?: string; byProduct?: Record<string, string> };
  rules: CreditRuleSpec[];
}

/**
 * Whose bookings a crediting rule reads: the payee's own (default), their direct reports', their whole reporting
 * tree's (indirect reports too), or their team's (everyone with the payee's manager, the payee included).
 */
export type CreditSource = 'self' | 'directReports' | 'reportingTree' | 'team';

export interface CreditRuleSpec {
  id: string;
  /** Whose bookings this rule credits to the payee, at the credited rep's split (default "self"). */
  from?: CreditSource;
  /** Named bucket of credit the rule feeds, e.g. "quota" or "renewal". */
  measure: string;
  /** Credit % applied on top of the split, e.g. "100". */
  creditPct: string;
  /** Higher runs first; among rules crediting one measure, the first match wins. Default 0. */
  priority?: number;
  /** amount (default): the base × split × credit %; count: each booking counts creditPct / 100 (a deal counts 1 at 100%), whatever its split or amount. */
  creditAs?: 'amount' | 'count';
  /** The split types the rule credits (default both): revenue splits, overlay credits, or both. */
  splitTypes?: ('revenue' | 'overlay')[];
  /** Renewals that name the contract they renew earn on the uplift only: max(0, base − the renewed contract's base). */
  uplift?: boolean;
  conditions: ConditionTree;
}

/**
 * When a booking's credit is clawed back (see calculation/clawback.ts). With only `windowDays`, a booking cancelled
 * within that many days of its booked date stops counting from its cancellation month (100%).
 */
export interface ClawbackSpec {
  /** A cancellation within this many days of booking claws back `percent` (default 100). One of windowDays and schedule. */
  windowDays?: number;
  percent?: string;
  /** The percentage by days since booking: the first entry whose withinDays the cancellation is within; none after the last. */
  schedule?: { withinDays: number; percent: string }[];
  /** "unservedTerm": the percentage × months of the term not yet served / term (cancelled after 4 of 12 months: 8/12). */
  prorate?: 'unservedTerm';
  /** The payee's termination within `withinDays` of a booking claws it back (`percent`, default 100) on the termination date. */
  onTermination?: { withinDays: number; percent?: string };
  /** `percent` of each booking's commission is held until the clawback window has passed (released the day after). */
  holdback?: { percent: string };
}

export interface RampSpec {
  /** Quota factor for tenure months 1, 2, 3, ... (tenure month 1 = the calendar month of hire). */
  byTenureMonth: string[];
  /** Factor after the listed months. */
  thereafter: string;
}

/**
 * Seasonal allocation of the annual quota: a weight per calendar month (12) or per calendar quarter (4, split evenly
 * over its three months). Weights are fractions of the year and sum to exactly 1; ramp and proration still apply.
 */
export type SeasonalitySpec = { byMonth: string[] } | { byQuarter: string[] };

export interface QuotaSpec {
  /**
   * monthly: Σ over the window's months of Q × share(month) × ramp × active_days/days_in_month.
   * window:  Q × Σ share(window's months) × active_days_in_window / days_in_window (no ramp).
   * share(month) is 1/12, or the month's seasonal weight when the plan has `seasonality`.
   */
  allocation: 'monthly' | 'window';
  ramp: boolean;
}

/**
 * Another window's attainment a component depends on: a gate (`requires`) or a modifier's basis. The window of
 * `window` kind that contains the component window's end, with credit of bookings booked up to the component
 * window's end (or the day calculated, if earlier), against that window's full quota.
 */
export interface WindowCondition {
  window: WindowKind;
  /** The measure whose credit counts (default: the plan's quotaMeasure). */
  measure?: string;
  quota: QuotaSpec;
  /** Met when the attainment reaches this fraction of the window's quota. */
  minAttainment?: string;
  /** Met when credit ≥ quota × elapsed days / days in the window (calendar pace, to the same day). */
  onPace?: boolean;
}

export interface TierSpec {
  from: string;
  /** null = unbounded (last tier only). */
  to: string | null;
  rate: string;
  /** With interpolation "linear": the rate reached at `to` (the rate moves linearly from `rate` at `from`). */
  rateTo?: string;
  label?: string;
}

export interface TieredComponentSpec {
  id: string;
  type: 'tiered';
  label?: string;
  measure: string;
  window: WindowKind;
  /** cumulative: tiers apply to the window's total credit; perDeal: to each booking's credit on its own. */
  measurement: 'cumulative' | 'perDeal';
  /** marginal: each band's rate on the part inside it; retroactive: the reached tier's rate on everything. */
  method: 'marginal' | 'retroactive';
  /** attainment: tier bounds are fractions of the window quota; amount: bounds are credit amounts. */
  tierBasis: 'attainment' | 'amount';
  /** baseRate: tier rates multiply the payee's base rate V/Q; absolute: rates apply to credit directly. */
  rateUnit: 'baseRate' | 'absolute';
  interpolation?: 'stepped' | 'linear';
  quota?: QuotaSpec;
  tiers: TierSpec[];
  /** Pays nothing while attainment (or deal credit, for perDeal/amount) is below this. */
  gate?: string;
  /** Credit beyond this attainment (tierBasis attainment) or amount counts for nothing. */
  attainmentCap?: string;
  /** Most the component pays per window, in payee currency. */
  payoutCap?: string;
  /** Pays nothing unless another window's attainment meets this (e.g. the annual quota on pace). */
  requires?: WindowCondition;
  /**
   * Retroactive, cumulative, amount tiers only: the tier is looked up on this measure's window credit (e.g. the
   * team's total, from a rule with from "team") and its rate paid on the component's own measure.
   */
  lookupMeasure?: string;
}

/**
 * A team bonus pool: `rate` × the team's window credit above `teamQuota` (a measure credited from the team), divided
 * among the team's members equally (members employed on the window's last day, or the day calculated) or by
 * contribution (each member's own share of the team's credit). Each member's share is attributed to the team's
 * bookings in proportion to their credit.
 */
export interface TeamPoolComponentSpec {
  id: string;
  type: 'teamPool';
  label?: string;
  measure: string;
  window: WindowKind;
  /** The team's quota per window, in the payee's currency: the pool is funded only above it. */
  teamQuota: string;
  rate: string;
  division: 'equal' | 'contribution';
}

/** Activity pay: `amount` per unit of the payee's qualifying events of `kind` (activities.csv) in the window. */
export interface ActivityComponentSpec {
  id: string;
  type: 'activity';
  label?: string;
  /** The activity kind that qualifies, e.g. "meeting". */
  kind: string;
  window: WindowKind;
  amount: string;
  payoutCap?: string;
}

/**
 * A fixed target bonus or MBO: `amount` per window × the payee's score on `objective` for the window (objectives.csv:
 * 1 achieved, 0 not, or a score), at most `maxScore`, prorated by the days of the window the payee is on the plan.
 */
export interface TargetBonusComponentSpec {
  id: string;
  type: 'targetBonus';
  label?: string;
  objective: string;
  window: WindowKind;
  amount: string;
  /** The highest score that pays (default 1: achievement beyond target pays no more). */
  maxScore?: string;
  payoutCap?: string;
}

export interface FlatRateComponentSpec {
  id: string;
  type: 'flatRate';
  label?: string;
  measure: string;
  window: WindowKind;
  rate: string;
  /**
   * Rate overrides by booking (e.g. a product's own rate): the matching override with the highest priority (ties
   * by id) sets the booking's rate; `rate` applies when none matches.
   */
  rates?: { id: string; rate: string; priority?: number; conditions: ConditionTree }[];
  payoutCap?: string;
  requires?: WindowCondition;
}

export interface PerDealSpiffSpec {
  id: string;
  type: 'spiff';
  label?: string;
  mode: 'perDeal';
  /** Payee-currency amount per qualifying booking. */
  amount: string;
  /** Multiply by the payee's split %. */
  splitAdjusted: boolean;
  window: WindowKind;
  /** Booked-date window the SPIF runs in (inclusive). */
  from: IsoDate;
  to: IsoDate;
  conditions: ConditionTree;
}

export interface ThresholdSpiffSpec {
  id: string;
  type: 'spiff';
  label?: string;
  mode: 'threshold';
  amount: string;
  measure: string;
  window: WindowKind;
  /** Pays `amount` once per window when window attainment reaches this fraction of quota. */
  attainment: string;
  quota: QuotaSpec;
  from: IsoDate;
  to: IsoDate;
}

export interface OverrideComponentSpec {
  id: string;
  type: 'override';
  label?: string;
  /** directReports: reps whose manager_id is the payee; reportingTree: their reports too, all the way down. */
  source: 'directReports' | 'reportingTree';
  window: WindowKind;
  rate: string;
}

/** One point of a payout curve: at `attainment`, the window pays `payoutPct` % of its target variable, or `amount`. */
export interface CurvePointSpec {
  attainment: string;
  payoutPct?: string;
  amount?: string;
  label?: string;
}

/**
 * A payout curve: attainment of the window quota maps to a payout through points (threshold, target, excellence...).
 * `linear` interpolates between neighbouring points, `stepped` pays the last point reached. Below the first point the
 * component pays nothing; above the last it pays the last point's figure. Points pay either a percentage of the
 * window's target variable (V × window months / 12, prorated by active days; not ramped) or a fixed amount in the
 * payee's currency (a bonus ladder: the amount is the total paid at that point, not an increment).
 */
export interface CurveComponentSpec {
  id: string;
  type: 'curve';
  label?: string;
  measure: string;
  window: WindowKind;
  /** Required when points are on attainment (the default). */
  quota?: QuotaSpec;
  /** attainment (default): a point's `attainment` is a fraction of the window quota; credit: it is a window credit (an amount, or a count of deals). */
  pointsOn?: 'attainment' | 'credit';
  interpolation: 'linear' | 'stepped';
  points: CurvePointSpec[];
  payoutCap?: string;
  requires?: WindowCondition;
}

/**
 * A kicker or modifier: multiplies another component's window total by the factor of the last step that another
 * window's attainment reaches (`basis`), e.g. +20% of each quarter's commission once the annual quota is reached.
 * Its window is the other component's; each booking's share follows its share of the other component.
 */
export interface ModifierComponentSpec {
  id: string;
  type: 'modifier';
  label?: string;
  /** The id of the component whose window total is multiplied (not another modifier). */
  of: string;
  window: WindowKind;
  basis: Omit<WindowCondition, 'minAttainment' | 'onPace'>;
  steps: { attainment: string; factor: string; label?: string }[];
}

export type ComponentSpec = TieredComponentSpec | FlatRateComponentSpec | PerDealSpiffSpec | ThresholdSpiffSpec | OverrideComponentSpec | CurveComponentSpec | ModifierComponentSpec | TeamPoolComponentSpec | ActivityComponentSpec | TargetBonusComponentSpec;

export interface DrawSpec {
  kind: 'recoverable' | 'nonRecoverable';
  /** Guaranteed amount per month, payee currency (one of amount and schedule). */
  amount?: string;
  /** A guarantee that changes by tenure month: schedule[k] for tenure month tenureMonths.from + k (e.g. 3,000 / 2,000 / 1,000). */
  schedule?: string[];
  tenureMonths: { from: number; to: number };
  /** Recoverable draws: earnings start paying the balance back only from this tenure month (from the start by default). */
  recovery?: { fromTenureMonth: number };
  /** Only payees hired within [from, to] get the draw (optional). */
  hiredFrom?: IsoDate;
  hiredTo?: IsoDate;
}

/** The facts a plan's conditions may read about a booking (all strings: decimal operators compare exactly). */
export const BOOKING_FACTS = [
  'bookingId',
  'type',
  'product',
  'customerId',
  'currency',
  'amount',
  'acv',
  'tcv',
  'firstYear',
  'annualized',
  'termMonths',
  'splitPct',
  'bookedDate',
  'splitType',
  'renewsBookingId',
] as const;
export type BookingFact = (typeof BOOKING_FACTS)[number];
