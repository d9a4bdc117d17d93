import { Injectable } from '@nestjs/common';
import { auditActionWords } from '../core/audit/audit-words';
import { csvLine } from '../core/csv/write-csv';
import { Db } from '../infra/db.service';
import { AUDIT_PAGE_DEFAULT, ListAuditEventsQuery } from './dto/list-audit-events.query';

export interface AuditEventView {
  /** bigint id as a string; also the paging cursor. */
  id: string;
  /** ISO 8601 in UTC ("2026-12-02T21:25:03.916Z"). */
  occurredAt: string;
  actor: string;
  action: string;
  /** The action in words ("closed a period"). */
  actionText: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditEventPage {
  items: AuditEventView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
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

/** Read side of the append-only audit trail. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly db: Db) {}

  async list(q: ListAuditEventsQuery): Promise<AuditEventPage> {
    const limit = q.limit ?? AUDIT_PAGE_DEFAULT;
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.entityType !== undefined) {
      params.push(q.entityType);
      where.push(`e.entity_type = $${params.length}`);
    }
    if (q.entityId !== undefined) {
      params.push(q.entityId);
      where.push(`e.entity_id = $${params.length}`);
    }
    if (q.actor !== undefined) {
      params.push(`%${q.actor.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`lower(e.actor) LIKE $${params.length}`);
    }
    if (q.action !== undefined) {
      params.push(q.action, `${q.action}.%`);
      where.push(`(e.action = $${params.length - 1} OR e.action LIKE $${params.length})`);
    }
    if (q.period !== undefined) {
      params.push(q.period);
      const p = `$${params.length}`;
      where.push(`((e.entity_type = 'period' AND e.entity_id = ${p}) OR e.after->>'period' = ${p} OR e.before->>'period' = ${p})`);
    }
    if (q.cursor !== undefined) {
      params.push(q.cursor);
      where.push(`e.id < $${params.length}::bigint`);
    }
    params.push(limit + 1);
    // id::text: node-pg returns bigint as a string, PGlite as a number; the API always says string. Order by the
    // table's bigint column (e.id), not by the text alias, which would sort "10" before "9".
    const rows = await this.db.query<AuditRow>(
      `SELECT e.id::text AS id, e.occurred_at, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after, e.request_id
         FROM audit_events e
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit).map(toView);
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }
}

export const AUDIT_CSV_COLUMNS = ['id', 'occurred_at', 'actor', 'action', 'action_text', 'entity_type', 'entity_id', 'before', 'after', 'request_id'];

/** One event as a CSV line (cells a spreadsheet would run as formulas are neutralised). */
export function auditCsvLine(e: AuditEventView): string {
  return csvLine([e.id, e.occurredAt, e.actor, e.action, e.actionText, e.entityType, e.entityId, e.before === null ? '' : JSON.stringify(e.before), e.after === null ? '' : JSON.stringify(e.after), e.requestId]);
}

function toView(r: AuditRow): AuditEventView {
  return {
    id: String(r.id),
    occurredAt: new Date(r.occurred_at).toISOString(),
    actor: r.actor,
    action: r.action,
    actionText: auditActionWords(r.action),
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    requestId: r.request_id ?? null,
  };
}
