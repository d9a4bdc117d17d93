import { EntityManager } from 'typeorm';
import { ActivityFacts, ObjectiveFacts, PaymentFacts } from '../core/calculation/calculation-types';
import { activityKey, Keyed, objectiveKey, paymentBookingErrors, paymentKey, validateActivitiesCsv, validateObjectivesCsv, validatePaymentsCsv } from '../core/intake/calc-facts-intake';
import { IntakeResult, rejectionOf } from '../core/intake/intake';
import { Decimal } from '../core/money/decimal';
import { AuditRecord } from '../audit/audit.service';
import { ImportSettings, OnProgress, PreparedImport, storedRepIds } from './prepared-import';
import { Col, insertMany, selectByChunks, updateMany } from './sql-batch';

/**
 * Payments, activities and objective results (issue 15): keyed rows, created when new, updated in place when a
 * field changed (the audit events keep what it was), left alone when the same. One skeleton, one spec per kind.
 */
interface KeyedSpec<T> {
  table: string;
  entity: string;
  key: (r: T) => string;
  keyCols: Col[];
  fieldCols: Col[];
  /** Values in keyCols + fieldCols order (decimals as strings). */
  values: (r: T) => unknown[];
  /** The stored rows with the file's keys, as records. */
  stored: (em: EntityManager, records: T[]) => Promise<Map<string, T>>;
  fields: (r: T) => Record<string, unknown>;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a).filter((k) => {
    const x = a[k];
    const y = b[k];
    return x instanceof Decimal && y instanceof Decimal ? !x.eq(y) : x !== y;
  });
}

function prepareKeyed<T>(spec: KeyedSpec<T>, result: IntakeResult<Keyed<T>>, stored: Map<string, T>): PreparedImport {
  const create: T[] = [];
  const update: { record: T; before: T; changed: string[] }[] = [];
  let unchanged = 0;
  for (const r of result.records) {
    const before = stored.get(spec.key(r));
    if (!before) create.push(r);
    else {
      const changed = sameRecord(spec.fields(before), spec.fields(r));
      if (changed.length) update.push({ record: r, before, changed });
      else unchanged++;
    }
  }
  const plain = (r: T) => Object.fromEntries(Object.entries(spec.fields(r)).map(([k, v]) => [k, v instanceof Decimal ? v.toFixed() : v]));
  return {
    rows: result.rows,
    created: create.length,
    changed: update.length,
    unchanged,
    async apply(tx, batchId): Promise<AuditRecord[]> {
      const importCol: Col = { name: 'import_id', type: 'bigint' };
      await insertMany(tx, spec.table, [...spec.keyCols, ...spec.fieldCols, importCol], create.map((r) => [...spec.values(r), batchId]));
      await updateMany(tx, spec.table, spec.keyCols, [...spec.fieldCols, importCol], update.map((u) => [...spec.values(u.record), batchId]), 'updated_at = now()');
      return [
        ...create.map((r) => ({ action: `${spec.entity}.create`, entityType: spec.entity, entityId: spec.key(r), after: plain(r) })),
        ...update.map((u) => ({ action: `${spec.entity}.update`, entityType: spec.entity, entityId: spec.key(u.record), before: plain(u.before), after: plain(u.record) })),
      ];
    },
  };
}

const PAYMENTS: KeyedSpec<PaymentFacts> = {
  table: 'payments',
  entity: 'payment',
  key: paymentKey,
  keyCols: [{ name: 'payment_id', type: 'text' }],
  fieldCols: [
    { name: 'booking_id', type: 'text' },
    { name: 'amount', type: 'numeric' },
    { name: 'currency', type: 'text' },
    { name: 'paid_date', type: 'date' },
    { name: 'kind', type: 'text' },
  ],
  values: (p) => [p.paymentId, p.bookingId, p.amount.toFixed(), p.currency, p.paidDate, p.kind],
  fields: (p) => ({ paymentId: p.paymentId, bookingId: p.bookingId, amount: p.amount, currency: p.currency, paidDate: p.paidDate, kind: p.kind }),
  async stored(em, records) {
    const rows = await selectByChunks<{ payment_id: string; booking_id: string; amount: string; currency: string; paid_date: string; kind: PaymentFacts['kind'] }>(
      em,
      `SELECT payment_id, booking_id, amount::text AS amount, currency, paid_date::text AS paid_date, kind FROM payments WHERE payment_id = ANY($1::text[])`,
      records.map(paymentKey),
    );
    return new Map(rows.map((r) => [r.payment_id, { paymentId: r.payment_id, bookingId: r.booking_id, amount: new Decimal(r.amount), currency: r.currency, paidDate: r.paid_date, kind: r.kind }]));
  },
};

const ACTIVITIES: KeyedSpec<ActivityFacts> = {
  table: 'activities',
  entity: 'activity',
  key: activityKey,
  keyCols: [{ name: 'activity_id', type: 'text' }],
  fieldCols: [
    { name: 'rep_id', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'activity_date', type: 'date' },
    { name: 'quantity', type: 'numeric' },
  ],
  values: (a) => [a.activityId, a.repId, a.kind, a.date, a.quantity.toFixed()],
  fields: (a) => ({ activityId: a.activityId, repId: a.repId, kind: a.kind, date: a.date, quantity: a.quantity }),
  async stored(em, records) {
    const rows = await selectByChunks<{ activity_id: string; rep_id: string; kind: string; activity_date: string; quantity: string }>(
      em,
      `SELECT activity_id, rep_id, kind, activity_date::text AS activity_date, quantity::text AS quantity FROM activities WHERE activity_id = ANY($1::text[])`,
      records.map(activityKey),
    );
    return new Map(rows.map((r) => [r.activity_id, { activityId: r.activity_id, repId: r.rep_id, kind: r.kind, date: r.activity_date, quantity: new Decimal(r.quantity) }]));
  },
};

const OBJECTIVES: KeyedSpec<ObjectiveFacts> = {
  table: 'objective_results',
  entity: 'objective_result',
  key: objectiveKey,
  keyCols: [
    { name: 'rep_id', type: 'text' },
    { name: 'objective_id', type: 'text' },
    { name: 'window_key', type: 'text' },
  ],
  fieldCols: [{ name: 'score', type: 'numeric' }],
  values: (o) => [o.repId, o.objectiveId, o.window, o.score.toFixed()],
  fields: (o) => ({ repId: o.repId, objectiveId: o.objectiveId, window: o.window, score: o.score }),
  async stored(em, records) {
    const reps = [...new Set(records.map((r) => r.repId))];
    const rows = await selectByChunks<{ rep_id: string; objective_id: string; window_key: string; score: string }>(
      em,
      `SELECT rep_id, objective_id, window_key, score::text AS score FROM objective_results WHERE rep_id = ANY($1::text[])`,
      reps,
    );
    return new Map(rows.map((r) => [objectiveKey({ repId: r.rep_id, objectiveId: r.objective_id, window: r.window_key }), { repId: r.rep_id, objectiveId: r.objective_id, window: r.window_key, score: new Decimal(r.score) }]));
  },
};

export async function preparePaymentImport(em: EntityManager, file: string, content: Buffer, _onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const result = validatePaymentsCsv(content, file, settings.maxErrors);
  if (result.errorCount) throw rejectionOf(file, result);
  // the current version's currency of each booking the file names
  const rows = await selectByChunks<{ booking_id: string; currency: string }>(
    em,
    `SELECT booking_id, currency FROM booking_versions WHERE superseded_by IS NULL AND booking_id = ANY($1::text[])`,
    [...new Set(result.records.map((r) => r.bookingId))],
  );
  const unknown = paymentBookingErrors(result.records, file, new Map(rows.map((r) => [r.booking_id, r.currency])));
  if (unknown.length) throw rejectionOf(file, { errors: unknown.slice(0, settings.maxErrors), errorCount: unknown.length });
  return prepareKeyed(PAYMENTS, result, await PAYMENTS.stored(em, result.records));
}

export async function prepareActivityImport(em: EntityManager, file: string, content: Buffer, _onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const result = validateActivitiesCsv(content, file, await storedRepIds(em), settings.maxErrors);
  if (result.errorCount) throw rejectionOf(file, result);
  return prepareKeyed(ACTIVITIES, result, await ACTIVITIES.stored(em, result.records));
}

export async function prepareObjectiveImport(em: EntityManager, file: string, content: Buffer, _onProgress: OnProgress | undefined, settings: ImportSettings): Promise<PreparedImport> {
  const result = validateObjectivesCsv(content, file, await storedRepIds(em), settings.maxErrors);
  if (result.errorCount) throw rejectionOf(file, result);
  return prepareKeyed(OBJECTIVES, result, await OBJECTIVES.stored(em, result.records));
}
