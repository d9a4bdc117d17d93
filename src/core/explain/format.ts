import { Decimal, HUNDRED } from '../money/decimal';
import { ISO_MINOR_UNITS } from '../money/minor-units';

/**
 * Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for BHD) by ISO 4217 (money/minor-units.ts). Wording and
 * statements format with it; amounts themselves were rounded by the engine to the configured table.
 */
export function minorDigits(currency: string): number {
  return ISO_MINOR_UNITS.of(currency);
}

/** "-1234567.5" -> "-1,234,567.50 USD": grouping by string, never through a float. */
export function formatMoney(amount: string, currency: string): string {
  const d = new Decimal(amount).toDecimalPlaces(minorDigits(currency), Decimal.ROUND_HALF_UP);
  const [int, frac] = d.abs().toFixed(minorDigits(currency)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}${grouped}${frac ? `.${frac}` : ''} ${currency}`;
}

/** A fraction as a percentage with two decimals ("0.5" -> "50.00%"); null -> "n/a". */
export function formatPct(value: Decimal | null): string {
  return value === null ? 'n/a' : `${value.times(HUNDRED).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%`;
}

/** A rate as a percentage, exact up to 4 decimals ("0.055" -> "5.5%"). */
export function formatRate(rate: string): string {
  return `${new Decimal(rate).times(HUNDRED).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed()}%`;
}
