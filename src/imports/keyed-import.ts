import { EntityManager } from 'typeorm';
import { RowError } from '../core/csv/read-csv';
import { ChangePlan, IntakeResult, pick, planChanges, sameValue } from '../core/intake/intake';
import { ImportBatch, ImportInput, ImportSpec } from './prepared-import';

/**
 * A kind whose records are keyed (reps, assignments, FX rates, payments, activities, objective results): a record
 * with a new key is created, one whose fields differ from the stored record's is updated in place (its audit event
 * keeps what it was), one that is the same is left alone.
 *
 * `S` is a stored record, `R` a record of the file (the same fields, and its line).
 */
export interface KeyedKind<S, R extends S, F extends IntakeResult<R>> {
  /** The audit events: `<action>.create` and `<action>.update` about the `entityType` named by the record's key. */
  action: string;
  entityType: string;
  key(r: S): string;
  read(em: EntityManager, input: ImportInput): Promise<F>;
  check?(em: EntityManager, file: F, input: ImportInput): Promise<RowError[]>;
  /** The file's records against the stored ones with their keys. */
  plan(em: EntityManager, file: F): Promise<ChangePlan<R, S>>;
  insert(em: EntityManager, records: R[], batch: ImportBatch): Promise<void>;
  /** Sets every field of these records. */
  update(em: EntityManager, records: R[], batch: ImportBatch): Promise<void>;
  /** What an audit event shows of a record. */
  fields(r: S): Record<string, unknown>;
  /** Whether an update's event shows only the fields that changed, or all of them. */
  updateShows: 'changed' | 'all';
}

/** The import of a keyed kind. */
export function keyedImport<S, R extends S, F extends IntakeResult<R>>(kind: KeyedKind<S, R, F>): ImportSpec<F, ChangePlan<R, S>> {
  const shown = (u: ChangePlan<R, S>['update'][number]) =>
    kind.updateShows === 'changed'
      ? { before: pick(kind.fields(u.before), u.changed), after: pick(kind.fields(u.record), u.changed) }
      : { before: kind.fields(u.before), after: kind.fields(u.record) };
  return {
    read: kind.read.bind(kind),
    check: kind.check?.bind(kind),
    async compare(em, file) {
      const plan = await kind.plan(em, file);
      return { created: plan.create.length, changed: plan.update.length, unchanged: plan.unchanged, changes: plan };
    },
    async apply(tx, plan, batch) {
      await kind.insert(tx, plan.create, batch);
      await kind.update(tx, plan.update.map((u) => u.record), batch);
      return [
        ...plan.create.map((r) => ({ action: `${kind.action}.create`, entityType: kind.entityType, entityId: kind.key(r), after: kind.fields(r) })),
        ...plan.update.map((u) => ({ action: `${kind.action}.update`, entityType: kind.entityType, entityId: kind.key(u.record), ...shown(u) })),
      ];
    },
  };
}

/**
 * The change plan of records compared field by field (`fields`, Decimals by value) with the stored records of the
 * same key, for kinds without a planner of their own in core/intake.
 */
export function planByKey<S, R extends S>(records: readonly R[], stored: ReadonlyMap<string, S>, key: (r: S) => string, fields: (r: S) => Record<string, unknown>): ChangePlan<R, S> {
  return planChanges(records, stored, key, (before, after) => {
    const was = fields(before);
    const is = fields(after);
    return Object.keys(was).filter((k) => !sameValue(was[k], is[k]));
  });
}
