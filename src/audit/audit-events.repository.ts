import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db } from '../infra/db.service';

/** An event to append, its payloads already JSON text (or null). */
export interface NewAuditEvent {
  action: string;
  entityType: string;
  entityId: string;
  before: string | null;
  after: string | null;
}

/** A stored event as the audit trail's readers see it. */
export interface StoredAuditEvent {
  /** bigint id as a string; also the paging cursor. */
  id: string;
  occurredAt: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Which events to read (every filter optional; all given ones must hold), newest first. */
export interface AuditEventFilter {
  entityType?: string;
  entityId?: string;
  /** Part of the actor's label, any case. */
  actor?: string;
  /** An action or its family: `period` matches `period` and `period.*`. */
  action?: string;
  /** Events about a period: the period itself, or a payload naming it. */
  period?: string;
  /** Only events older than this id. */
  before?: string;
}

interface AuditRow {
  id: string;
  occurred_at: Date | string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/** The append-only audit_events table (the database refuses updates and deletes). */
@Injectable()
export class AuditEventsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends events in the caller's transaction with one INSERT from column arrays, in the order given: ids and
   * occurred_at as single inserts would give them, at a fraction of the cost for an import's thousands of events.
   */
  async append(em: EntityManager, actor: string, requestId: string | null, events: NewAuditEvent[]): Promise<void> {
    await em.query(
      `INSERT INTO audit_events (actor, action, entity_type, entity_id, before, after, request_id)
       SELECT $1, u.action, u.entity_type, u.entity_id, u.before::jsonb, u.after::jsonb, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(action, entity_type, entity_id, before, after, n)
        ORDER BY u.n`,
      [
        actor,
        requestId,
        events.map((e) => e.action),
        events.map((e) => e.entityType),
        events.map((e) => e.entityId),
        events.map((e) => e.before),
        events.map((e) => e.after),
      ],
    );
  }

  /** Up to `limit` events matching the filter, newest first. */
  async find(f: AuditEventFilter, limit: number): Promise<StoredAuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.entityType !== undefined) where.push(`e.entity_type = ${param(f.entityType)}`);
    if (f.entityId !== undefined) where.push(`e.entity_id = ${param(f.entityId)}`);
    if (f.actor !== undefined) where.push(`lower(e.actor) LIKE ${param(`%${f.actor.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (f.action !== undefined) where.push(`(e.action = ${param(f.action)} OR e.action LIKE ${param(`${f.action}.%`)})`);
    if (f.period !== undefined) {
      const p = param(f.period);
      where.push(`((e.entity_type = 'period' AND e.entity_id = ${p}) OR e.after->>'period' = ${p} OR e.before->>'period' = ${p})`);
    }
    if (f.before !== undefined) where.push(`e.id < ${param(f.before)}::bigint`);
    // id::text: node-pg returns bigint as a string, PGlite as a number; the API always says string. Order by the
    // table's bigint column (e.id), not by the text alias, which would sort "10" before "9".
    const rows = await this.db.query<AuditRow>(
      `SELECT e.id::text AS id, e.occurred_at, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after, e.request_id
         FROM audit_events e
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.id DESC
        LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      occurredAt: new Date(r.occurred_at),
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before ?? null,
      after: r.after ?? null,
      requestId: r.request_id ?? null,
    }));
  }

  /** What the first event of this action on an entity recorded (its `after`), or null when there is none. */
  async firstAfter(entityType: string, entityId: string, action: string): Promise<Record<string, unknown> | null> {
    const [event] = await this.db.query<{ after: Record<string, unknown> | null }>(
      `SELECT after FROM audit_events WHERE entity_type = $1 AND entity_id = $2 AND action = $3 ORDER BY id LIMIT 1`,
      [entityType, entityId, action],
    );
    return event?.after ?? null;
  }
}
