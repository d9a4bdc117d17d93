import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditEventsRepository } from './audit-events.repository';

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
  constructor(private readonly events: AuditEventsRepository) {}

  async record(em: EntityManager, actor: Actor, rec: AuditRecord): Promise<void> {
    await this.recordMany(em, actor, [rec]);
  }

  /** Appends the events in the order given, a few thousand per statement. */
  async recordMany(em: EntityManager, actor: Actor, recs: AuditRecord[]): Promise<void> {
    for (let i = 0; i < recs.length; i += CHUNK) {
      const chunk = recs.slice(i, i + CHUNK).map((r) => ({ action: r.action, entityType: r.entityType, entityId: r.entityId, before: jsonText(r.before), after: jsonText(r.after) }));
      await this.events.append(em, actor.label, actor.requestId ?? null, chunk);
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
