import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IntakeKind } from '../core/intake/intake';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

/** An imported file as recorded: what it held and what it changed. */
export interface NewImportBatch {
  kind: IntakeKind;
  fileName: string;
  sha256: string;
  rowCount: number;
  created: number;
  changed: number;
  unchanged: number;
  actor: string;
}

/** The import_batches table (one row per imported file), and the store-wide upkeep of imports. */
@Injectable()
export class ImportBatchesRepository {
  constructor(private readonly db: Db) {}

  /** Holds the imports' lock until the transaction ends: imports run one at a time. */
  async lock(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('commission-engine:imports'))`);
  }

  /** Records a batch; its id. */
  async insert(em: EntityManager, b: NewImportBatch): Promise<string> {
    const [batch] = returnedRows<{ id: string }>(
      await em.query(
        `INSERT INTO import_batches (kind, file_name, sha256, row_count, created, changed, unchanged, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [b.kind, b.fileName, b.sha256, b.rowCount, b.created, b.changed, b.unchanged, b.actor],
      ),
    );
    return batch.id;
  }

  /**
   * Refreshes the planner's statistics of the tables an import of `kind` wrote, as their owner (only the owner may
   * ANALYZE, and the service works as a role that owns nothing): see refresh_statistics, migration 1768262400000-app-role.
   */
  async refreshStatistics(kind: IntakeKind): Promise<void> {
    await this.db.query(`SELECT refresh_statistics($1)`, [kind]);
  }
}
