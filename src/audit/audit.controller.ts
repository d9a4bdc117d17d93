import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { AuditEventPage, AuditQueryService } from './audit-query.service';
import { ListAuditEventsQuery } from './dto/list-audit-events.query';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Roles('admin', 'auditor')
  @Get()
  @ApiOperation({ summary: 'Audit trail, newest first; filter by entityType/entityId, page with cursor = nextCursor' })
  list(@Query() q: ListAuditEventsQuery): Promise<AuditEventPage> {
    return this.audit.list(q);
  }
}
