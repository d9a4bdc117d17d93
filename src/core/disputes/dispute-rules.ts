import { CommissionError, CommissionErrorCode } from '../errors/commission-error';
import { MAX_ABS_AMOUNT, MAX_MINOR_UNITS } from '../money/minor-units';
import { DECIMAL_PATTERN, Decimal } from '../money/decimal';

/** What a dispute may be about: the whole payout, one line of it, or a booking the payee says is missing. */
export const DISPUTE_TARGET_KINDS = ['payout', 'line', 'booking'] as const;
export type DisputeTargetKind = (typeof DISPUTE_TARGET_KINDS)[number];

/** Why the payee disputes. Quota or ramp problems are `wrong_quota`; rate or tier problems are `wrong_rate`. */
export const DISPUTE_REASON_CODES = ['missing_credit', 'wrong_split', 'wrong_rate', 'wrong_quota', 'fx', 'clawback', 'other'] as const;
export type DisputeReasonCode = (typeof DISPUTE_REASON_CODES)[number];
/** Each reason in words, for people (the portal's choices, statements). */
export const DISPUTE_REASON_LABELS: Readonly<Record<DisputeReasonCode, string>> = {
  missing_credit: 'Missing credit',
  wrong_split: 'Wrong split',
  wrong_rate: 'Wrong rate or tier',
  wrong_quota: 'Wrong quota or ramp',
  fx: 'Wrong FX rate',
  clawback: 'Clawback',
  other: 'Other',
};

/** Words a payee (or a client) may use for a reason, mapped to the one code it belongs to. */
export const DISPUTE_REASON_ALIASES: Readonly<Record<string, DisputeReasonCode>> = {
  quota: 'wrong_quota',
  ramp: 'wrong_quota',
  wrong_ramp: 'wrong_quota',
  rate: 'wrong_rate',
  tier: 'wrong_rate',
  wrong_tier: 'wrong_rate',
  split: 'wrong_split',
};

/** Every accepted spelling of a reason (codes and aliases). */
export const DISPUTE_REASON_INPUTS: readonly string[] = [...DISPUTE_REASON_CODES, ...Object.keys(DISPUTE_REASON_ALIASES)];

export const DISPUTE_STATUSES = ['open', 'in_review', 'upheld', 'rejected'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const RESOLVED_STATUSES: readonly DisputeStatus[] = ['upheld', 'rejected'];

/** The allowed transitions: open → in_review → upheld | rejected, and open → upheld | rejected directly. */
export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  open: ['in_review', 'upheld', 'rejected'],
  in_review: ['upheld', 'rejected'],
  upheld: [],
  rejected: [],
};

/** The statuses a dispute may be in for it to move to `to`. */
export function statusesBefore(to: DisputeStatus): DisputeStatus[] {
  return DISPUTE_STATUSES.filter((s) => DISPUTE_TRANSITIONS[s].includes(to));
}

export function isResolved(status: string): boolean {
  return (RESOLVED_STATUSES as readonly string[]).includes(status);
}

/** The reason code for a code or alias (case-insensitive); throws INVALID_INPUT otherwise. */
export function normalizeDisputeReasonOrThrow(input: unknown): DisputeReasonCode {
  const s = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if ((DISPUTE_REASON_CODES as readonly string[]).includes(s)) return s as DisputeReasonCode;
  const alias = DISPUTE_REASON_ALIASES[s];
  if (alias) return alias;
  throw new CommissionError(
    CommissionErrorCode.INVALID_INPUT,
    `reasonCode must be one of ${DISPUTE_REASON_CODES.join(', ')} (quota or ramp: wrong_quota; rate or tier: wrong_rate); got ${JSON.stringify(input)}`,
  );
}


/**
 * A money amount as the API takes it: a plain decimal string of at most 18 integer digits and at most MAX_MINOR_UNITS
 * decimals (the payee's currency decides how many it may really have: see inMinorUnits). Returns it with at least 2
 * decimals. `nonZero` refuses 0.
 */
export function parseAmountOrThrow(field: string, input: unknown, opts: { nonZero?: boolean } = {}): string {
  if (typeof input !== 'string' || !DECIMAL_PATTERN.test(input)) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} must be a decimal string such as "250.00", got ${JSON.stringify(input)}`);
  }
  const d = new Decimal(input);
  if (d.decimalPlaces() > MAX_MINOR_UNITS) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} has at most ${MAX_MINOR_UNITS} decimals, got "${input}"`);
  if (d.abs().greaterThan(MAX_ABS_AMOUNT)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} is out of range: "${input}"`);
  if (opts.nonZero && d.isZero()) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${field} must not be zero`);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

/** The target of a dispute, checked for shape: null for a payout, a line number, or a booking id. */
export function parseTargetOrThrow(kind: unknown, ref: unknown): { kind: DisputeTargetKind; ref: string | null } {
  if (!(DISPUTE_TARGET_KINDS as readonly unknown[]).includes(kind)) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `targetKind must be one of ${DISPUTE_TARGET_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const k = kind as DisputeTargetKind;
  const r = typeof ref === 'number' && Number.isSafeInteger(ref) ? String(ref) : ref;
  if (k === 'payout') {
    if (r !== undefined && r !== null && r !== '') throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'targetRef must be empty for a dispute on the whole payout');
    return { kind: k, ref: null };
  }
  if (k === 'line') {
    if (typeof r !== 'string' || !/^[1-9]\d{0,8}$/.test(r)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `targetRef must be the line number of a payout line, got ${JSON.stringify(ref)}`);
    return { kind: k, ref: r };
  }
  if (typeof r !== 'string' || !r.trim() || r.trim().length > 200) {
    throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `targetRef must be a booking id (1 to 200 characters), got ${JSON.stringify(ref)}`);
  }
  return { kind: k, ref: r.trim() };
}

/** What an adjustment created by an upheld dispute says it corrects: `dispute:<id>`, plus the line or booking. */
export function disputeOriginRef(id: string, kind: DisputeTargetKind, ref: string | null): string {
  if (kind === 'line') return `dispute:${id}/line:${ref}`;
  if (kind === 'booking') return `dispute:${id}/booking:${ref}`;
  return `dispute:${id}`;
}
