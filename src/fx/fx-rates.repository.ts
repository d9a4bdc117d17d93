import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FxRateFacts } from '../core/calculation/calculation-types';
import { FxFields } from '../core/intake/fx-intake';
import { dec, Decimal } from '../core/money/decimal';
import { Col, insertMany, updateMany } from '../infra/sql-batch';
import { Db } from '../infra/db.service';

/** A stored rate: units of toCurrency per unit of fromCurrency on a date, and the import that set it. */
export interface StoredFxRate extends FxFields {
  importId: string | null;
}

interface FxRateRow {
  rate_date: string;
  from_currency: string;
  to_currency: string;
  rate: string;
}

const KEY: Col[] = [
  { name: 'rate_date', type: 'date' },
  { name: 'from_currency', type: 'text' },
  { name: 'to_currency', type: 'text' },
];
/** What an import sets: the rate, and itself as the rate's source. */
const FIELDS: Col[] = [
  { name: 'rate', type: 'numeric' },
  { name: 'import_id', type: 'bigint' },
];

/** Values in KEY + FIELDS order. */
const values = (importId: string) => (r: FxFields) => [r.date, r.fromCurrency, r.toCurrency, r.rate.toFixed(), importId];

const toRate = (r: FxRateRow): FxFields => ({ date: r.rate_date, fromCurrency: r.from_currency, toCurrency: r.to_currency, rate: dec(r.rate) });

/** The fx_rates table. */
@Injectable()
export class FxRatesRepository {
  constructor(private readonly db: Db) {}

  /** Every rate, by date and currencies. */
  async list(): Promise<StoredFxRate[]> {
    const rows = await this.db.query<FxRateRow & { import_id: string | null }>(
      `SELECT rate_date, from_currency, to_currency, rate::text AS rate, import_id::text AS import_id
         FROM fx_rates ORDER BY rate_date, from_currency, to_currency`,
    );
    return rows.map((r) => ({ ...toRate(r), importId: r.import_id }));
  }

  /** The rates dated from `from` to `to`, both included. */
  async between(em: EntityManager, from: string, to: string): Promise<FxFields[]> {
    const rows: FxRateRow[] = await em.query(`SELECT rate_date, from_currency, to_currency, rate::text AS rate FROM fx_rates WHERE rate_date BETWEEN $1 AND $2`, [from, to]);
    return rows.map(toRate);
  }

  async insertMany(em: EntityManager, rates: readonly FxFields[], importId: string): Promise<void> {
    await insertMany(em, 'fx_rates', [...KEY, ...FIELDS], rates.map(values(importId)));
  }

  /** Sets the rate of these dates and currencies, as set by this import. */
  async updateMany(em: EntityManager, rates: readonly FxFields[], importId: string): Promise<void> {
    await updateMany(em, 'fx_rates', KEY, FIELDS, rates.map(values(importId)), 'updated_at = now()');
  }

  /** The direct rates into `currency` on or before `asOf`. */
  async ratesInto(currency: string, asOf: string): Promise<FxRateFacts[]> {
    const rates = await this.db.query<{ date: string; from: string; to: string; rate: string }>(
      `SELECT rate_date::text AS date, from_currency AS "from", to_currency AS "to", rate::text AS rate FROM fx_rates WHERE to_currency = $1 AND rate_date <= $2::date`,
      [currency, asOf],
    );
    return rates.map((r) => ({ date: r.date, from: r.from, to: r.to, rate: new Decimal(r.rate) }));
  }
}
