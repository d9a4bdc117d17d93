import { Injectable } from '@nestjs/common';
import { dec } from '../core/money/decimal';
import { Db } from '../infra/db.service';

export interface FxRateView {
  date: string;
  fromCurrency: string;
  toCurrency: string;
  /** Units of toCurrency per unit of fromCurrency, as a decimal string. */
  rate: string;
  importId: string | null;
}

@Injectable()
export class FxRatesService {
  constructor(private readonly db: Db) {}

  async list(): Promise<FxRateView[]> {
    const rows = await this.db.query<{ rate_date: string; from_currency: string; to_currency: string; rate: string; import_id: string | null }>(
      `SELECT rate_date, from_currency, to_currency, rate::text AS rate, import_id::text AS import_id
         FROM fx_rates ORDER BY rate_date, from_currency, to_currency`,
    );
    return rows.map((r) => ({ date: r.rate_date, fromCurrency: r.from_currency, toCurrency: r.to_currency, rate: dec(r.rate).toFixed(), importId: r.import_id }));
  }
}
