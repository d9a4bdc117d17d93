import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DISPUTE_STATUSES } from '../../core/disputes/dispute-rules';

/** GET /disputes: the disputes the caller may see, optionally of one status and/or period. */
export class ListDisputesQuery {
  @ApiPropertyOptional({ enum: DISPUTE_STATUSES })
  @IsOptional()
  @IsIn([...DISPUTE_STATUSES])
  status?: string;

  @ApiPropertyOptional({ example: '2026-02' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period?: string;
}

/** GET /disputes/stats: the period's figures (disputes whose period it is) next to the overall ones. */
export class DisputeStatsQuery {
  @ApiPropertyOptional({ example: '2026-02' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period?: string;
}
