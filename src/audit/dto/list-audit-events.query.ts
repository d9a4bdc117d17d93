import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;

/** GET /audit-events: newest first, paged by an id cursor (`cursor` = the `nextCursor` of the previous page). */
export class ListAuditEventsQuery {
  @ApiPropertyOptional({ example: 'user' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  entityType?: string;

  @ApiPropertyOptional({ description: 'only with entityType in practice, but accepted alone' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ description: 'who: part of the actor label, any case ("finance", "demo:", "user:ada")', example: 'finance' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: 'what: an action ("period.close") or its prefix ("dispute")', example: 'dispute' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+(\.[a-z_]+)?$/, { message: 'action must be an action such as period.close, or its first part such as dispute' })
  action?: string;

  @ApiPropertyOptional({ description: 'events about a period: the period itself, or an entity whose before or after names it', example: '2026-02' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({ description: 'return events with an id below this one (exclusive)', example: '1234' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'cursor must be a positive integer id' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;
}
