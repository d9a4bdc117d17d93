import type { NextFunction, Request, Response } from 'express';
import { CommissionErrorCode } from '../core/errors/commission-error';
import { MISSING_TOKEN, REFUSED_TOKEN } from './token-messages';

/**
 * Authentication before any body is read: a request that carries a body (every POST of the API) must present a
 * valid bearer token first, or it is answered 401 and the connection closed without reading what it sends. Without
 * this, the body parsers ran before the auth guard, and anyone could make the server buffer 200 MB per request.
 * The guard still checks the token and the role afterwards, as for every route.
 */
export function bodyGate(authenticate: (token: string) => Promise<object | null>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const refuse = (message: string) => {
      res.setHeader('Connection', 'close');
      res.status(401).json({ error: CommissionErrorCode.UNAUTHENTICATED, message });
    };
    if (!match) return refuse(MISSING_TOKEN);
    authenticate(match[1]).then((actor) => {
      if (!actor) return refuse(REFUSED_TOKEN);
      // the guard takes it from here instead of looking the token up a second time
      (req as Request & { gateActor?: { token: string; actor: object } }).gateActor = { token: match[1], actor };
      next();
    }, next);
  };
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/** Body parser errors as the API's errors: too large is 413 naming the limit, unparseable is 400. */
export function bodyErrors(limits: { json: string; csv: string }) {
  return (err: { type?: string; status?: number; message?: string }, req: Request, res: Response, next: NextFunction): void => {
    if (err?.type === 'entity.too.large') {
      const csv = req.is('text/csv');
      res.setHeader('Connection', 'close');
      res.status(413).json({ error: 'PAYLOAD_TOO_LARGE', message: `the ${csv ? 'CSV' : 'JSON'} body is larger than ${csv ? limits.csv : limits.json}${csv ? ' (IMPORT_MAX_MB)' : ''}` });
      return;
    }
    if (err?.type === 'entity.parse.failed' || err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      res.status(400).json({ error: CommissionErrorCode.INVALID_INPUT, message: `the request body cannot be read: ${err.message}` });
      return;
    }
    next(err);
  };
}

/**
 * NUL bytes anywhere in the path, the query or a JSON body are a 400: PostgreSQL text cannot hold them, and they would
 * otherwise surface as a 500 from the database (a rep id, a cursor, a booking id).
 */
export function refuseNul(req: Request, res: Response, next: NextFunction): void {
  const url = safeDecode(req.originalUrl ?? req.url);
  if (url === null || url.includes('\0') || hasNul(req.body)) {
    res.status(400).json({ error: CommissionErrorCode.INVALID_INPUT, message: url === null ? 'the URL is not valid percent-encoding' : 'NUL bytes are not allowed in the path, the query or the body' });
    return;
  }
  next();
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\0');
  if (depth > 32 || v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  return Object.entries(v as Record<string, unknown>).some(([k, x]) => k.includes('\0') || hasNul(x, depth + 1));
}
