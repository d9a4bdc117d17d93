import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes append-only audit events inside the caller's transaction, so a rolled-back mutation leaves no event. */
@Injectable()
export class AuditService {
  async record(em: EntityManager, actor: Actor, rec: AuditRecord): Promise<void> {
    await this.recordMany(em, actor, [rec]);
  }

  /**
   * One INSERT per few thousand events, from column arrays (payloads as JSON text), in the order given: ids and
   * occurred_at as single inserts would give them, at a fraction of the cost for an import's thousands of events.
   */
  async recordMany(em: EntityManager, actor: Actor, recs: AuditRecord[]): Promise<void> {
    for (let i = 0; i < recs.length; i += CHUNK) {
      const chunk = recs.slice(i, i + CHUNK);
      await em.query(
        `INSERT INTO audit_events (actor, action, entity_type, entity_id, before, after, request_id)
         SELECT $1, u.action, u.entity_type, u.entity_id, u.before::jsonb, u.after::jsonb, $2
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(action, entity_type, entity_id, before, after, n)
          ORDER BY u.n`,
        [
          actor.label,
          actor.requestId ?? null,
          chunk.map((r) => r.action),
          chunk.map((r) => r.entityType),
          chunk.map((r) => r.entityId),
          chunk.map((r) => jsonText(r.before)),
          chunk.map((r) => jsonText(r.after)),
        ],
      );
    }
  }
}

const CHUNK = 5000;

/**
 * A payload as JSON text, or null (SQL NULL) for none. Decimals become strings, Dates ISO strings: audit payloads
 * never hold a JS number for money.
 */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && v.constructor?.name === 'Decimal' ? v.toFixed() : v)) ?? null;
}
