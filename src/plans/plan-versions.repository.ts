import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { PlanDocument } from '../core/plans/plan-types';
import { Db } from '../infra/db.service';

/** A plan version to store: immutable once stored (a change is the next version). */
export interface NewPlanVersion {
  planId: string;
  version: number;
  contentHash: string;
  effectiveFrom: string;
  effectiveTo: string;
  document: PlanDocument;
  /** The file it was loaded from, or `editor:<actor>`. */
  sourceFile: string;
}

const parse = (d: PlanDocument | string): PlanDocument => (typeof d === 'string' ? (JSON.parse(d) as PlanDocument) : d);

/** The plan_versions table. */
@Injectable()
export class PlanVersionsRepository {
  constructor(private readonly db: Db) {}

  /** The content hash of a stored version, or null when it is not stored. */
  async hashOf(em: EntityManager, planId: string, version: number): Promise<string | null> {
    const [row] = await em.query(`SELECT content_hash FROM plan_versions WHERE plan_id = $1 AND version = $2`, [planId, version]);
    return (row as { content_hash: string } | undefined)?.content_hash ?? null;
  }

  /** The document of the version with this content hash (a payout names the plan it was paid under by hash). */
  async documentByHash(contentHash: string): Promise<PlanDocument | null> {
    const [row] = await this.db.query<{ document: PlanDocument | string }>(`SELECT document FROM plan_versions WHERE content_hash = $1`, [contentHash]);
    return row ? parse(row.document) : null;
  }

  /** The ids of the loaded plans (what an assignment may name), read in the caller's transaction. */
  async planIds(em: EntityManager): Promise<Set<string>> {
    const rows: { plan_id: string }[] = await em.query(`SELECT DISTINCT plan_id FROM plan_versions`);
    return new Set(rows.map((p) => p.plan_id));
  }

  /** The latest version of a plan. */
  async latest(planId: string): Promise<{ version: number; document: PlanDocument } | null> {
    const [row] = await this.db.query<{ version: number; document: PlanDocument | string }>(`SELECT version, document FROM plan_versions WHERE plan_id = $1 ORDER BY version DESC LIMIT 1`, [planId]);
    return row ? { version: Number(row.version), document: parse(row.document) } : null;
  }

  /** The latest version of a plan, locked for the transaction (so two saves cannot take the same number). */
  async latestForUpdate(em: EntityManager, planId: string): Promise<{ version: number; document: PlanDocument } | null> {
    const [row] = await em.query(`SELECT version, document FROM plan_versions WHERE plan_id = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE`, [planId]);
    if (!row) return null;
    const r = row as { version: number; document: PlanDocument | string };
    return { version: Number(r.version), document: parse(r.document) };
  }

  async insert(em: EntityManager, v: NewPlanVersion): Promise<void> {
    await em.query(
      `INSERT INTO plan_versions (plan_id, version, content_hash, effective_from, effective_to, document, source_file) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
      [v.planId, v.version, v.contentHash, v.effectiveFrom, v.effectiveTo, JSON.stringify(v.document), v.sourceFile],
    );
  }

  /**
   * Every stored version, by plan and version. Read on the data source's manager, not behind `Db`'s queue of the
   * embedded store: a calculation asks for them inside its own transaction.
   */
  async all(): Promise<PlanVersionFacts[]> {
    const rows: { plan_id: string; version: number; content_hash: string; document: PlanDocument | string }[] = await this.db.manager.query(
      `SELECT plan_id, version, content_hash, document FROM plan_versions ORDER BY plan_id, version`,
    );
    return rows.map((r) => ({ planId: r.plan_id, version: Number(r.version), hash: r.content_hash, document: parse(r.document) }));
  }
}
