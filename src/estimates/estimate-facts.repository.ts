import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period } from '../core/calendar/dates';
import { Db } from '../infra/db.service';

/** A payee's period as stored: its current run's figures (decimal strings) and the period's status. */
export interface StoredFigures {
  period: Period;
  /** The period's lifecycle status; null when the period has no row yet. */
  status: string | null;
  earned: string;
  draw: string;
  payout: string;
  balance: string;
}

/**
 * What the estimator reads besides the calculation's own inputs: the payees' currencies, imported booking ids,
 * stored periods. Reads only; those given an `em` run on it, not behind `Db`'s queue of the embedded store.
 */
@Injectable()
export class EstimateFactsRepository {
  constructor(private readonly db: Db) {}

  /** Every payee's currency, by payee. */
  async repCurrencies(em: EntityManager): Promise<Map<string, string>> {
    const rows: { rep_id: string; currency: string }[] = await em.query(`SELECT rep_id, currency FROM reps`);
    return new Map(rows.map((r) => [r.rep_id, r.currency]));
  }

  /** Those of `bookingIds` that an imported booking has. */
  async importedBookingIds(em: EntityManager, bookingIds: string[]): Promise<Set<string>> {
    const rows: { booking_id: string }[] = await em.query(`SELECT DISTINCT booking_id FROM booking_versions WHERE booking_id = ANY($1::text[])`, [bookingIds]);
    return new Set(rows.map((r) => r.booking_id));
  }

  /** A payee's figures of the current runs of the periods from `from` to `to`, by period. */
  async storedFigures(repId: string, from: Period, to: Period): Promise<StoredFigures[]> {
    return this.db.query<StoredFigures>(
      `SELECT r.period, p.status, y.earned::text AS earned, y.draw::text AS draw, y.payout::text AS payout, y.balance::text AS balance
         FROM current_runs r JOIN payouts y ON y.run_id = r.id LEFT JOIN periods p ON p.period = r.period
        WHERE r.period BETWEEN $2 AND $3 AND y.rep_id = $1 ORDER BY r.period`,
      [repId, from, to],
    );
  }
}
