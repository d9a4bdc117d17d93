import type { InputSnapshot } from './input-snapshot';

/**
 * The pure decisions of a calculation, apart from the database reads that feed them: how payees are cut into
 * shards, and which payees an incremental recalculation must recompute.
 */

export interface ShardLimits {
  /** Payees per shard at most (CALC_SHARD_SIZE). */
  size: number;
  /** Booking credit rows a shard loads at most (CALC_SHARD_CREDITS), unless one payee alone needs more. */
  credits: number;
}

/**
 * Payee shards: teams kept together (a manager, then their reports, depth first, in id order), cut when a shard
 * reaches `size` payees or `credits` booking credits to load (a manager's override loads the reports' bookings
 * too). Only `wanted` payees are placed; the result does not depend on the cut (each payee's hash is its own).
 */
export function planShards(reps: { repId: string; managerId: string | null }[], ownCredits: Map<string, number>, wanted: Set<string>, limits: ShardLimits): string[][] {
  const reportsOf = new Map<string, string[]>();
  const roots: string[] = [];
  const known = new Set(reps.map((r) => r.repId));
  for (const r of reps) {
    if (r.managerId && known.has(r.managerId)) reportsOf.set(r.managerId, [...(reportsOf.get(r.managerId) ?? []), r.repId]);
    else roots.push(r.repId);
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    const stack = [id];
    while (stack.length) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      order.push(next);
      stack.push(...[...(reportsOf.get(next) ?? [])].sort().reverse());
    }
  };
  for (const root of roots.sort()) visit(root);
  for (const r of reps) visit(r.repId); // cycles in the hierarchy, if any
  const shards: string[][] = [];
  let current: string[] = [];
  let weight = 0;
  for (const id of order) {
    if (!wanted.has(id)) continue;
    const w = (ownCredits.get(id) ?? 0) + (reportsOf.get(id) ?? []).reduce((t, r) => t + (ownCredits.get(r) ?? 0), 0);
    if (current.length && (current.length >= limits.size || weight + w > limits.credits)) {
      shards.push(current);
      current = [];
      weight = 0;
    }
    current.push(id);
    weight += w;
  }
  if (current.length) shards.push(current);
  return shards;
}

/**
 * What changed between the snapshot an old run read and the one a new run reads, per payee: null when plans, FX
 * or reps changed (everyone is recalculated); else the payees whose assignment rows or adjustments differ.
 */
export function payeesChangedBetween(old: InputSnapshot, now: InputSnapshot): Set<string> | null {
  if (JSON.stringify(old.fx) !== JSON.stringify(now.fx) || JSON.stringify(old.plans) !== JSON.stringify(now.plans)) return null;
  if (JSON.stringify(old.reps) !== JSON.stringify(now.reps)) return null;
  // payments move whoever is credited on their bookings (and their readers): recalculated in full
  if (JSON.stringify(old.payments ?? []) !== JSON.stringify(now.payments ?? [])) return null;
  const dirty = new Set<string>();
  const rowsByRep = (rows: unknown[][], repColumn: number) => {
    const m = new Map<string, string>();
    for (const row of rows) m.set(row[repColumn] as string, (m.get(row[repColumn] as string) ?? '') + JSON.stringify(row));
    return m;
  };
  const diff = (a: Map<string, string>, b: Map<string, string>) => {
    for (const id of new Set([...a.keys(), ...b.keys()])) if (a.get(id) !== b.get(id)) dirty.add(id);
  };
  diff(rowsByRep(old.assignments, 0), rowsByRep(now.assignments, 0));
  diff(rowsByRep(old.adjustments, 1), rowsByRep(now.adjustments, 1));
  diff(rowsByRep(old.activities ?? [], 1), rowsByRep(now.activities ?? [], 1));
  diff(rowsByRep(old.objectives ?? [], 0), rowsByRep(now.objectives ?? [], 0));
  return dirty;
}
