import { ArgumentsHost, Logger } from '@nestjs/common';
import { CommissionError, CommissionErrorCode } from '../../src/core/errors/commission-error';
import { AllExceptionsFilter } from '../../src/infra/exception.filter';

/** What the error filter answers: 4xx for the client's mistakes only; the service's own failures 500 with a correlation id. */
function answer(exception: unknown, headers: Record<string, string> = {}): { status: number; body: Record<string, unknown>; logged: string[] } {
  const out = { status: 0, body: {} as Record<string, unknown>, logged: [] as string[] };
  const res = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      out.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'POST', url: '/periods/2026-03/calculate', headers }) }) } as unknown as ArgumentsHost;
  const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => void out.logged.push(String(m)));
  try {
    new AllExceptionsFilter().catch(exception, host);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('errors the API answers', () => {
  it('a broken invariant is the service\'s fault: 500, a correlation id the log line carries with the cause, no cause in the body', () => {
    const cause = 'internal invariant broken for A1: lines sum to 10.00 but payout is 9.99';
    const r = answer(new CommissionError(CommissionErrorCode.CALCULATION_FAILED, cause), { 'x-request-id': 'req-42' });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'CALCULATION_FAILED', message: 'internal error, logged with correlation id req-42', correlationId: 'req-42' });
    expect(r.logged).toHaveLength(1);
    expect(r.logged[0]).toContain('CALCULATION_FAILED on POST /periods/2026-03/calculate (correlation id req-42)');
    expect(r.logged[0]).toContain(cause);
  });

  it('an unexpected error gets a fresh correlation id when the client sent none (or an unusable one)', () => {
    const r = answer(new TypeError('x is undefined'), { 'x-request-id': 'not a plain token!' });
    expect(r.status).toBe(500);
    expect(r.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.logged[0]).toContain(`(correlation id ${r.body.correlationId})`);
  });

  it("the client's mistakes stay 4xx with the message that says what to fix", () => {
    const r = answer(new CommissionError(CommissionErrorCode.INVALID_INPUT, 'period must be YYYY-MM, got "2026-13"'));
    expect([r.status, r.body.error, r.body.message, r.logged]).toEqual([400, 'INVALID_INPUT', 'period must be YYYY-MM, got "2026-13"', []]);
  });
});
