import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonSyntaxError, planHash } from '../core/plans/canonical-json';
import { PlanDocument } from '../core/plans/plan-types';
import { planWarnings } from '../core/plans/plan-warnings';
import { validatePlan } from '../core/plans/validate-plan';

export interface PlanFileReport {
  file: string;
  planId?: string;
  version?: number;
  hash?: string;
  problems: string[];
  /** What validates but cannot pay (core/plans/plan-warnings.ts): `plans validate --strict` makes them errors. */
  warnings: string[];
}

/** Plan files of a file or directory (directories: every *.json directly inside; schema/ is a folder, so skipped). */
export function planFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  return fs
    .readdirSync(target)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(target, f));
}

/** Reads and validates one plan file: JSON syntax errors name line and column, plan errors their JSON path. */
export function validatePlanFile(file: string, shownAs?: string): PlanFileReport & { document?: PlanDocument } {
  // named as the user gave it (a CLI argument), else relative to the working directory
  const name = shownAs ?? (path.relative(process.cwd(), file) || file);
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { file: name, problems: [jsonSyntaxError(text, e)], warnings: [] };
  }
  const problems = validatePlan(doc).map((p) => `${p.path}: ${p.message}`);
  const d = doc as PlanDocument;
  return {
    file: name,
    planId: typeof d?.id === 'string' ? d.id : undefined,
    version: typeof d?.version === 'number' ? d.version : undefined,
    hash: problems.length ? undefined : planHash(doc as Record<string, unknown>),
    problems,
    warnings: problems.length ? [] : planWarnings(d).map((p) => `${p.path}: ${p.message}`),
    document: problems.length ? undefined : d,
  };
}

/** `shownAs`: the target as the user wrote it; files are named from it ("../x/plans/a.json" stays that). */
export function validatePlanTarget(target: string, shownAs?: string): PlanFileReport[] {
  return planFiles(target).map((f) => {
    const name = shownAs === undefined ? undefined : f === target ? shownAs : path.join(shownAs, path.basename(f));
    const { document: _d, ...report } = validatePlanFile(f, name);
    return report;
  });
}
