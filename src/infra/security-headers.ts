import type { NextFunction, Request, Response } from 'express';

/**
 * Response headers of every route (what helmet would set, by hand so each is deliberate): no sniffing, no framing,
 * no referrer, same-origin isolation and HSTS everywhere; `Cache-Control: no-store` and a CSP that allows nothing on
 * API responses (they hold money and personal data; no cache or proxy keeps them); a CSP for `/docs` that runs only the
 * page's own scripts. The portal's files set their own CSP (portal.controller.ts).
 */
const EVERYWHERE: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
};

const API: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/** Swagger UI: its own scripts and styles (it inlines some CSS), nothing from elsewhere. */
const DOCS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.set(EVERYWHERE);
  const p = req.path;
  if (p === '/docs' || p.startsWith('/docs/') || p.startsWith('/docs-')) res.set(DOCS);
  else if (p !== '/' && !p.startsWith('/portal/')) res.set(API);
  next();
}

/** A client's X-Request-Id is kept (it ties our audit events to their logs) only when it is a short plain token. */
export function requestIdOf(header: unknown): string | null {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(header) ? header : null;
}
