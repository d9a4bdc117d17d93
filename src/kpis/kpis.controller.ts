import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BACK_OFFICE, READERS, Roles } from '../auth/roles.decorator';
import { KpisService } from './kpis.service';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('kpis')
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  /** Every KPI for a period with its value, status against its threshold, and breakdowns. Aggregates: back office only. */
  @Roles(...BACK_OFFICE)
  @ApiQuery({ name: 'period', example: '2026-03' })
  @Get()
  compute(@Query('period') period: string) {
    return this.kpis.compute(period);
  }

  /** The KPI dictionary: formula, data source, owner, cadence, threshold and the action a breach triggers. */
  @Roles(...READERS)
  @Get('dictionary')
  dictionary() {
    return this.kpis.dictionary();
  }
}
