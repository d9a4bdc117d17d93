import type { IsoDate } from '../../calendar/dates';
import type { Decimal } from '../../money/decimal';
import type { BookingFacts } from '../calculation-types';
import type { EarningTrace, WindowTrace } from '../trace';

/** Traces are built only for the lines a period emits: most window evaluations explain nothing new. */
export type LazyTrace = () => EarningTrace;

/** What one booking (or a threshold) contributes to a component window. */
export interface Attribution {
  amount: Decimal;
  trace: LazyTrace;
  bookingId: string | null;
  booking?: BookingFacts;
  /** The day a partial or termination clawback reduced this booking's credit (the line that follows is a clawback). */
  clawedOn?: IsoDate;
}

/** A component window evaluated on the facts effective at one date. */
export interface WindowEvaluation {
  total: Decimal;
  /** By booking reference ("bookingId", "bookingId/reportRepId", "threshold:<id>"). */
  attributions: Map<string, Attribution>;
  summary: { quota: Decimal | null; credit: Decimal; attainment: Decimal | null; trace: WindowTrace };
}
