import { EntityManager } from 'typeorm';
import { bookingTableHash } from '../core/intake/booking-hash';
import { BookingTable, readBookingTable } from '../core/intake/booking-intake';
import { rejectionOf } from '../core/intake/intake';
import { ImportSettings, OnProgress, PreparedImport, storedRepIds } from './prepared-import';
import { ArrayLiteral, Pipeline } from './sql-batch';

/**
 * Bookings per statement: looked up when comparing with the store (one index probe each), and written (their
 * versions, credits and audit events). Mutable for tests, which cross chunk boundaries with a few bookings.
 */
export const bookingImportChunks = { compare: 50_000, write: 5_000 };

/** A booking of the file that has a current version with other content. */
interface Amend {
  /** The booking's position in the table. */
  b: number;
  /** Its current version. */
  id: string;
  version: number;
  contentHash: string;
}

/**
 * Bookings are versioned, never edited: a changed booking gets a new booking_versions row (with its credits) and
 * the old row points at it through superseded_by. A booking absent from the file is left alone.
 *
 * The file is read into a table of strings and integers (no object per booking). The current versions of its
 * bookings are looked up in chunks, and only bookings that have one are hashed to find the changed ones, so an
 * unchanged file writes nothing. The new versions, their credits and their audit events are written by one statement
 * per chunk of bookings, from column arrays; each chunk is prepared (and its bookings hashed) while the database
 * writes the one before.
 */
export async function prepareBookingImport(em: EntityManager, file: string, content: Buffer, onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const reps = await storedRepIds(em);
  const { rows, table, ...result } = readBookingTable(content, file, { repExists: (id) => reps.has(id), onProgress, maxErrors: settings.maxErrors });
  if (result.errorCount) throw rejectionOf(file, result);
  reps.clear();

  const { fresh, amend, unchanged } = await compareWithStore(em, table);
  return {
    rows,
    created: fresh.length,
    changed: amend.length,
    unchanged,
    async apply(tx, batchId, actor) {
      const sequence = await versionIdSequence(tx);
      const pipeline = new Pipeline(tx);
      // New bookings first, then new versions of changed ones, each in file order: ids and audit events follow.
      for (let i = 0; i < fresh.length; i += bookingImportChunks.write) {
        const bs = fresh.slice(i, i + bookingImportChunks.write);
        await pipeline.send(createSql(sequence), [...versionColumns(table, bs), ...creditColumns(table, bs), batchId, actor.label, actor.requestId ?? null]);
      }
      for (let i = 0; i < amend.length; i += bookingImportChunks.write) {
        const chunk = amend.slice(i, i + bookingImportChunks.write);
        const bs = chunk.map((a) => a.b);
        const oldIds = ArrayLiteral.plain(chunk.map((a) => a.id));
        // At most one current version per booking (a unique index): park the old ones as superseded by themselves,
        // then insert the new versions and point the old ones at them.
        await pipeline.send(`UPDATE booking_versions SET superseded_by = id WHERE id = ANY($1::bigint[])`, [oldIds]);
        await pipeline.send(amendSql(sequence), [
          ...versionColumns(table, bs),
          oldIds,
          ArrayLiteral.plain(chunk.map((a) => a.version)),
          ArrayLiteral.plain(chunk.map((a) => a.contentHash)),
          ...creditColumns(table, bs),
          batchId,
          actor.label,
          actor.requestId ?? null,
        ]);
      }
      await pipeline.flush();
      return [];
    },
  };
}

/**
 * Which bookings of the table are new (no current version), changed (a current version with another content hash)
 * or unchanged, in file order. The database answers each chunk with the current versions it found (as one string);
 * those bookings are hashed and compared while it looks up the next chunk.
 */
async function compareWithStore(em: EntityManager, t: BookingTable): Promise<{ fresh: number[]; amend: Amend[]; unchanged: number }> {
  const fresh: number[] = [];
  const amend: Amend[] = [];
  let unchanged = 0;
  const pipeline = new Pipeline(em);
  let previous: { from: number; to: number; result: Promise<{ stored: string | null }[]> } | undefined;
  const compare = async ({ from, to, result }: NonNullable<typeof previous>): Promise<void> => {
    const [{ stored }] = await result;
    let next = from; // bookings before `next` are accounted for
    for (const entry of stored ? stored.split(',') : []) {
      const [n, id, version, contentHash] = entry.split(' ');
      const b = from + Number(n) - 1;
      while (next < b) fresh.push(next++);
      next = b + 1;
      if (bookingTableHash(t, b) === contentHash) unchanged++;
      else amend.push({ b, id, version: Number(version), contentHash });
    }
    while (next < to) fresh.push(next++);
  };
  for (let from = 0; from < t.size; from += bookingImportChunks.compare) {
    const to = Math.min(from + bookingImportChunks.compare, t.size);
    // LATERAL ... LIMIT 1: one index probe per booking, whatever the statistics say (right after a large import they
    // still describe the table before it, and a hash join would read the whole table once per chunk).
    const { result } = await pipeline.send<{ stored: string | null }[]>(
      `SELECT string_agg(u.n::text || ' ' || v.id::text || ' ' || v.version::text || ' ' || v.content_hash, ',' ORDER BY u.n) AS stored
         FROM unnest($1::text[]) WITH ORDINALITY AS u(booking_id, n)
         JOIN LATERAL (
           SELECT id, version, content_hash FROM booking_versions
            WHERE booking_id = u.booking_id AND superseded_by IS NULL
            LIMIT 1
         ) v ON true`,
      [ArrayLiteral.text(t.bookingId, from, to)],
    );
    if (previous) await compare(previous);
    previous = { from, to, result };
  }
  if (previous) await compare(previous);
  return { fresh, amend, unchanged };
}

async function versionIdSequence(em: EntityManager): Promise<string> {
  const [{ seq }]: { seq: string }[] = await em.query(`SELECT pg_get_serial_sequence('booking_versions', 'id') AS seq`);
  return seq.replace(/'/g, "''");
}

const VERSION_FIELDS = 'booking_id, content_hash, customer_id, type, product, amount, currency, term_months, booked_date, cancelled_date, renews_booking_id, tax_rate';
/** $1..$12: the columns of `versionColumns`. */
const VERSION_ARRAYS = '$1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::integer[], $9::date[], $10::date[], $11::text[], $12::numeric[]';

/** The new versions' columns for bookings `bs` of the table (hashed here). */
function versionColumns(t: BookingTable, bs: readonly number[]): string[] {
  const pick = <T>(values: ArrayLike<T>): T[] => bs.map((b) => values[b]);
  return [
    ArrayLiteral.text(pick(t.bookingId)),
    ArrayLiteral.plain(bs.map((b) => bookingTableHash(t, b))),
    ArrayLiteral.text(pick(t.customerId)),
    ArrayLiteral.plain(pick(t.type)),
    ArrayLiteral.text(pick(t.product)),
    ArrayLiteral.plain(pick(t.amount)),
    ArrayLiteral.plain(pick(t.currency)),
    ArrayLiteral.plain(pick(t.termMonths)),
    ArrayLiteral.plain(pick(t.bookedDate)),
    ArrayLiteral.plain(pick(t.cancelledDate)),
    ArrayLiteral.text(pick(t.renews)),
    ArrayLiteral.plain(pick(t.taxRate)),
  ];
}

/** The credits of bookings `bs`: the booking's position among them (1-based), rep_id, split_pct, split_type. */
function creditColumns(t: BookingTable, bs: readonly number[]): string[] {
  const n: number[] = [];
  const rep: string[] = [];
  const pct: string[] = [];
  const kind: string[] = [];
  bs.forEach((b, i) => {
    for (let c = t.creditStart[b]; c < t.creditStart[b + 1]; c++) {
      n.push(i + 1);
      rep.push(t.creditRep[c]);
      pct.push(t.creditSplit[c]);
      kind.push(t.creditType[c]);
    }
  });
  return [ArrayLiteral.plain(n), ArrayLiteral.text(rep), ArrayLiteral.plain(pct), ArrayLiteral.plain(kind)];
}

/*
 * The two statements below read the chunk's versions from `u`: the unnested arrays, each row given its version id
 * (nextval, drawn in array order) and kept (MATERIALIZED) so every part of the statement sees the same ids. The
 * inserts read `u` in that order, so version ids and audit event ids follow the file. A credit finds its version's
 * id by its booking's position in the chunk (`ids[n]`).
 */

/**
 * New bookings: version 1 of each, its credits, and a `booking.create` audit event naming the version (versionId as
 * a string, as the service's events give ids). $13..$16 credits, $17 batch, $18 actor, $19 request id.
 */
function createSql(sequence: string): string {
  return `
    WITH u AS MATERIALIZED (
      SELECT nextval('${sequence}'::regclass) AS id, u.* FROM unnest(${VERSION_ARRAYS}) WITH ORDINALITY AS u(${VERSION_FIELDS}, n)
    ), v AS (
      INSERT INTO booking_versions (id, version, import_id, ${VERSION_FIELDS})
      SELECT id, 1, $17::bigint, ${VERSION_FIELDS} FROM u
    ), c AS (
      INSERT INTO booking_credits (booking_version_id, rep_id, split_pct, split_type)
      SELECT ids.a[x.n], x.rep_id, x.split_pct, x.split_type
        FROM unnest($13::integer[], $14::text[], $15::numeric[], $16::text[]) AS x(n, rep_id, split_pct, split_type),
             (SELECT array_agg(id ORDER BY n) AS a FROM u) AS ids
    )
    INSERT INTO audit_events (actor, action, entity_type, entity_id, before, after, request_id)
    SELECT $18, 'booking.create', 'booking', booking_id, NULL,
           jsonb_build_object('versionId', id::text, 'version', 1, 'contentHash', content_hash), $19
      FROM u`;
}

/**
 * Changed bookings (their current versions parked already): the next version of each, its credits, the old version
 * pointed at it, and a `booking.amend` audit event with both versions. $13..$15 the current versions (id, version,
 * content hash), $16..$19 credits, $20 batch, $21 actor, $22 request id.
 */
function amendSql(sequence: string): string {
  return `
    WITH u AS MATERIALIZED (
      SELECT nextval('${sequence}'::regclass) AS id, u.*
        FROM unnest(${VERSION_ARRAYS}, $13::bigint[], $14::integer[], $15::text[])
             WITH ORDINALITY AS u(${VERSION_FIELDS}, old_id, old_version, old_hash, n)
    ), v AS (
      INSERT INTO booking_versions (id, version, import_id, ${VERSION_FIELDS})
      SELECT id, old_version + 1, $20::bigint, ${VERSION_FIELDS} FROM u
    ), c AS (
      INSERT INTO booking_credits (booking_version_id, rep_id, split_pct, split_type)
      SELECT ids.a[x.n], x.rep_id, x.split_pct, x.split_type
        FROM unnest($16::integer[], $17::text[], $18::numeric[], $19::text[]) AS x(n, rep_id, split_pct, split_type),
             (SELECT array_agg(id ORDER BY n) AS a FROM u) AS ids
    ), l AS (
      UPDATE booking_versions o SET superseded_by = u.id FROM u WHERE o.id = u.old_id
    )
    INSERT INTO audit_events (actor, action, entity_type, entity_id, before, after, request_id)
    SELECT $21, 'booking.amend', 'booking', booking_id,
           jsonb_build_object('versionId', old_id::text, 'version', old_version, 'contentHash', old_hash),
           jsonb_build_object('versionId', id::text, 'version', old_version + 1, 'contentHash', content_hash), $22
      FROM u`;
}
