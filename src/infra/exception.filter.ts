import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
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
  [CommissionErrorCode.CALCULATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
};

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const req = host.switchToHttp().getRequest();
    if (exception instanceof CommissionError) {
      res.status(STATUS_BY_CODE[exception.code]).json({ error: exception.code, message: exception.message, details: exception.details });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({ error: status === 400 ? CommissionErrorCode.INVALID_INPUT : HttpStatus[status], message });
      return;
    }
    this.logger.error(`unhandled error on ${req?.method} ${req?.url}: ${(exception as Error)?.stack ?? exception}`);
    res.status(500).json({ error: 'INTERNAL', message: 'internal error; it has been logged' });
  }
}
