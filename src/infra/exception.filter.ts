import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { requestIdOf } from './security-headers';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';

/** The one place where domain error codes become HTTP statuses. */
export const STATUS_BY_CODE: Record<CommissionErrorCode, number> = {
  [CommissionErrorCode.INVALID_INPUT]: HttpStatus.BAD_REQUEST,
  [CommissionErrorCode.IMPORT_REJECTED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [CommissionErrorCode.PLAN_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
  [CommissionErrorCode.PLAN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CommissionErrorCode.FX_RATE_MISSING]: HttpStatus.UNPROCESSABLE_ENTITY,
  [CommissionErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CommissionErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [CommissionErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [CommissionErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [CommissionErrorCode.PERIOD_LOCKED]: HttpStatus.CONFLICT,
  [CommissionErrorCode.STORE_LOCKED]: HttpStatus.SERVICE_UNAVAILABLE,
  // a broken invariant or a failed calculation thread is the service's fault, never the client's input
  [CommissionErrorCode.CALCULATION_FAILED]: HttpStatus.INTERNAL_SERVER_ERROR,
};

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const req = host.switchToHttp().getRequest();
    if (exception instanceof CommissionError && STATUS_BY_CODE[exception.code] < 500) {
      res.status(STATUS_BY_CODE[exception.code]).json({ error: exception.code, message: exception.message, details: exception.details });
      return;
    }
    if (exception instanceof CommissionError && exception.code !== CommissionErrorCode.CALCULATION_FAILED) {
      // 503 (the embedded store held elsewhere): the client may retry; the message says by whom
      res.status(STATUS_BY_CODE[exception.code]).json({ error: exception.code, message: exception.message });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({ error: status === 400 ? CommissionErrorCode.INVALID_INPUT : HttpStatus[status], message });
      return;
    }
    // the service's own failure: 500 with a correlation id (the client's X-Request-Id when it sent one) that the log
    // line carries with the cause; the cause itself stays in the log
    const correlationId = requestIdOf(req?.headers?.['x-request-id']) ?? randomUUID();
    const code = exception instanceof CommissionError ? exception.code : 'INTERNAL';
    this.logger.error(`${code} on ${req?.method} ${req?.url} (correlation id ${correlationId}): ${(exception as Error)?.stack ?? exception}`);
    res.status(500).json({ error: code, message: `internal error, logged with correlation id ${correlationId}`, correlationId });
  }
}
