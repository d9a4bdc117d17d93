import { SetMetadata } from '@nestjs/common';
import type { Role } from './role';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles allowed on an endpoint. Every non-public endpoint must declare them; the guard refuses those that do not. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Every role may read; data is then scoped per rep by AccessService. */
export const READERS: Role[] = ['admin', 'finance', 'manager', 'rep', 'auditor'];
/** Back-office roles that may see every payee's data. */
export const BACK_OFFICE: Role[] = ['admin', 'finance', 'auditor'];
/** Roles that may change data (imports, closes). The auditor never does. */
export const OPERATORS: Role[] = ['admin', 'finance'];
/** Who raises disputes: the payee themself, or finance on their behalf. */
export const DISPUTE_RAISERS: Role[] = ['rep', 'admin', 'finance'];
/** Who reviews, upholds and rejects disputes. */
export const DISPUTE_RESOLVERS: Role[] = ['manager', 'admin', 'finance'];
/** Who runs what-if estimates: a payee for themself, a manager for the team, finance for anyone (not the auditor). */
export const ESTIMATORS: Role[] = ['admin', 'finance', 'manager', 'rep'];

