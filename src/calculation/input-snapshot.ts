import type { ShardInput } from './shard-compute';

/** The inputs a run read, kept with the run so a period can be recalculated byte for byte. */
export interface InputSnapshot {
  reps: ShardInput['reps'];
  assignments: ShardInput['assignments'];
  fx: ShardInput['fx'];
  /** Plan version hashes. */
  plans: string[];
  /** [id, repId, amount, reasonCode, note, originPeriod, originRef] */
  adjustments: ShardInput['adjustments'][number][1];
  /** CURRENCY_MINOR_UNITS when the run was made (absent in runs from before minor units were per currency: ISO). */
  minorUnits?: ShardInput['minorUnits'];
  /** Payments, activities and objective results the run read (absent when there were none: older runs read as before). */
  payments?: NonNullable<ShardInput['payments']>;
  activities?: NonNullable<ShardInput['activities']>;
  objectives?: NonNullable<ShardInput['objectives']>;
}
