import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditEventEntity } from './audit-event.entity';

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

  async recordMany(em: EntityManager, actor: Actor, recs: AuditRecord[]): Promise<void> {
    const CHUNK = 1000;
    for (let i = 0; i < recs.length; i += CHUNK) {
      await em.insert(
        AuditEventEntity,
        recs.slice(i, i + CHUNK).map((r) => ({
          actor: actor.label,
          action: r.action,
          entityType: r.entityType,
          entityId: r.entityId,
          before: r.before === undefined ? null : (toJson(r.before) as object),
          after: r.after === undefined ? null : (toJson(r.after) as object),
          requestId: actor.requestId ?? null,
        })),
      );
    }
  }
}

/** Decimals become strings, Dates ISO strings: audit payloads never hold a JS number for money. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && v.constructor?.name === 'Decimal' ? v.toFixed() : v)));
}
