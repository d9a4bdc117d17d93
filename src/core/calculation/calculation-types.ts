import type { IsoDate, Period } from '../calendar/dates';
import type { Decimal } from '../money/decimal';
import type { PlanDocument } from '../plans/plan-types';
import type { LineTrace, PriorCause, WindowTrace } from './trace';
import type { MinorUnits } from '../money/minor-units';

/** Plain facts in. The service loads them; the core never does I/O. */
export interface RepFacts {
  repId: string;
  managerId: string | null;
  hireDate: IsoDate;
  terminationDate: IsoDate | null;
  currency: string;
}

export interface AssignmentFacts {
  repId: string;
  planId: string;
  startDate: IsoDate;
  endDate: IsoDate | null;
  annualQuota: Decimal;
  targetVariable: Decimal;
  baseSalary: Decimal;
}

export interface BookingCreditFacts {
  repId: string;
  splitPct: Decimal;
  /** An overlay credit (a specialist on top of the revenue splits); absent: a revenue split. */
  splitType?: 'revenue' | 'overlay';
}

export interface BookingFacts {
  bookingId: string;
  version: number;
  customerId: string;
  type: string;
  product: string;
  /** Total contract value in the booking currency. */
  amount: Decimal;
  currency: string;
  termMonths: number;
  bookedDate: IsoDate;
  cancelledDate: IsoDate | null;
  /** The booking this one renews (its contract's credit is the base of a renewal uplift). */
  renews?: string | null;
  /** The tax rate included in the amount (plans with taxInclusive take it out; it beats the plan's rate). */
  taxRate?: Decimal;
  credits: BookingCreditFacts[];
}

/** Cash collected on a booking (payments.csv): a payment adds, a credit note or refund takes back. */
export interface PaymentFacts {
  paymentId: string;
  bookingId: string;
  /** Positive, in the booking's currency; a credit note or refund reduces what was collected by it. */
  amount: Decimal;
  currency: string;
  paidDate: IsoDate;
  kind: 'payment' | 'credit_note' | 'refund';
}

/** A qualifying event of a payee (activities.csv), e.g. a meeting held. */
export interface ActivityFacts {
  activityId: string;
  repId: string;
  kind: string;
  date: IsoDate;
  quantity: Decimal;
}

/** A payee's result on an objective (objectives.csv) for one window: 1 = achieved, 0 = not, or a score. */
export interface ObjectiveFacts {
  repId: string;
  objectiveId: string;
  /** The window key: "2026" (year), "2026-Q1" (quarter) or "2026-03" (month). */
  window: string;
  score: Decimal;
}

export interface FxRateFacts {
  date: IsoDate;
  from: string;
  to: string;
  rate: Decimal;
}

export interface PlanVersionFacts {
  planId: string;
  version: number;
  /** sha256 of the canonical plan document. */
  hash: string;
  document: PlanDocument;
}

/** What earlier periods recorded for one payee (from their latest calculation runs). */
export interface PriorRecord {
  /** Σ earned of earlier periods. */
  earnedBefore: Decimal;
  /** Recoverable balance b after the previous period (what the payee owes). */
  balanceBefore: Decimal;
  /** Per component window key: Σ rounded line amounts, and Σ precise amounts per booking reference. */
  keys: Map<string, { rounded: Decimal; byRef: Map<string, Decimal> }>;
}

/** A manual adjustment (or an upheld dispute) booked into an open period: paid as is, not part of E(m). */
export interface AdjustmentFacts {
  id: string;
  repId: string;
  amount: Decimal;
  reasonCode: string;
  note: string;
  /** The period and payout line (or booking) it corrects, when it names one. */
  originPeriod: Period | null;
  originRef: string | null;
}

export interface CalculationInput {
  period: Period;
  reps: RepFacts[];
  assignments: AssignmentFacts[];
  bookings: BookingFacts[];
  fxRates: FxRateFacts[];
  plans: PlanVersionFacts[];
  prior: Map<string, PriorRecord>;
  /** Adjustments booked into this period. */
  adjustments?: AdjustmentFacts[];
  /** Only these payees are returned (all payees when absent); others are still read for overrides. */
  onlyRepIds?: Set<string>;
  /** Decimals of each currency's minor unit (ISO 4217 when absent): a payee's amounts round to their currency's. */
  minorUnits?: MinorUnits;
  /** Cash collected per booking (plans with earnOn "payment"), qualifying events, and objective results. */
  payments?: PaymentFacts[];
  activities?: ActivityFacts[];
  objectives?: ObjectiveFacts[];
  /** Contracts that bookings renew but that no payee read here is credited on (for renewal uplift). */
  renewedContracts?: BookingFacts[];
}

export type LineKind =
  | 'commission'
  | 'spiff'
  | 'override'
  | 'clawback'
  | 'prior_period_adjustment'
  | 'rounding'
  | 'adjustment'
  | 'balance_recovery'
  | 'draw'
  | 'negative_carried_forward';

export interface PayoutLine {
  kind: LineKind;
  /** Component window key (plan@version:component:window) for earning lines; null for draw/balance lines. */
  componentKey: string | null;
  /** Booking reference ("bookingId", or "bookingId/reportRepId" for overrides) or a pseudo reference. */
  ref: string | null;
  bookingId: string | null;
  /** The period a prior-period adjustment belongs to. */
  originPeriod: Period | null;
  /** Rounded to cents (half-up); lines of a payee sum exactly to the payout. */
  amount: Decimal;
  /** Exact value before rounding. */
  amountPrecise: Decimal;
  /** Why a prior-period adjustment (or a clawback) exists; null for every other line. */
  cause: PriorCause | null;
  /** The structured explanation (words come from explain/line-words.ts, never from the engine). */
  trace: LineTrace;
}

export interface WindowSummary {
  componentKey: string;
  planId: string;
  planVersion: number;
  componentId: string;
  componentType: string;
  window: string;
  windowStart: IsoDate;
  windowEnd: IsoDate;
  quota: string | null;
  credit: string;
  attainment: string | null;
  commissionPrecise: string;
  commission: string;
  trace: WindowTrace;
}

export interface PayeeResult {
  repId: string;
  period: Period;
  currency: string;
  /** Decimals of the currency's minor unit: every amount of the payee is rounded to it. */
  minorUnits: number;
  plans: { planId: string; version: number; hash: string }[];
  /** E(m): everything earned to date. */
  earnedToDate: Decimal;
  earnedBefore: Decimal;
  earned: Decimal;
  balanceBefore: Decimal;
  draw: Decimal;
  /** Σ manual adjustments of this period (outside E(m), so the true-up never reverses them). */
  adjustments: Decimal;
  payout: Decimal;
  balance: Decimal;
  lines: PayoutLine[];
  windows: WindowSummary[];
}

export interface CalculationResult {
  period: Period;
  payees: PayeeResult[];
}
