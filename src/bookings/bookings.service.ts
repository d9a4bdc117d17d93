import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { BookingsRepository, BookingVersion } from './bookings.repository';

export interface BookingCreditView {
  repId: string;
  /** Percent of the booking credited to the rep, as a decimal string. */
  splitPct: string;
}

/** One version of a booking. `amount` is the total contract value in `currency`, as a decimal string. */
export interface BookingVersionView {
  bookingId: string;
  versionId: string;
  version: number;
  customerId: string;
  type: string;
  product: string;
  amount: string;
  currency: string;
  termMonths: number;
  bookedDate: string;
  cancelledDate: string | null;
  supersededBy: string | null;
  importId: string | null;
  createdAt: Date;
  /** Only the credits of reps the caller may see. */
  credits: BookingCreditView[];
}

@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly access: AccessService,
  ) {}

  /** Current versions of the bookings that credit a rep the actor may see, by bookingId; `after`/`limit` page through them. */
  async listCurrent(actor: Actor, page: { after?: string; limit?: number } = {}): Promise<BookingVersionView[]> {
    const visible = await this.access.visibleRepIds(actor);
    return (await this.bookings.listCurrent(visible && [...visible], page)).map(toView);
  }

  /** Every version of one booking, oldest first; not found unless some version credits a rep the actor may see. */
  async versions(actor: Actor, bookingId: string): Promise<BookingVersionView[]> {
    const visible = await this.access.visibleRepIds(actor);
    const views = (await this.bookings.versions(visible && [...visible], bookingId)).map(toView);
    if (!views.some((v) => visible === null || v.credits.length > 0)) {
      throw new CommissionError(CommissionErrorCode.NOT_FOUND, `booking ${bookingId} not found`);
    }
    return views;
  }
}

function toView(v: BookingVersion): BookingVersionView {
  return {
    bookingId: v.bookingId,
    versionId: v.versionId,
    version: v.version,
    customerId: v.customerId,
    type: v.type,
    product: v.product,
    amount: v.amount.toFixed(),
    currency: v.currency,
    termMonths: v.termMonths,
    bookedDate: v.bookedDate,
    cancelledDate: v.cancelledDate,
    supersededBy: v.supersededBy,
    importId: v.importId,
    createdAt: v.createdAt,
    credits: v.credits.map((c) => ({ repId: c.repId, splitPct: c.splitPct.toFixed() })),
  };
}
