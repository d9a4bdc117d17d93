import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../plans/canonical-json';
import { PayeeResult } from './calculation-types';

/**
 * The payee hash pins a result: version 2 covers the payee's figures and every line's figures and structured trace
 * (canonical JSON: key order and storage do not matter), never wording. Descriptions and explanations can be
 * reworded freely; a closed period still verifies.
 */
export const HASH_VERSION = 2;

/** The figures of a payee and its lines, as plain strings (from the engine or from stored rows). */
export interface PayeeFigures {
  repId: string;
  currency: string;
  earnedToDate: string;
  earned: string;
  adjustments: string;
  draw: string;
  payout: string;
  balance: string;
  lines: { kind: string; componentKey: string | null; ref: string | null; bookingId: string | null; originPeriod: string | null; cause: string | null; amount: string; amountPrecise: string; trace: unknown }[];
}

export function figuresOf(p: PayeeResult): PayeeFigures {
  // at least two decimals, as every hash before minor units were per currency (a JPY amount is whole: "6500.00")
  const d = Math.max(2, p.minorUnits);
  return {
    repId: p.repId,
    currency: p.currency,
    earnedToDate: p.earnedToDate.toFixed(d),
    earned: p.earned.toFixed(d),
    adjustments: p.adjustments.toFixed(d),
    draw: p.draw.toFixed(d),
    payout: p.payout.toFixed(d),
    balance: p.balance.toFixed(d),
    lines: p.lines.map((l) => ({
      kind: l.kind,
      componentKey: l.componentKey,
      ref: l.ref,
      bookingId: l.bookingId,
      originPeriod: l.originPeriod,
      cause: l.cause,
      amount: l.amount.toFixed(d),
      amountPrecise: l.amountPrecise.toFixed(),
      trace: l.trace,
    })),
  };
}

/**
 * Version-2 payee hash of an engine result. `traceTexts[i]`, when given, is canonicalJson(line i's trace), already
 * made for storage (the same text is hashed and stored, so it is serialised once).
 */
export function payeeHash(p: PayeeResult, traceTexts?: string[]): string {
  return hashFigures(figuresOf(p), traceTexts);
}

/** Version-2 payee hash: figures, and each line's figures with its canonical trace (also of stored rows). */
export function hashFigures(f: PayeeFigures, traceTexts?: string[]): string {
  const h = createHash('sha256');
  h.update(`v${HASH_VERSION}\n`);
  h.update(JSON.stringify([f.repId, f.currency, f.earnedToDate, f.earned, f.adjustments, f.draw, f.payout, f.balance]));
  f.lines.forEach((l, i) => {
    h.update('\n');
    h.update(JSON.stringify([l.kind, l.componentKey, l.ref, l.bookingId, l.originPeriod, l.cause, l.amount, l.amountPrecise]));
    h.update(traceTexts ? traceTexts[i] : canonicalJson(l.trace));
  });
  return h.digest('hex');
}

/**
 * Figures only (no trace): how runs hashed with version 1 are verified. Version 1 covered description text and the
 * trace JSON as the engine wrote it then, which no later engine reproduces; what must not move is every figure.
 */
export function figuresHash(f: Pick<PayeeFigures, 'repId' | 'currency' | 'earnedToDate' | 'earned' | 'draw' | 'payout' | 'balance'> & { lines: Pick<PayeeFigures['lines'][number], 'kind' | 'componentKey' | 'ref' | 'originPeriod' | 'amount' | 'amountPrecise'>[] }): string {
  const rows = [JSON.stringify([f.repId, f.currency, f.earnedToDate, f.earned, f.draw, f.payout, f.balance])];
  for (const l of f.lines) rows.push(JSON.stringify([l.kind, l.componentKey, l.ref, l.originPeriod, l.amount, l.amountPrecise]));
  return sha256Hex(rows.join('\n'));
}

/** A run's result hash: sha256 over its payees' hashes in rep order (the same however the payees were sharded). */
export function combineResultHash(payeeHashes: [string, string][]): string {
  const sorted = [...payeeHashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(sorted.map(([repId, h]) => `${repId}:${h}`).join('\n'));
}
