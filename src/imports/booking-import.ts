import { EntityManager } from 'typeorm';
import { BookingVersionPlan, planBookingChanges, StoredBooking, validateBookingsCsv } from '../core/intake/booking-intake';
import { importRejected } from '../core/intake/intake';
import { OnProgress, PreparedImport, storedRepIds } from './prepared-import';
import { Col, insertMany, selectByChunks, updateMany } from './sql-batch';

const VERSION_COLS: Col[] = [
  { name: 'booking_id', type: 'text' },
  { name: 'version', type: 'integer' },
  { name: 'content_hash', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'product', type: 'text' },
  { name: 'amount', type: 'numeric' },
  { name: 'currency', type: 'text' },
  { name: 'term_months', type: 'integer' },
  { name: 'booked_date', type: 'date' },
  { name: 'cancelled_date', type: 'date' },
  { name: 'import_id', type: 'bigint' },
];
const CREDIT_COLS: Col[] = [
  { name: 'booking_version_id', type: 'bigint' },
  { name: 'rep_id', type: 'text' },
  { name: 'split_pct', type: 'numeric' },
];

/**
 * Bookings are versioned, never edited: a changed booking gets a new booking_versions row (with its credits) and
 * the old row points at it through superseded_by. A booking absent from the file is left alone.
 */
export async function prepareBookingImport(em: EntityManager, file: string, content: Buffer, onProgress?: OnProgress): Promise<PreparedImport> {
  const reps = await storedRepIds(em);
  const result = validateBookingsCsv(content, file, { repExists: (id) => reps.has(id), onProgress });
  if (result.errors.length) throw importRejected(file, result.errors);

  const rows = await selectByChunks<{ booking_id: string; id: string; version: number; content_hash: string }>(
    em,
    `SELECT booking_id, id::text AS id, version, content_hash FROM booking_versions
      WHERE superseded_by IS NULL AND booking_id = ANY($1::text[])`,
    result.records.map((r) => r.bookingId),
  );
  const current = new Map<string, StoredBooking>(rows.map((r) => [r.booking_id, { id: r.id, version: r.version, contentHash: r.content_hash }]));
  const plan = planBookingChanges(result.records, current);

  return {
    rows: result.rows,
    created: plan.create.length,
    changed: plan.amend.length,
    unchanged: plan.unchanged,
    async apply(tx, batchId) {
      const fresh = [...plan.create, ...plan.amend];
      // At most one current version per booking (a unique index): park the old ones as superseded by themselves,
      // insert the new versions, then point the old ones at them.
      const byId: Col[] = [{ name: 'id', type: 'bigint' }];
      const link: Col[] = [{ name: 'superseded_by', type: 'bigint' }];
      await updateMany(tx, 'booking_versions', byId, link, plan.amend.map((p) => [p.supersedes!.id, p.supersedes!.id]));
      const inserted = await insertMany<{ id: string; booking_id: string }>(
        tx,
        'booking_versions',
        VERSION_COLS,
        fresh.map(({ record: b, version, contentHash }) => [
          b.bookingId,
          version,
          contentHash,
          b.customerId,
          b.type,
          b.product,
          b.amount.toFixed(),
          b.currency,
          b.termMonths,
          b.bookedDate,
          b.cancelledDate,
          batchId,
        ]),
        'id::text AS id, booking_id',
      );
      const idOf = new Map(inserted.map((r) => [r.booking_id, r.id]));
      await insertMany(
        tx,
        'booking_credits',
        CREDIT_COLS,
        fresh.flatMap(({ record: b }) => b.credits.map((c) => [idOf.get(b.bookingId), c.repId, c.splitPct.toFixed()])),
      );
      await updateMany(tx, 'booking_versions', byId, link, plan.amend.map((p) => [p.supersedes!.id, idOf.get(p.record.bookingId)]));
      const ref = (p: BookingVersionPlan) => ({ versionId: idOf.get(p.record.bookingId), version: p.version, contentHash: p.contentHash });
      return [
        ...plan.create.map((p) => ({ action: 'booking.create', entityType: 'booking', entityId: p.record.bookingId, after: ref(p) })),
        ...plan.amend.map((p) => ({
          action: 'booking.amend',
          entityType: 'booking',
          entityId: p.record.bookingId,
          before: { versionId: p.supersedes!.id, version: p.supersedes!.version, contentHash: p.supersedes!.contentHash },
          after: ref(p),
        })),
      ];
    },
  };
}
