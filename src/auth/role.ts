/** The roles a user has; what each may do is decided per route (roles.decorator.ts) and per payee (access.service.ts). */
export const ROLES = ['admin', 'finance', 'manager', 'rep', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
