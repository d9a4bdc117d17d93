import { ErrorSink, readCsv, RowErrors } from '../csv/read-csv';
import { ChangePlan, changedFields, IntakeResult, planChanges } from './intake';
import { RowFields } from './row-fields';

export const REP_COLUMNS = ['rep_id', 'name', 'email', 'manager_id', 'role', 'hire_date', 'termination_date', 'currency'] as const;

export interface RepFields {
  repId: string;
  name: string;
  email: string;
  managerId: string | null;
  role: string;
  hireDate: string;
  terminationDate: string | null;
  currency: string;
}
export interface RepRecord extends RepFields {
  line: number;
}

/** Fields an import may change; rep_id is the key. */
export const REP_FIELDS = ['name', 'email', 'managerId', 'role', 'hireDate', 'terminationDate', 'currency'] as const;

export interface RepIntakeContext {
  /** Every stored rep, with its manager. */
  storedManagers: ReadonlyMap<string, string | null>;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** How many problems a rejected file lists (default MAX_LISTED_ERRORS); all are counted. */
  maxErrors?: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function validateRepsCsv(content: Buffer | string, file: string, ctx: RepIntakeContext): IntakeResult<RepRecord> {
  const errors = new RowErrors(REP_COLUMNS, ctx.maxErrors);
  const f = new RowFields(file, errors);
  const records: RepRecord[] = [];
  const firstLine = new Map<string, number>();
  const links: { line: number; repId: string; managerId: string | null }[] = [];

  const { rows } = readCsv(content, { file, columns: REP_COLUMNS, errors, onProgress: ctx.onProgress }, (row) => {
    f.at(row);
    const repId = f.id('rep_id');
    const name = f.text('name');
    const email = f.text('email');
    if (email !== undefined && !EMAIL.test(email)) f.fail('email', `"${email}" is not an email address`);
    const managerId = f.id('manager_id', 'optional');
    const role = f.text('role');
    const hireDate = f.date('hire_date');
    const terminationDate = f.date('termination_date', 'optional');
    if (hireDate && terminationDate && terminationDate < hireDate) {
      f.fail('termination_date', `"${terminationDate}" is before hire_date ${hireDate}`);
    }
    const currency = f.currency('currency');
    if (repId !== undefined) {
      const first = firstLine.get(repId);
      if (first !== undefined) f.fail('rep_id', `duplicate rep_id "${repId}" (first on line ${first})`);
      else firstLine.set(repId, row.line);
      if (managerId !== undefined) links.push({ line: row.line, repId, managerId });
    }
    if (f.ok) {
      records.push({ line: row.line, repId: repId!, name: name!, email: email!, managerId: managerId!, role: role!, hireDate: hireDate!, terminationDate: terminationDate!, currency: currency! });
    }
  });

  checkManagers(file, links, firstLine, ctx.storedManagers, errors);
  return { rows, records, errors: errors.listed(), errorCount: errors.length };
}

/** Every manager_id must name a rep in this file or in the store, and no chain of managers may loop. */
function checkManagers(
  file: string,
  links: { line: number; repId: string; managerId: string | null }[],
  inFile: ReadonlyMap<string, number>,
  stored: ReadonlyMap<string, string | null>,
  errors: ErrorSink,
): void {
  const managerOf = new Map(stored);
  for (const { line, repId, managerId } of links) {
    if (managerId === repId) {
      errors.push({ file, line, column: 'manager_id', message: `rep "${repId}" cannot be their own manager` });
      managerOf.set(repId, null);
    } else if (managerId !== null && !inFile.has(managerId) && !stored.has(managerId)) {
      errors.push({ file, line, column: 'manager_id', message: `manager "${managerId}" is neither in this file nor in the database` });
      managerOf.set(repId, null);
    } else {
      managerOf.set(repId, managerId);
    }
  }
  // Walk up from each rep of the file; a walk that meets its own path has found a loop.
  const state = new Map<string, 'walking' | 'done'>();
  const inLoop = new Set<string>();
  for (const { repId } of links) {
    const path: string[] = [];
    let cur: string | null | undefined = repId;
    while (cur != null && !state.has(cur)) {
      state.set(cur, 'walking');
      path.push(cur);
      cur = managerOf.get(cur);
    }
    if (cur != null && state.get(cur) === 'walking') for (const r of path.slice(path.indexOf(cur))) inLoop.add(r);
    for (const r of path) state.set(r, 'done');
  }
  for (const { line, repId } of links) {
    if (!inLoop.has(repId)) continue;
    const chain = [repId];
    for (let m = managerOf.get(repId); m != null && m !== repId; m = managerOf.get(m)) chain.push(m);
    errors.push({ file, line, column: 'manager_id', message: `managers form a loop: ${[...chain, repId].join(' → ')}` });
  }
}

export function planRepChanges(records: readonly RepRecord[], stored: ReadonlyMap<string, RepFields>): ChangePlan<RepRecord, RepFields> {
  return planChanges(records, stored, (r) => r.repId, (before, after) => changedFields<RepFields>(before, after, REP_FIELDS));
}
