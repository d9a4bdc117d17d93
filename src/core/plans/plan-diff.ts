import type { PlanDocument } from './plan-types';

/**
 * What changed between two versions of a plan, in words: one sentence per changed value, named the way a comp admin
 * names things ("Quota commission (marginal tiers, YTD), tier "below 50%": rate 0.5 → 0.6"), not by JSON path alone
 * (the path is kept beside it). Pure.
 */
export interface PlanChange {
  /** JSON path of the value, e.g. "components[0].tiers[0].rate". */
  path: string;
  before: unknown;
  after: unknown;
  text: string;
}

/** Keys that say what a version is rather than what it pays: not reported as changes. */
const IDENTITY = new Set(['$schema', 'version']);

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** A readable name for a path inside the plan, using the labels and ids of the version that has the element. */
function nameOf(path: (string | number)[], doc: PlanDocument): string {
  const words: string[] = [];
  let node: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const parent = node as Record<string, unknown> | unknown[] | undefined;
    node = parent === undefined || parent === null ? undefined : (parent as Record<string | number, unknown>)[key];
    const el = node as { label?: string; id?: string } | undefined;
    if (typeof key === 'number') {
      const container = path[i - 1];
      const label = el && typeof el === 'object' ? (el.label ?? el.id) : undefined;
      if (container === 'components') words.push(label ?? `component ${key + 1}`);
      else if (container === 'tiers') words.push(`tier ${label ? `"${label}"` : key + 1}`);
      else if (container === 'rules') words.push(`crediting rule "${label ?? key + 1}"`);
      else words.push(`${String(container)} ${key + 1}`);
    } else if (key !== 'components' && key !== 'tiers' && !(key === 'rules' && path[i - 1] === 'crediting') && !(key === 'crediting' && path[i + 1] === 'rules')) {
      words.push(key);
    }
  }
  return words.join(', ');
}

function walk(before: unknown, after: unknown, path: (string | number)[], out: { path: (string | number)[]; before: unknown; after: unknown }[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const bothObjects = before !== null && after !== null && typeof before === 'object' && typeof after === 'object' && Array.isArray(before) === Array.isArray(after);
  if (!bothObjects) {
    out.push({ path, before, after });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], [...path, i], out);
    return;
  }
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (path.length === 0 && IDENTITY.has(key)) continue;
    walk(b[key], a[key], [...path, key], out);
  }
}

const jsonPath = (path: (string | number)[]): string => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

export function planDiff(before: PlanDocument, after: PlanDocument): PlanChange[] {
  const found: { path: (string | number)[]; before: unknown; after: unknown }[] = [];
  walk(before, after, [], found);
  return found.map((c) => {
    const name = nameOf(c.path, c.after === undefined ? before : after);
    const text =
      c.before === undefined
        ? `${name}: added ${show(c.after)}`
        : c.after === undefined
          ? `${name}: removed (was ${show(c.before)})`
          : `${name}: ${show(c.before)} → ${show(c.after)}`;
    return { path: jsonPath(c.path), before: c.before, after: c.after, text };
  });
}
