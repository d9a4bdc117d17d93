/**
 * The rows an INSERT, UPDATE or DELETE … RETURNING gave back, whichever driver ran it: TypeORM's node-pg driver
 * answers `[rows, affectedCount]` for those statements, PGlite's answers the rows. The one place that knows.
 */
export function returnedRows<T>(res: unknown): T[] {
  if (!Array.isArray(res)) return [];
  return (Array.isArray(res[0]) ? res[0] : res) as T[];
}
