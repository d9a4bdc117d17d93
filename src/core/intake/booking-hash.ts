import * as crypto from 'node:crypto';
import { Decimal } from '../money/decimal';
import type { BookingHead, BookingTable } from './booking-intake';

/**
 * A digest of everything an import can say about a booking, credits included. Equal digests mean "unchanged";
 * values are canonical (decimals by value), so "100.00" and "100" hash alike.
 */
export function bookingContentHash(b: BookingHead & { credits: readonly { repId: string; splitPct: Decimal; splitType?: string }[] }): string {
  const credits = b.credits.map((c) => (c.splitType && c.splitType !== 'revenue' ? ([c.repId, c.splitPct.toFixed(), c.splitType] as const) : ([c.repId, c.splitPct.toFixed()] as const)));
  const tax = b.taxRate === null || b.taxRate === undefined ? null : new Decimal(b.taxRate).toFixed();
  return sha256Hex(canonicalJson(b.customerId, b.type, b.product, b.amount.toFixed(), b.currency, b.termMonths, b.bookedDate, b.cancelledDate, credits, b.renews ?? null, tax));
}

/** bookingContentHash of booking `b` of a table (the table holds the canonical strings already), in hex. */
export function bookingTableHash(t: BookingTable, b: number): string {
  return sha256Hex(tableJson(t, b));
}

function tableJson(t: BookingTable, b: number): string {
  const credits: (readonly string[])[] = [];
  for (let c = t.creditStart[b]; c < t.creditStart[b + 1]; c++) credits.push(t.creditType[c] === 'revenue' ? [t.creditRep[c], t.creditSplit[c]] : [t.creditRep[c], t.creditSplit[c], t.creditType[c]]);
  return canonicalJson(t.customerId[b], t.type[b], t.product[b], t.amount[b], t.currency[b], t.termMonths[b], t.bookedDate[b], t.cancelledDate[b], credits, t.renews[b], t.taxRate[b]);
}

/**
 * What the digest covers, as JSON: exactly JSON.stringify(['booking/v1', customerId, type, product, amount,
 * currency, termMonths, bookedDate, cancelledDate, [[repId, splitPct], ...]]), written out by hand (a million
 * bookings hash in a fraction of the time). What later formats added is written only when it is not the default,
 * so a booking that uses none of it keeps its digest: an overlay credit is [repId, splitPct, "overlay"], a renewal
 * names the booking it renews as the next element, and a tax rate follows as {"taxRate": rate} (after null for no
 * renewal).
 */
function canonicalJson(
  customerId: string,
  type: string,
  product: string,
  amount: string,
  currency: string,
  termMonths: number,
  bookedDate: string,
  cancelledDate: string | null,
  credits: readonly (readonly string[])[],
  renews: string | null,
  taxRate: string | null,
): string {
  let json = `["booking/v1",${str(customerId)},${str(type)},${str(product)},${str(amount)},${str(currency)},${termMonths},${str(bookedDate)},${cancelledDate === null ? 'null' : str(cancelledDate)},[`;
  for (let i = 0; i < credits.length; i++) json += `${i ? ',' : ''}[${credits[i].map(str).join(',')}]`;
  if (taxRate !== null) return `${json}],${renews === null ? 'null' : str(renews)},{"taxRate":${str(taxRate)}}]`;
  return json + (renews === null ? ']]' : `],${str(renews)}]`);
}

/** Characters JSON.stringify escapes in a string: quote, backslash, control characters, surrogates (when unpaired). */
const JSON_SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s), without its cost for the common string that needs no escaping. */
function str(s: string): string {
  return JSON_SPECIAL.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** crypto.hash (Node >= 20.12) hashes a string in one call, several times faster than createHash for short inputs. */
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string) => string }).hash;
function sha256Hex(data: string): string {
  return oneShotHash ? oneShotHash('sha256', data) : crypto.createHash('sha256').update(data, 'utf8').digest('hex');
}
