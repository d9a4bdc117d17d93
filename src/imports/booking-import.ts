import { bookingTableHash } from '../core/intake/booking-hash';
import { BookingTable, BookingTableResult, readBookingTable } from '../core/intake/booking-intake';
import { BookingsRepository, CurrentVersion } from '../bookings/bookings.repository';
import { RepsRepository } from '../reps/reps.repository';
import { ImportSpec } from './prepared-import';

/**
 * Bookings per statement: looked up when comparing with the store (one index probe each), and written (their
 * versions, credits and audit events). Mutable for tests, which cross chunk boundaries with a few bookings.
 */
export const bookingImportChunks = { compare: 50_000, write: 5_000 };

/** The file's bookings (positions in its table) that are new, and the current versions of those that changed. */
interface BookingChanges {
  table: BookingTable;
  fresh: number[];
  amend: CurrentVersion[];
}

/**
 * Bookings are versioned, never edited: a changed booking gets a new version (with its credits) and the old one
 * points at it. A booking absent from the file is left alone.
 *
 * Not a keyed kind, though it runs in the same skeleton: a file may hold a million bookings, so it is read into a
 * table of strings and integers (no object per booking, no record per booking to plan), compared with the store
 * chunk by chunk while the database looks up the next chunk (only bookings that have a current version are hashed,
 * so an unchanged file writes nothing), and written chunk by chunk while the next is prepared. Its audit events are
 * written by the same statements as the versions, so `apply` returns none.
 */
export function bookingImport(reps: RepsRepository, bookings: BookingsRepository): ImportSpec<BookingTableResult, BookingChanges> {
  return {
    async read(em, { file, content, onProgress, settings }) {
      const known = await reps.ids(em);
      return readBookingTable(content, file, { repExists: (id) => known.has(id), onProgress, maxErrors: settings.maxErrors });
    },
    async compare(em, { table }) {
      const fresh: number[] = [];
      const amend: CurrentVersion[] = [];
      let unchanged = 0;
      // New, changed or unchanged, in file order.
      for await (const { from, to, current } of bookings.currentVersions(em, table, bookingImportChunks.compare)) {
        let next = from; // bookings before `next` are accounted for
        for (const v of current) {
          while (next < v.booking) fresh.push(next++);
          next = v.booking + 1;
          if (bookingTableHash(table, v.booking) === v.contentHash) unchanged++;
          else amend.push(v);
        }
        while (next < to) fresh.push(next++);
      }
      return { created: fresh.length, changed: amend.length, unchanged, changes: { table, fresh, amend } };
    },
    async apply(tx, changes, batch) {
      // New bookings first, then new versions of changed ones, each in file order: ids and audit events follow.
      await bookings.writeImport(tx, changes.table, changes, { importId: batch.id, actor: batch.actor }, bookingImportChunks.write);
      return [];
    },
  };
}
