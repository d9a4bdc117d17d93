/** Stable error codes of the domain. The HTTP layer maps them to status codes in one place. */
export enum CommissionErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  IMPORT_REJECTED = 'IMPORT_REJECTED',
  PLAN_INVALID = 'PLAN_INVALID',
  PLAN_NOT_FOUND = 'PLAN_NOT_FOUND',
  FX_RATE_MISSING = 'FX_RATE_MISSING',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CONFLICT = 'CONFLICT',
  PERIOD_LOCKED = 'PERIOD_LOCKED',
  STORE_LOCKED = 'STORE_LOCKED',
  CALCULATION_FAILED = 'CALCULATION_FAILED',
}

export class CommissionError extends Error {
  constructor(
    readonly code: CommissionErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CommissionError';
  }
}
