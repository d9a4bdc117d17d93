import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ActivityFacts, ObjectiveFacts, PaymentFacts } from '../core/calculation/calculation-types';
import { Decimal } from '../core/money/decimal';
import { Col, insertMany, selectByChunks, updateMany } from '../infra/sql-batch';

/** A keyed table of facts: its key and field columns, and a record's values in that order (decimals as strings). */
interface FactsTable<T> {
  table: string;
  key: Col[];
  fields: Col[];
  values: (r: T) => unknown[];
}

/** Every import writes itself as the source of the rows it creates or updates. */
const IMPORT_ID: Col = { name: 'import_id', type: 'bigint' };

const PAYMENTS: FactsTable<PaymentFacts> = {
  table: 'payments',
  key: [{ name: 'payment_id', type: 'text' }],
  fields: [
    { name: 'booking_id', type: 'text' },
    { name: 'amount', type: 'numeric' },
    { name: 'currency', type: 'text' },
    { name: 'paid_date', type: 'date' },
    { name: 'kind', type: 'text' },
  ],
  values: (p) => [p.paymentId, p.bookingId, p.amount.toFixed(), p.currency, p.paidDate, p.kind],
};

const ACTIVITIES: FactsTable<ActivityFacts> = {
  table: 'activities',
  key: [{ name: 'activity_id', type: 'text' }],
  fields: [
    { name: 'rep_id', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'activity_date', type: 'date' },
    { name: 'quantity', type: 'numeric' },
  ],
  values: (a) => [a.activityId, a.repId, a.kind, a.date, a.quantity.toFixed()],
};

const OBJECTIVE_RESULTS: FactsTable<ObjectiveFacts> = {
  table: 'objective_results',
  key: [
    { name: 'rep_id', type: 'text' },
    { name: 'objective_id', type: 'text' },
    { name: 'window_key', type: 'text' },
  ],
  fields: [{ name: 'score', type: 'numeric' }],
  values: (o) => [o.repId, o.objectiveId, o.window, o.score.toFixed()],
};

/**
 * The facts plan mechanics read besides bookings (issue 15), as their imports write them: payments, activities and
 * objective_results, each keyed (payment_id; activity_id; rep_id + objective_id + window_key).
 */
@Injectable()
export class CalcFactsRepository {
  /** The stored payments with these ids. */
  async payments(em: EntityManager, paymentIds: readonly string[]): Promise<PaymentFacts[]> {
    const rows = await selectByChunks<{ payment_id: string; booking_id: string; amount: string; currency: string; paid_date: string; kind: PaymentFacts['kind'] }>(
      em,
      `SELECT payment_id, booking_id, amount::text AS amount, currency, paid_date::text AS paid_date, kind FROM payments WHERE payment_id = ANY($1::text[])`,
      paymentIds,
    );
    return rows.map((r) => ({ paymentId: r.payment_id, bookingId: r.booking_id, amount: new Decimal(r.amount), currency: r.currency, paidDate: r.paid_date, kind: r.kind }));
  }

  /** The stored activities with these ids. */
  async activities(em: EntityManager, activityIds: readonly string[]): Promise<ActivityFacts[]> {
    const rows = await selectByChunks<{ activity_id: string; rep_id: string; kind: string; activity_date: string; quantity: string }>(
      em,
      `SELECT activity_id, rep_id, kind, activity_date::text AS activity_date, quantity::text AS quantity FROM activities WHERE activity_id = ANY($1::text[])`,
      activityIds,
    );
    return rows.map((r) => ({ activityId: r.activity_id, repId: r.rep_id, kind: r.kind, date: r.activity_date, quantity: new Decimal(r.quantity) }));
  }

  /** Every stored objective result of these reps. */
  async objectiveResults(em: EntityManager, repIds: readonly string[]): Promise<ObjectiveFacts[]> {
    const rows = await selectByChunks<{ rep_id: string; objective_id: string; window_key: string; score: string }>(
      em,
      `SELECT rep_id, objective_id, window_key, score::text AS score FROM objective_results WHERE rep_id = ANY($1::text[])`,
      repIds,
    );
    return rows.map((r) => ({ repId: r.rep_id, objectiveId: r.objective_id, window: r.window_key, score: new Decimal(r.score) }));
  }

  async insertPayments(em: EntityManager, rows: readonly PaymentFacts[], importId: string): Promise<void> {
    await this.insert(em, PAYMENTS, rows, importId);
  }

  async updatePayments(em: EntityManager, rows: readonly PaymentFacts[], importId: string): Promise<void> {
    await this.update(em, PAYMENTS, rows, importId);
  }

  async insertActivities(em: EntityManager, rows: readonly ActivityFacts[], importId: string): Promise<void> {
    await this.insert(em, ACTIVITIES, rows, importId);
  }

  async updateActivities(em: EntityManager, rows: readonly ActivityFacts[], importId: string): Promise<void> {
    await this.update(em, ACTIVITIES, rows, importId);
  }

  async insertObjectiveResults(em: EntityManager, rows: readonly ObjectiveFacts[], importId: string): Promise<void> {
    await this.insert(em, OBJECTIVE_RESULTS, rows, importId);
  }

  async updateObjectiveResults(em: EntityManager, rows: readonly ObjectiveFacts[], importId: string): Promise<void> {
    await this.update(em, OBJECTIVE_RESULTS, rows, importId);
  }

  private async insert<T>(em: EntityManager, t: FactsTable<T>, rows: readonly T[], importId: string): Promise<void> {
    await insertMany(em, t.table, [...t.key, ...t.fields, IMPORT_ID], rows.map((r) => [...t.values(r), importId]));
  }

  /** Sets every field of the rows with these keys. */
  private async update<T>(em: EntityManager, t: FactsTable<T>, rows: readonly T[], importId: string): Promise<void> {
    await updateMany(em, t.table, t.key, [...t.fields, IMPORT_ID], rows.map((r) => [...t.values(r), importId]), 'updated_at = now()');
  }
}
