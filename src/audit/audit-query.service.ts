import { Injectable } from '@nestjs/common';
import { auditActionWords } from '../core/audit/audit-words';
import { csvLine } from '../core/csv/write-csv';
import { AuditEventsRepository, StoredAuditEvent } from './audit-events.repository';
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

/** Read side of the append-only audit trail. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly events: AuditEventsRepository) {}

  async list(q: ListAuditEventsQuery): Promise<AuditEventPage> {
    const limit = q.limit ?? AUDIT_PAGE_DEFAULT;
    const rows = await this.events.find(
      { entityType: q.entityType, entityId: q.entityId, actor: q.actor, action: q.action, period: q.period, before: q.cursor },
      limit + 1,
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

function toView(e: StoredAuditEvent): AuditEventView {
  return { ...e, occurredAt: e.occurredAt.toISOString(), actionText: auditActionWords(e.action) };
}
