import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { dec } from '../core/money/decimal';
import { Db } from '../infra/db.service';

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

interface VersionRow {
  id: string;
  booking_id: string;
  version: number;
  customer_id: string;
  type: string;
  product: string;
  amount: string;
  currency: string;
  term_months: number;
  booked_date: string;
  cancelled_date: string | null;
  superseded_by: string | null;
  import_id: string | null;
  created_at: Date;
  credits: { repId: string; splitPct: string }[] | string;
}

/** $1 is the visible rep ids (null: everyone). Credits are limited to them. */
const SELECT_VERSIONS = `
  SELECT v.id::text AS id, v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency,
         v.term_months, v.booked_date, v.cancelled_date, v.superseded_by::text AS superseded_by, v.import_id::text AS import_id,
         v.created_at,
         (SELECT coalesce(json_agg(json_build_object('repId', c.rep_id, 'splitPct', c.split_pct::text) ORDER BY c.rep_id), '[]'::json)
            FROM booking_credits c
           WHERE c.booking_version_id = v.id AND ($1::text[] IS NULL OR c.rep_id = ANY($1::text[]))) AS credits
    FROM booking_versions v`;

const CREDITS_A_VISIBLE_REP = `($1::text[] IS NULL OR EXISTS (
    SELECT 1 FROM booking_credits c WHERE c.booking_version_id = v.id AND c.rep_id = ANY($1::text[])))`;

@Injectable()
export class BookingsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
  ) {}

  /** Current versions of the bookings that credit a rep the actor may see, by booking_id; `after`/`limit` page through them. */
  async listCurrent(actor: Actor, page: { after?: string; limit?: number } = {}): Promise<BookingVersionView[]> {
    const visible = await this.access.visibleRepIds(actor);
    const rows = await this.db.query<VersionRow>(
      `${SELECT_VERSIONS}
        WHERE v.superseded_by IS NULL AND ${CREDITS_A_VISIBLE_REP} AND ($2::text IS NULL OR v.booking_id > $2)
        ORDER BY v.booking_id
        LIMIT $3`,
      [visible && [...visible], page.after ?? null, page.limit ?? null],
    );
    return rows.map(toView);
  }

  /** Every version of one booking, oldest first; not found unless some version credits a rep the actor may see. */
  async versions(actor: Actor, bookingId: string): Promise<BookingVersionView[]> {
    const visible = await this.access.visibleRepIds(actor);
    const rows = await this.db.query<VersionRow>(`${SELECT_VERSIONS} WHERE v.booking_id = $2 ORDER BY v.version`, [visible && [...visible], bookingId]);
    const views = rows.map(toView);
    if (!views.some((v) => visible === null || v.credits.length > 0)) {
      throw new CommissionError(CommissionErrorCode.NOT_FOUND, `booking ${bookingId} not found`);
    }
    return views;
  }
}

function toView(r: VersionRow): BookingVersionView {
  const credits = typeof r.credits === 'string' ? (JSON.parse(r.credits) as { repId: string; splitPct: string }[]) : r.credits;
  return {
    bookingId: r.booking_id,
    versionId: r.id,
    version: r.version,
    customerId: r.customer_id,
    type: r.type,
    product: r.product,
    amount: dec(r.amount).toFixed(),
    currency: r.currency,
    termMonths: r.term_months,
    bookedDate: r.booked_date,
    cancelledDate: r.cancelled_date,
    supersededBy: r.superseded_by,
    importId: r.import_id,
    createdAt: r.created_at,
    credits: credits.map((c) => ({ repId: c.repId, splitPct: dec(c.splitPct).toFixed() })),
  };
}
