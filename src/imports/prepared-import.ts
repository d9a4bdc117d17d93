import { EntityManager } from 'typeorm';
import { MinorUnits } from '../core/money/minor-units';
import { AuditRecord } from '../audit/audit.service';
import { Actor } from '../auth/actor';

export type OnProgress = (bytesDone: number, bytesTotal: number) => void;

/** What an import reads from configuration. */
export interface ImportSettings {
  /** Decimals of each currency's minor unit (amounts paid are checked against it). */
  minorUnits: MinorUnits;
  /** How many problems a rejected file's report lists (IMPORT_MAX_ERRORS); all of them are counted. */
  maxErrors: number;
}

/**
 * A validated file compared with the store: the counts are known before anything is written, and `apply` writes
 * the creates and changes (set-based) and returns one audit record per created or changed entity, for the service
 * to record after the import's own event; an import with many entities may instead write those events itself, in
 * the same statements as the entities (bookings do), and return none.
 */
export interface PreparedImport {
  rows: number;
  created: number;
  changed: number;
  unchanged: number;
  /** Records the import replaces (kept, marked superseded): payroll files replace a period's records. */
  superseded?: number;
  apply(em: EntityManager, batchId: string, actor: Actor): Promise<AuditRecord[]>;
}

/** Every rep id in the store (reps are few: one per payee), for "does this rep exist" checks without a query per row. */
export async function storedRepIds(em: EntityManager): Promise<Set<string>> {
  const rows: { rep_id: string }[] = await em.query(`SELECT rep_id FROM reps`);
  return new Set(rows.map((r) => r.rep_id));
}
