import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AssignmentsRepository } from '../assignments/assignments.repository';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { BookingsRepository } from '../bookings/bookings.repository';
import { IntakeKind } from '../core/intake/intake';
import { MinorUnits } from '../core/money/minor-units';
import { FxRatesRepository } from '../fx/fx-rates.repository';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlanVersionsRepository } from '../plans/plan-versions.repository';
import { PayrollRepository } from '../reconciliation/payroll.repository';
import { RepsRepository } from '../reps/reps.repository';
import { assignmentImport } from './assignment-import';
import { bookingImport } from './booking-import';
import { activityImport, objectiveImport, paymentImport } from './calc-facts-import';
import { CalcFactsRepository } from './calc-facts.repository';
import { fxImport } from './fx-import';
import { ImportBatchesRepository } from './import-batches.repository';
import { payrollImport } from './payroll-import';
import { Importer, importer, ImportSettings, OnProgress, PreparedImport } from './prepared-import';
import { repImport } from './rep-import';

export interface ImportSummary {
  kind: IntakeKind;
  file: string;
  /** Data rows in the file. */
  rows: number;
  /** Entities (reps, assignments, bookings, FX rates) created, changed and left as they were. */
  created: number;
  changed: number;
  unchanged: number;
  /** What created, changed and unchanged count (bookings are counted as bookings, rows as one per credited payee). */
  unit: string;
  /** Earlier records the import replaced (kept, marked superseded): payroll. */
  superseded?: number;
  batchId: string;
  /** The summary in words, the same in the CLI, the portal and the log. */
  text: string;
}

const UNITS: Record<IntakeKind, string> = {
  reps: 'reps',
  assignments: 'assignments',
  bookings: 'bookings',
  fx: 'FX rates',
  payroll: 'payroll records',
  payments: 'payments',
  activities: 'activities',
  objectives: 'objective results',
};

/** "2000 rows (one per credited payee): 1794 bookings, 1794 created, 0 changed, 0 unchanged": counts that add up. */
export function describeImport(s: Omit<ImportSummary, 'text'>): string {
  const rows = s.kind === 'bookings' ? `${s.rows} rows (one per credited payee)` : `${s.rows} rows`;
  const entities = s.created + s.changed + s.unchanged;
  const replaced = s.superseded ? `; ${s.superseded} earlier ${s.unit} of the same periods superseded (kept, marked with this import)` : '';
  return `${rows}: ${entities} ${s.unit}, ${s.created} created, ${s.changed} changed, ${s.unchanged} unchanged${replaced}`;
}

/** Same shape as the CLI progress bar. */
export interface ImportProgress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** Imports that change at least this many rows refresh the statistics of the tables they wrote. */
const ANALYZE_FROM_ROWS = 50_000;
/** Kinds whose tables the calculation reads in bulk (see refresh_statistics, migration 1768262400000-app-role). */
const ANALYZED_KINDS: ReadonlySet<IntakeKind> = new Set(['bookings', 'fx']);

/**
 * CSV intake. One file is one transaction: it is validated whole against the stored state (any bad row rejects it
 * with every problem listed, and nothing is written), compared with what is stored, and only the differences are
 * written, with set-based statements. Every import is recorded in import_batches with one audit event, plus one
 * event per created or changed entity (written set-based too).
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  private readonly settings: ImportSettings;

  /** Each kind's import: its spec in the one import skeleton. */
  private readonly importers: Record<IntakeKind, Importer>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly batches: ImportBatchesRepository,
    reps: RepsRepository,
    assignments: AssignmentsRepository,
    bookings: BookingsRepository,
    fx: FxRatesRepository,
    payroll: PayrollRepository,
    facts: CalcFactsRepository,
    planVersions: PlanVersionsRepository,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.settings = { minorUnits: new MinorUnits(cfg.currencyMinorUnits), maxErrors: cfg.importMaxErrors };
    this.importers = {
      reps: importer(repImport(reps)),
      assignments: importer(assignmentImport(reps, assignments, planVersions)),
      bookings: importer(bookingImport(reps, bookings)),
      fx: importer(fxImport(fx)),
      payroll: importer(payrollImport(reps, payroll)),
      payments: importer(paymentImport(bookings, facts)),
      activities: importer(activityImport(reps, facts)),
      objectives: importer(objectiveImport(reps, facts)),
    };
  }

  async importFile(kind: IntakeKind, file: string, content: Buffer, actor: Actor, progress?: ImportProgress): Promise<ImportSummary> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const summary = await this.db.tx(async (em) => {
      // Imports run one at a time, so two files never race to version the same booking.
      await this.batches.lock(em);
      const prepared = await this.prepare(kind, em, file, content, progress);
      const { rows, created, changed, unchanged } = prepared;
      const batchId = await this.batches.insert(em, { kind, fileName: file, sha256, rowCount: rows, created, changed, unchanged, actor: actor.label });
      const base = { kind, file, rows, created, changed, unchanged, unit: UNITS[kind], ...(prepared.superseded ? { superseded: prepared.superseded } : {}), batchId };
      const result: ImportSummary = { ...base, text: describeImport(base) };
      // The import's event first, then one per created or changed entity.
      await this.audit.record(em, actor, { action: `import.${kind}`, entityType: 'import_batch', entityId: batchId, after: { ...result, sha256 } });
      await this.audit.recordMany(em, actor, await prepared.apply(em, batchId, actor));
      return result;
    });
    this.logger.log(`imported ${kind} ${file} (batch ${summary.batchId}): ${summary.text}`);
    if (summary.created + summary.changed >= ANALYZE_FROM_ROWS && ANALYZED_KINDS.has(kind)) {
      // A large load leaves the planner's statistics behind until autovacuum comes by; the calculation that usually
      // follows an import plans its queries with them, so they are refreshed now (a few hundred ms per million rows).
      // As the tables' owner: only the owner may ANALYZE, and the service works as a role that owns nothing.
      await this.batches.refreshStatistics(kind);
    }
    return summary;
  }

  private async prepare(kind: IntakeKind, em: EntityManager, file: string, content: Buffer, progress?: ImportProgress): Promise<PreparedImport> {
    let started = false;
    const onProgress: OnProgress | undefined = progress
      ? (done, total) => {
          if (!started) progress.start(total, `reading ${file} (bytes)`);
          started = true;
          progress.update(done);
        }
      : undefined;
    try {
      return await this.importers[kind](em, { file, content, onProgress, settings: this.settings });
    } finally {
      if (started) progress?.stop();
    }
  }
}
