import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { AUDIT_CSV_COLUMNS, auditCsvLine, AuditEventPage, AuditQueryService } from './audit-query.service';
import { AUDIT_PAGE_MAX, ListAuditEventsQuery } from './dto/list-audit-events.query';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Roles('admin', 'auditor')
  @Get()
  @ApiOperation({ summary: 'Audit trail, newest first; filter by actor, action, period, entityType/entityId; page with cursor = nextCursor' })
  list(@Query() q: ListAuditEventsQuery): Promise<AuditEventPage> {
    return this.audit.list(q);
  }

  /** Every event the filters match (not one page), newest first, streamed a page at a time. */
  @Roles('admin', 'auditor')
  @Get('export.csv')
  @ApiOperation({ summary: 'The audit trail as CSV, with the same filters (limit and cursor ignored)' })
  async exportCsv(@Query() q: ListAuditEventsQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment('audit-events.csv');
    res.write(`${AUDIT_CSV_COLUMNS.join(',')}\n`);
    let cursor: string | undefined;
    do {
      const page = await this.audit.list({ ...q, limit: AUDIT_PAGE_MAX, cursor });
      if (page.items.length) res.write(`${page.items.map(auditCsvLine).join('\n')}\n`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.end();
  }
}
