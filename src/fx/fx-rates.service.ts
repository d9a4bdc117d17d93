import { Injectable } from '@nestjs/common';
import { FxRatesRepository } from './fx-rates.repository';

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
  constructor(private readonly rates: FxRatesRepository) {}

  async list(): Promise<FxRateView[]> {
    const rates = await this.rates.list();
    return rates.map((r) => ({ date: r.date, fromCurrency: r.fromCurrency, toCurrency: r.toCurrency, rate: r.rate.toFixed(), importId: r.importId }));
  }
}
