import { CreditSource, PlanDocument } from '../plans/plan-types';

/**
 * Teams: whose bookings a payee reads besides their own. One definition serves the engine (crediting rules with
 * `from`, overrides, team pools), the calculation's shards (which bookings a shard loads) and the incremental
 * recalculation (whose results a changed booking can move).
 */
export interface Hierarchy {
  /** Each rep's manager, or null. */
  managerOf: ReadonlyMap<string, string | null>;
}

export function reportsIndex(h: Hierarchy): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, m] of h.managerOf) if (m) out.set(m, [...(out.get(m) ?? []), id]);
  for (const list of out.values()) list.sort();
  return out;
}

/** The reps whose bookings `source` reads for `repId` (in id order; "team" includes the payee). */
export function membersOf(repId: string, source: CreditSource, h: Hierarchy, reports = reportsIndex(h)): string[] {
  switch (source) {
    case 'self':
      return [repId];
    case 'directReports':
      return reports.get(repId) ?? [];
    case 'reportingTree': {
      const out: string[] = [];
      const seen = new Set<string>([repId]);
      const stack = [...(reports.get(repId) ?? [])].reverse();
      while (stack.length) {
        const id = stack.pop() as string;
        if (seen.has(id)) continue; // a cycle in the hierarchy
        seen.add(id);
        out.push(id);
        stack.push(...[...(reports.get(id) ?? [])].reverse());
      }
      return out.sort();
    }
    case 'team': {
      const m = h.managerOf.get(repId) ?? null;
      return m === null ? [repId] : [...(reports.get(m) ?? [repId])];
    }
  }
}

/** The sources other than "self" that some plan reads (crediting rules with `from`, overrides over the tree). */
export function teamSources(plans: PlanDocument[]): Set<CreditSource> {
  const out = new Set<CreditSource>();
  for (const p of plans) {
    for (const r of p.crediting.rules) if (r.from && r.from !== 'self') out.add(r.from);
    for (const c of p.components) {
      if (c.type === 'override') out.add(c.source);
      if (c.type === 'teamPool') out.add('team');
    }
  }
  return out;
}

/** Every rep whose bookings the payees read under the plans: the payees, plus their members under each source. */
export function readersOf(payees: Iterable<string>, sources: Set<CreditSource>, h: Hierarchy): Set<string> {
  const reports = reportsIndex(h);
  const out = new Set<string>();
  for (const id of payees) {
    out.add(id);
    for (const s of sources) for (const m of membersOf(id, s, h, reports)) out.add(m);
  }
  return out;
}

/** The payees whose results a change to the bookings (or facts) of `changed` reps can move: the inverse of readersOf. */
export function affectedBy(changed: Iterable<string>, sources: Set<CreditSource>, h: Hierarchy): Set<string> {
  const out = new Set<string>();
  const reports = reportsIndex(h);
  for (const id of changed) {
    out.add(id);
    if (sources.has('directReports')) {
      const m = h.managerOf.get(id);
      if (m) out.add(m);
    }
    if (sources.has('reportingTree')) {
      const seen = new Set<string>([id]);
      for (let m = h.managerOf.get(id) ?? null; m !== null && !seen.has(m); m = h.managerOf.get(m) ?? null) {
        seen.add(m);
        out.add(m);
      }
    }
    if (sources.has('team')) for (const peer of membersOf(id, 'team', h, reports)) out.add(peer);
  }
  return out;
}
