import { EntityManager } from 'typeorm';
import { AuditRecord } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { RowError } from '../core/csv/read-csv';
import { rejectionOf } from '../core/intake/intake';
import { MinorUnits } from '../core/money/minor-units';

export type OnProgress = (bytesDone: number, bytesTotal: number) => void;

/** What an import reads from configuration. */
export interface ImportSettings {
  /** Decimals of each currency's minor unit (amounts paid are checked against it). */
  minorUnits: MinorUnits;
  /** How many problems a rejected file's report lists (IMPORT_MAX_ERRORS); all of them are counted. */
  maxErrors: number;
}

/** A file to import. */
export interface ImportInput {
  file: string;
  content: Buffer;
  /** Reading progress in bytes, for large files. */
  onProgress: OnProgress | undefined;
  settings: ImportSettings;
}

/** A file as its kind's intake read it: its data rows and its problems (any one rejects the file), and what it holds. */
export interface ReadFile {
  rows: number;
  errors: RowError[];
  errorCount: number;
  errorCountIsLowerBound?: boolean;
}

/** A valid file compared with the store: the counts, known before anything is written, and the changes to write. */
export interface Comparison<C> {
  created: number;
  changed: number;
  unchanged: number;
  /** Records the import replaces (kept, marked superseded): payroll files replace a period's records. */
  superseded?: number;
  changes: C;
}

/** The import being written: its batch (import_batches.id), who runs it, with what settings. */
export interface ImportBatch {
  id: string;
  actor: Actor;
  settings: ImportSettings;
}

/**
 * One kind of import, which `importer` runs. The file's columns and how each row is parsed and checked (naming the
 * file, line and column of every problem) are the kind's intake in core/intake, which `read` calls with what its
 * checks need from the store (known reps, plans, ...).
 */
export interface ImportSpec<F extends ReadFile, C> {
  /** Reads the whole file; the problems it lists reject it. */
  read(em: EntityManager, input: ImportInput): Promise<F>;
  /** Checks a file that read well against the store (payments name stored bookings): more problems to reject it with. */
  check?(em: EntityManager, file: F, input: ImportInput): Promise<RowError[]>;
  /** Compares the valid file with the store: what is new, what changed, what is the same. */
  compare(em: EntityManager, file: F): Promise<Comparison<C>>;
  /**
   * Writes the changes (set-based) and returns one audit record per created or changed entity, for the service to
   * record after the import's own event; a kind with many entities may instead write those events itself, in the
   * same statements as the entities (bookings do), and return none.
   */
  apply(em: EntityManager, changes: C, batch: ImportBatch): Promise<AuditRecord[]>;
}

/** A validated file compared with the store, ready to be written once the service has recorded its batch. */
export interface PreparedImport {
  rows: number;
  created: number;
  changed: number;
  unchanged: number;
  superseded?: number;
  apply(em: EntityManager, batchId: string, actor: Actor): Promise<AuditRecord[]>;
}

export type Importer = (em: EntityManager, input: ImportInput) => Promise<PreparedImport>;

/**
 * The one skeleton of every import: read the file, reject it whole (nothing written) when any row is bad, with every
 * problem listed; compare it with the store; hand back the counts and the writing of the differences, so that
 * re-importing a file writes nothing.
 */
export function importer<F extends ReadFile, C>(spec: ImportSpec<F, C>): Importer {
  return async (em, input) => {
    const file = await spec.read(em, input);
    if (file.errorCount) throw rejectionOf(input.file, file);
    const problems = spec.check ? await spec.check(em, file, input) : [];
    if (problems.length) throw rejectionOf(input.file, { errors: problems.slice(0, input.settings.maxErrors), errorCount: problems.length });
    const { changes, ...counts } = await spec.compare(em, file);
    return { rows: file.rows, ...counts, apply: (tx, batchId, actor) => spec.apply(tx, changes, { id: batchId, actor, settings: input.settings }) };
  };
}
