import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { bookingTableHash } from '../core/intake/booking-hash';
import { BookingTable } from '../core/intake/booking-intake';
import { Decimal, dec } from '../core/money/decimal';
import { Actor } from '../auth/actor';
import { ArrayLiteral, Pipeline, selectByChunks } from '../infra/sql-batch';
import { Db } from '../infra/db.service';

/** A rep's share of a booking version. */
export interface BookingCredit {
  repId: string;
  /** Percent of the booking credited to the rep. */
  splitPct: Decimal;
}

/** One stored version of a booking. `amount` is the total contract value in `currency`. */
export interface BookingVersion {
  bookingId: string;
  versionId: string;
  version: number;
  customerId: string;
  type: string;
  product: string;
  amount: Decimal;
  currency: string;
  termMonths: number;
  bookedDate: string;
  cancelledDate: string | null;
  supersededBy: string | null;
  importId: string | null;
  createdAt: Date;
  credits: BookingCredit[];
}

/** The current version of a booking of an import's table: `booking` is the booking's position in the table. */
export interface CurrentVersion {
  booking: number;
  id: string;
  version: number;
  contentHash: string;
}

/** The current versions found for the bookings `from` to `to - 1` of a table (the others have none), in table order. */
export interface CurrentVersionsChunk {
  from: number;
  to: number;
  current: CurrentVersion[];
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

function toVersion(r: VersionRow): BookingVersion {
  const credits = typeof r.credits === 'string' ? (JSON.parse(r.credits) as { repId: string; splitPct: string }[]) : r.credits;
  return {
    bookingId: r.booking_id,
    versionId: r.id,
    version: r.version,
    customerId: r.customer_id,
    type: r.type,
    product: r.product,
    amount: dec(r.amount),
    currency: r.currency,
    termMonths: r.term_months,
    bookedDate: r.booked_date,
    cancelledDate: r.cancelled_date,
    supersededBy: r.superseded_by,
    importId: r.import_id,
    createdAt: r.created_at,
    credits: credits.map((c) => ({ repId: c.repId, splitPct: dec(c.splitPct) })),
  };
}

/**
 * Bookings: booking_versions (a booking is versioned, never edited: a changed booking gets a new version and the old
 * one points at it through superseded_by) and their booking_credits.
 */
@Injectable()
export class BookingsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Current versions of the bookings that credit one of `repIds` (null: every booking), by booking_id, with only
   * those reps' credits; `after`/`limit` page through them.
   */
  async listCurrent(repIds: readonly string[] | null, page: { after?: string; limit?: number }): Promise<BookingVersion[]> {
    const rows = await this.db.query<VersionRow>(
      `${SELECT_VERSIONS}
        WHERE v.superseded_by IS NULL AND ${CREDITS_A_VISIBLE_REP} AND ($2::text IS NULL OR v.booking_id > $2)
        ORDER BY v.booking_id
        LIMIT $3`,
      [repIds, page.after ?? null, page.limit ?? null],
    );
    return rows.map(toVersion);
  }

  /** Every version of one booking, oldest first, with only the credits of `repIds` (null: all of them). */
  async versions(repIds: readonly string[] | null, bookingId: string): Promise<BookingVersion[]> {
    const rows = await this.db.query<VersionRow>(`${SELECT_VERSIONS} WHERE v.booking_id = $2 ORDER BY v.version`, [repIds, bookingId]);
    return rows.map(toVersion);
  }

  /** The currency of the current version of each of these bookings that exists. */
  async currentCurrencies(em: EntityManager, bookingIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await selectByChunks<{ booking_id: string; currency: string }>(
      em,
      `SELECT booking_id, currency FROM booking_versions WHERE superseded_by IS NULL AND booking_id = ANY($1::text[])`,
      bookingIds,
    );
    return new Map(rows.map((r) => [r.booking_id, r.currency]));
  }

  /**
   * The current versions of the table's bookings, `chunk` bookings per statement, in table order. The database
   * answers each chunk as one string; the statement for the next chunk is on its way before this one is handed
   * over, so the caller works on a chunk (hashes its bookings) while the database looks up the next.
   */
  async *currentVersions(em: EntityManager, t: BookingTable, chunk: number): AsyncGenerator<CurrentVersionsChunk> {
    const pipeline = new Pipeline(em);
    let previous: { from: number; to: number; result: Promise<{ stored: string | null }[]> } | undefined;
    const found = async ({ from, to, result }: NonNullable<typeof previous>): Promise<CurrentVersionsChunk> => {
      const [{ stored }] = await result;
      const current: CurrentVersion[] = [];
      for (const entry of stored ? stored.split(',') : []) {
        const [n, id, version, contentHash] = entry.split(' ');
        current.push({ booking: from + Number(n) - 1, id, version: Number(version), contentHash });
      }
      return { from, to, current };
    };
    for (let from = 0; from < t.size; from += chunk) {
      const to = Math.min(from + chunk, t.size);
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
      if (previous) yield await found(previous);
      previous = { from, to, result };
    }
    if (previous) yield await found(previous);
  }

  /**
   * Writes an import's bookings: version 1 of each booking of `fresh` (positions in the table), then the next
   * version of each of `amend` (their current versions), each in table order, `chunk` bookings per statement, with
   * their credits and one audit event per booking (`booking.create`, `booking.amend`) written by the same statement.
   * Each chunk is prepared (its bookings hashed) while the database writes the one before.
   */
  async writeImport(
    em: EntityManager,
    t: BookingTable,
    changes: { fresh: readonly number[]; amend: readonly CurrentVersion[] },
    batch: { importId: string; actor: Actor },
    chunk: number,
  ): Promise<void> {
    const sequence = await versionIdSequence(em);
    const pipeline = new Pipeline(em);
    const by = [batch.importId, batch.actor.label, batch.actor.requestId ?? null];
    for (let i = 0; i < changes.fresh.length; i += chunk) {
      const bs = changes.fresh.slice(i, i + chunk);
      await pipeline.send(createSql(sequence), [...versionColumns(t, bs), ...creditColumns(t, bs), ...by]);
    }
    for (let i = 0; i < changes.amend.length; i += chunk) {
      const current = changes.amend.slice(i, i + chunk);
      const bs = current.map((a) => a.booking);
      const oldIds = ArrayLiteral.plain(current.map((a) => a.id));
      // At most one current version per booking (a unique index): park the old ones as superseded by themselves,
      // then insert the new versions and point the old ones at them.
      await pipeline.send(`UPDATE booking_versions SET superseded_by = id WHERE id = ANY($1::bigint[])`, [oldIds]);
      await pipeline.send(amendSql(sequence), [
        ...versionColumns(t, bs),
        oldIds,
        ArrayLiteral.plain(current.map((a) => a.version)),
        ArrayLiteral.plain(current.map((a) => a.contentHash)),
        ...creditColumns(t, bs),
        ...by,
      ]);
    }
    await pipeline.flush();
  }
}

/** The sequence of booking_versions.id, quoted for a string literal. */
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
 * id by its booking's position in the chunk (`ids[n]`). The audit events are written here, beside the versions,
 * rather than through the audit repository: one statement per chunk of a million-booking import.
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
