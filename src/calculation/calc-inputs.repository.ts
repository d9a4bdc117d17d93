import { EntityManager } from 'typeorm';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { addMonths, Period } from '../core/calendar/dates';
import { PlanDocument } from '../core/plans/plan-types';
import { Db, Query } from '../infra/db.service';
import { PriorRows, ShardInput } from './shard-compute';

export type { Query };
export const reader = (em: EntityManager): Query => (sql, params = []) => em.query(sql, params);

/** Which booking versions a read sees: those visible at a watermark, or (runs from before watermarks) an explicit list. */
export interface BookingVisibility {
  /** Booking versions visible: id <= watermark and not superseded at or below it. */
  bookingWatermark: string | null;
  /** Explicit booking version ids (runs made before watermarks existed; verify only). */
  bookingVersionIds?: string[];
}

/** The predicate on `v` (booking_versions) for a visibility, its parameter at `$n`, and that parameter's value. */
export function visibleAt(v: BookingVisibility, n: number): { where: string; param: string } {
  return v.bookingWatermark !== null
    ? { where: `v.id <= $${n}::bigint AND (v.superseded_by IS NULL OR v.superseded_by > $${n}::bigint)`, param: v.bookingWatermark }
    : { where: `v.id = ANY($${n}::bigint[])`, param: `{${(v.bookingVersionIds ?? []).join(',')}}` };
}

/**
 * What a calculation reads besides its runs: the facts every payee shares (reps, assignments, FX, plan mechanics'
 * facts, a period's adjustments), a shard's bookings and plan versions, the prior records earlier periods' current
 * runs left, and which payees booking changes touch. A plain class over a read function, so the calculation, the
 * estimator and plan modelling read the same facts the same way, in whatever transaction they are in.
 */
export class CalcInputsRepository {
  constructor(private readonly q: Query) {}

  static of(em: EntityManager): CalcInputsRepository {
    return new CalcInputsRepository(reader(em));
  }

  /** Reads outside any transaction, queued behind the embedded store's (`Db.query`). */
  static outside(db: Db): CalcInputsRepository {
    return new CalcInputsRepository(db.reader());
  }

  /** The newest booking version id ('0' when none): the bookings a calculation started now sees. */
  async bookingWatermark(): Promise<string> {
    const [{ watermark }] = await this.q<{ watermark: string }>(`SELECT coalesce(max(id), 0)::text AS watermark FROM booking_versions`);
    return watermark;
  }

  /** Every rep, by rep id. */
  async reps(): Promise<ShardInput['reps']> {
    const rows = await this.q<{ rep_id: string; manager_id: string | null; hire_date: string; termination_date: string | null; currency: string }>(
      `SELECT rep_id, manager_id, hire_date::text AS hire_date, termination_date::text AS termination_date, currency FROM reps ORDER BY rep_id`,
    );
    return rows.map((r) => [r.rep_id, r.manager_id, r.hire_date, r.termination_date, r.currency]);
  }

  /** Every plan assignment, by rep, start date and plan. */
  async assignments(): Promise<ShardInput['assignments']> {
    const rows = await this.q<{ rep_id: string; plan_id: string; start_date: string; end_date: string | null; annual_quota: string; target_variable: string; base_salary: string }>(
      `SELECT rep_id, plan_id, start_date::text AS start_date, end_date::text AS end_date, annual_quota::text AS annual_quota,
              target_variable::text AS target_variable, base_salary::text AS base_salary
         FROM plan_assignments ORDER BY rep_id, start_date, plan_id`,
    );
    return rows.map((a) => [a.rep_id, a.plan_id, a.start_date, a.end_date, a.annual_quota, a.target_variable, a.base_salary]);
  }

  /** FX rates dated up to `until`, by currency pair and date. */
  async fxRates(until: string): Promise<ShardInput['fx']> {
    const rows = await this.q<{ rate_date: string; from_currency: string; to_currency: string; rate: string }>(
      `SELECT rate_date::text AS rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date <= $1 ORDER BY from_currency, to_currency, rate_date`,
      [until],
    );
    return rows.map((f) => [f.rate_date, f.from_currency, f.to_currency, f.rate]);
  }

  /** Payments made up to `until`, by payment id. */
  async payments(until: string): Promise<NonNullable<ShardInput['payments']>> {
    const rows = await this.q<{ payment_id: string; booking_id: string; amount: string; currency: string; paid_date: string; kind: string }>(
      `SELECT payment_id, booking_id, amount::text AS amount, currency, paid_date::text AS paid_date, kind FROM payments WHERE paid_date <= $1 ORDER BY payment_id`,
      [until],
    );
    return rows.map((p) => [p.payment_id, p.booking_id, p.amount, p.currency, p.paid_date, p.kind]);
  }

  /** Activities up to `until`, by activity id. */
  async activities(until: string): Promise<NonNullable<ShardInput['activities']>> {
    const rows = await this.q<{ activity_id: string; rep_id: string; kind: string; activity_date: string; quantity: string }>(
      `SELECT activity_id, rep_id, kind, activity_date::text AS activity_date, quantity::text AS quantity FROM activities WHERE activity_date <= $1 ORDER BY activity_id`,
      [until],
    );
    return rows.map((a) => [a.activity_id, a.rep_id, a.kind, a.activity_date, a.quantity]);
  }

  /** Every objective result, by rep, objective and window. */
  async objectiveResults(): Promise<NonNullable<ShardInput['objectives']>> {
    const rows = await this.q<{ rep_id: string; objective_id: string; window_key: string; score: string }>(
      `SELECT rep_id, objective_id, window_key, score::text AS score FROM objective_results ORDER BY rep_id, objective_id, window_key`,
    );
    return rows.map((o) => [o.rep_id, o.objective_id, o.window_key, o.score]);
  }

  /** A period's adjustments, by id. */
  async adjustments(period: Period): Promise<ShardInput['adjustments'][number][1]> {
    const rows = await this.q<{ id: string; rep_id: string; amount: string; reason_code: string; note: string; origin_period: string | null; origin_ref: string | null }>(
      `SELECT id::text AS id, rep_id, amount::text AS amount, reason_code, note, origin_period, origin_ref FROM adjustments WHERE period = $1 ORDER BY id`,
      [period],
    );
    return rows.map((a) => [a.id, a.rep_id, a.amount, a.reason_code, a.note, a.origin_period, a.origin_ref]);
  }

  /** The stored plan versions of the given content hashes (those found, in no particular order). */
  async planVersions(hashes: string[]): Promise<PlanVersionFacts[]> {
    const rows = await this.q<{ plan_id: string; version: number; content_hash: string; document: PlanDocument }>(
      `SELECT plan_id, version, content_hash, document FROM plan_versions WHERE content_hash = ANY($1::text[])`,
      [hashes],
    );
    return rows.map((r) => ({ planId: r.plan_id, version: Number(r.version), hash: r.content_hash, document: r.document }));
  }

  /**
   * Booking credit rows per payee (of `repIds`, or everyone's with null) on the bookings visible at the watermark,
   * booked by `end`: a payee's weight in a shard.
   */
  async creditCounts(watermark: string, end: string, repIds: string[] | null): Promise<Map<string, number>> {
    const visible = visibleAt({ bookingWatermark: watermark }, 1);
    const rows = await this.q<{ rep_id: string; n: number }>(
      `SELECT c.rep_id, count(*)::int AS n FROM booking_credits c JOIN booking_versions v ON v.id = c.booking_version_id
        WHERE ${visible.where} AND v.booked_date <= $2::date
          AND ($3::text[] IS NULL OR c.rep_id = ANY($3::text[]))
        GROUP BY c.rep_id`,
      [visible.param, end, repIds],
    );
    return new Map(rows.map((c) => [c.rep_id, c.n]));
  }

  /**
   * Bookings (every credit of each) credited to any of `repIds` (every booking with null), as visible, booked by
   * `end`: one row per credit, by booking id.
   */
  async bookings(repIds: string[] | null, end: string, visibility: BookingVisibility): Promise<ShardInput['bookings']> {
    const visible = visibleAt(visibility, 3);
    const rows = await this.q<{
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
      rep_id: string;
      split_pct: string;
      split_type: string;
      renews_booking_id: string | null;
      tax_rate: string | null;
    }>(
      `SELECT v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency,
              v.term_months, v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, c.rep_id, c.split_pct::text AS split_pct,
              c.split_type, v.renews_booking_id, v.tax_rate::text AS tax_rate
         FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
        WHERE ${visible.where} AND v.booked_date <= $2::date
          AND ($1::text[] IS NULL OR v.id IN (SELECT booking_version_id FROM booking_credits WHERE rep_id = ANY($1::text[])))
        ORDER BY v.booking_id, c.rep_id`,
      [repIds, end, visible.param],
    );
    return rows.map((r) => [
      r.booking_id,
      Number(r.version),
      r.customer_id,
      r.type,
      r.product,
      r.amount,
      r.currency,
      Number(r.term_months),
      r.booked_date,
      r.cancelled_date,
      r.rep_id,
      r.split_pct,
      r.split_type,
      r.renews_booking_id,
      r.tax_rate,
    ]);
  }

  /** The visible versions of the given bookings (whatever they are credited to), by booking id. */
  async contracts(bookingIds: string[], visibility: BookingVisibility): Promise<NonNullable<ShardInput['renewed']>> {
    const visible = visibleAt(visibility, 2);
    const rows = await this.q<{ booking_id: string; version: number; customer_id: string; type: string; product: string; amount: string; currency: string; term_months: number; booked_date: string; cancelled_date: string | null; tax_rate: string | null }>(
      `SELECT v.booking_id, v.version, v.customer_id, v.type, v.product, v.amount::text AS amount, v.currency, v.term_months,
              v.booked_date::text AS booked_date, v.cancelled_date::text AS cancelled_date, v.tax_rate::text AS tax_rate
         FROM booking_versions v WHERE v.booking_id = ANY($1::text[]) AND ${visible.where} ORDER BY v.booking_id`,
      [bookingIds, visible.param],
    );
    return rows.map((r) => [r.booking_id, Number(r.version), r.customer_id, r.type, r.product, r.amount, r.currency, Number(r.term_months), r.booked_date, r.cancelled_date, r.tax_rate]);
  }

  /**
   * What the current runs of earlier periods recorded, per payee (optionally only some payees): Σ earned, the last
   * balance, and per window and reference the sums of rounded and precise amounts (rounding lines apart).
   */
  async prior(period: Period, repIds: string[] | null): Promise<PriorRows> {
    const earlier = `SELECT id FROM current_runs WHERE period < $1`;
    const earned = await this.q<{ rep_id: string; earned: string }>(
      `SELECT p.rep_id, sum(p.earned)::text AS earned FROM payouts p
        WHERE p.run_id IN (${earlier}) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) GROUP BY p.rep_id ORDER BY p.rep_id`,
      [period, repIds],
    );
    const balances = await this.q<{ rep_id: string; balance: string }>(
      `SELECT p.rep_id, p.balance::text AS balance FROM payouts p
        WHERE p.run_id IN (SELECT id FROM current_runs WHERE period = $1) AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[]))
        ORDER BY p.rep_id`,
      [addMonths(period, -1), repIds],
    );
    const lines = await this.q<{ rep_id: string; component_key: string; ref: string | null; rounding: boolean; amount: string; precise: string }>(
      `SELECT l.rep_id, l.component_key, l.ref, (l.kind = 'rounding') AS rounding, sum(l.amount)::text AS amount, sum(l.amount_precise)::text AS precise
         FROM run_lines l
        WHERE l.run_id IN (${earlier}) AND l.component_key IS NOT NULL AND ($2::text[] IS NULL OR l.rep_id = ANY($2::text[]))
        GROUP BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')
        ORDER BY l.rep_id, l.component_key, l.ref, (l.kind = 'rounding')`,
      [period, repIds],
    );
    return {
      earned: earned.map((e) => [e.rep_id, e.earned]),
      balances: balances.map((b) => [b.rep_id, b.balance]),
      lines: lines.map((l) => [l.rep_id, l.component_key, l.ref, Boolean(l.rounding), l.amount, l.precise]),
    };
  }

  /**
   * Payees credited on a booking version that appeared after watermark `since` (up to `watermark`), or on a version
   * such a one replaced.
   */
  async payeesOfBookingsChanged(watermark: string, since: string): Promise<string[]> {
    const rows = await this.q<{ rep_id: string }>(
      `SELECT DISTINCT c.rep_id FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
        WHERE v.id <= $1::bigint AND (v.id > $2::bigint OR (v.superseded_by IS NOT NULL AND v.superseded_by > $2::bigint AND v.superseded_by <= $1::bigint))`,
      [watermark, since],
    );
    return rows.map((r) => r.rep_id);
  }

  /** Payees credited on (visible) renewals of contracts whose versions changed after watermark `since`. */
  async payeesOfRenewalsOfChanged(watermark: string, since: string): Promise<string[]> {
    const rows = await this.q<{ rep_id: string }>(
      `SELECT DISTINCT c.rep_id FROM booking_versions r JOIN booking_credits c ON c.booking_version_id = r.id
        WHERE r.renews_booking_id IS NOT NULL AND r.id <= $1::bigint AND (r.superseded_by IS NULL OR r.superseded_by > $1::bigint)
          AND r.renews_booking_id IN (
            SELECT v.booking_id FROM booking_versions v
             WHERE v.id <= $1::bigint AND (v.id > $2::bigint OR (v.superseded_by IS NOT NULL AND v.superseded_by > $2::bigint AND v.superseded_by <= $1::bigint)))`,
      [watermark, since],
    );
    return rows.map((r) => r.rep_id);
  }
}
