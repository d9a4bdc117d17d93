/**
 * Audit actions in words, for people reading the trail (the portal, the CSV export). The codes stay what is stored;
 * an action not listed here reads as its code.
 */
export const AUDIT_ACTION_WORDS: Readonly<Record<string, string>> = {
  'import.reps': 'imported a reps file',
  'import.assignments': 'imported an assignments file',
  'import.bookings': 'imported a bookings file',
  'import.fx': 'imported an FX rates file',
  'import.payroll': 'imported a payroll file',
  'import.payments': 'imported a payments file',
  'import.activities': 'imported an activities file',
  'import.objectives': 'imported an objectives file',
  'rep.create': 'added a payee',
  'rep.update': 'changed a payee',
  'assignment.create': 'assigned a plan',
  'assignment.update': 'changed a plan assignment',
  'booking.create': 'added a booking',
  'booking.amend': 'amended a booking (new version)',
  'fx_rate.create': 'added an FX rate',
  'fx_rate.update': 'changed an FX rate',
  'payment.create': 'added a payment',
  'payment.update': 'changed a payment',
  'activity.create': 'added an activity',
  'activity.update': 'changed an activity',
  'objective_result.create': 'added an objective result',
  'objective_result.update': 'changed an objective result',
  'payroll.replace': "replaced a period's payroll records",
  'plan.load': 'loaded a plan version',
  'plan.version.create': 'saved a new plan version in the editor',
  'plan.acknowledge': 'acknowledged a written plan',
  'calculation.run': 'calculated a period',
  'calculation.orphan_removed': 'removed a run a killed close left behind',
  'period.approve': 'approved a period',
  'period.close': 'closed a period',
  'accounting.catch_up': 'ran the commission cost accounting of closed periods that had none',
  'adjustment.create': 'booked a manual adjustment',
  'dispute.raise': 'raised a dispute',
  'dispute.review': 'took a dispute into review',
  'dispute.uphold': 'upheld a dispute',
  'dispute.reject': 'rejected a dispute',
  'estimate.run': 'ran a what-if estimate',
  'user.create': 'created an API user',
  'user.revoke': "revoked a user's token",
};

export function auditActionWords(action: string): string {
  return AUDIT_ACTION_WORDS[action] ?? action;
}
