import { ActivityFacts, ObjectiveFacts, PaymentFacts } from '../core/calculation/calculation-types';
import { activityKey, objectiveKey, paymentBookingErrors, paymentKey, validateActivitiesCsv, validateObjectivesCsv, validatePaymentsCsv } from '../core/intake/calc-facts-intake';
import { Decimal } from '../core/money/decimal';
import { BookingsRepository } from '../bookings/bookings.repository';
import { RepsRepository } from '../reps/reps.repository';
import { CalcFactsRepository } from './calc-facts.repository';
import { keyedImport, planByKey } from './keyed-import';

/**
 * Payments, activities and objective results (issue 15): keyed rows, created when new, updated in place when a
 * field changed (the audit events keep what it was, every field of it), left alone when the same. Each created or
 * updated row records this import as its source.
 */

/** A record's fields for the audit events: decimals as strings. */
const plain = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Decimal ? v.toFixed() : v]));

const paymentFields = (p: PaymentFacts) => ({ paymentId: p.paymentId, bookingId: p.bookingId, amount: p.amount, currency: p.currency, paidDate: p.paidDate, kind: p.kind });
const activityFields = (a: ActivityFacts) => ({ activityId: a.activityId, repId: a.repId, kind: a.kind, date: a.date, quantity: a.quantity });
const objectiveFields = (o: ObjectiveFacts) => ({ repId: o.repId, objectiveId: o.objectiveId, window: o.window, score: o.score });

/** payments.csv: keyed by payment_id; each payment's booking must be stored, and the payment in its currency. */
export function paymentImport(bookings: BookingsRepository, facts: CalcFactsRepository) {
  return keyedImport({
    action: 'payment',
    entityType: 'payment',
    key: paymentKey,
    read: async (_em, { file, content, settings }) => validatePaymentsCsv(content, file, settings.maxErrors),
    async check(em, { records }, { file }) {
      // the current version's currency of each booking the file names
      const currencies = await bookings.currentCurrencies(em, [...new Set(records.map((r) => r.bookingId))]);
      return paymentBookingErrors(records, file, currencies);
    },
    async plan(em, { records }) {
      const stored = await facts.payments(em, records.map(paymentKey));
      return planByKey(records, new Map(stored.map((p) => [paymentKey(p), p])), paymentKey, paymentFields);
    },
    insert: (tx, records, batch) => facts.insertPayments(tx, records, batch.id),
    update: (tx, records, batch) => facts.updatePayments(tx, records, batch.id),
    fields: (p: PaymentFacts) => plain(paymentFields(p)),
    updateShows: 'all',
  });
}

/** activities.csv: keyed by activity_id; the rep must be stored. */
export function activityImport(reps: RepsRepository, facts: CalcFactsRepository) {
  return keyedImport({
    action: 'activity',
    entityType: 'activity',
    key: activityKey,
    read: async (em, { file, content, settings }) => validateActivitiesCsv(content, file, await reps.ids(em), settings.maxErrors),
    async plan(em, { records }) {
      const stored = await facts.activities(em, records.map(activityKey));
      return planByKey(records, new Map(stored.map((a) => [activityKey(a), a])), activityKey, activityFields);
    },
    insert: (tx, records, batch) => facts.insertActivities(tx, records, batch.id),
    update: (tx, records, batch) => facts.updateActivities(tx, records, batch.id),
    fields: (a: ActivityFacts) => plain(activityFields(a)),
    updateShows: 'all',
  });
}

/** objectives.csv: keyed by rep_id + objective_id + window; the rep must be stored. */
export function objectiveImport(reps: RepsRepository, facts: CalcFactsRepository) {
  return keyedImport({
    action: 'objective_result',
    entityType: 'objective_result',
    key: objectiveKey,
    read: async (em, { file, content, settings }) => validateObjectivesCsv(content, file, await reps.ids(em), settings.maxErrors),
    async plan(em, { records }) {
      const stored = await facts.objectiveResults(em, [...new Set(records.map((r) => r.repId))]);
      return planByKey(records, new Map(stored.map((o) => [objectiveKey(o), o])), objectiveKey, objectiveFields);
    },
    insert: (tx, records, batch) => facts.insertObjectiveResults(tx, records, batch.id),
    update: (tx, records, batch) => facts.updateObjectiveResults(tx, records, batch.id),
    fields: (o: ObjectiveFacts) => plain(objectiveFields(o)),
    updateShows: 'all',
  });
}
