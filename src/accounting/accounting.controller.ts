import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { BACK_OFFICE, Roles } from '../auth/roles.decorator';
import { AccountingPeriodView, AccountingService, ScheduleView } from './accounting.service';

export class JournalQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class SchedulesQuery {
  @ApiPropertyOptional({ description: 'the closed period that produced the schedules (YYYY-MM)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  rep?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  booking?: string;
}

/** Commission expense accounting: finance and auditors read; nobody edits a schedule (closes write them). */
@ApiTags('accounting')
@ApiBearerAuth()
@Controller('accounting')
export class AccountingController {
  constructor(private readonly accounting: AccountingService) {}

  @Roles(...BACK_OFFICE)
  @Get('periods/:period')
  @ApiOperation({ summary: 'Roll-forward of capitalised commission costs for a closed period, per currency and in the reporting currency, with its checks' })
  period(@Param('period') period: string): Promise<AccountingPeriodView> {
    return this.accounting.period(period);
  }

  @Roles(...BACK_OFFICE)
  @Get('periods/:period/journal')
  @ApiOperation({ summary: 'Journal entries of a closed period as balanced debit/credit rows (JSON, or CSV with format=csv)' })
  async journal(@Param('period') period: string, @Query() q: JournalQuery, @Res() res: Response) {
    const j = await this.accounting.journal(period);
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.attachment(`journal-${j.period}.csv`);
      res.send(AccountingService.journalCsv(j.rows));
      return;
    }
    res.json(j);
  }

  @Roles(...BACK_OFFICE)
  @Get('schedules')
  @ApiOperation({ summary: 'Amortisation schedules with their payout line, basis, write-off and remaining balance' })
  schedules(@Query() q: SchedulesQuery): Promise<ScheduleView[]> {
    return this.accounting.schedules({ period: q.period, repId: q.rep, bookingId: q.booking });
  }
}
