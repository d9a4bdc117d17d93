/**
 * Entities and migrations added by later features. Kept apart from database.ts so a feature adds its tables
 * in one place without touching the connection code.
 */
export const EXTRA_ENTITIES: Function[] = [];
export const EXTRA_MIGRATIONS: Function[] = [];
