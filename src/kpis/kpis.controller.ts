import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessService } from '../auth/access.service';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { BACK_OFFICE, READERS, Roles } from '../auth/roles.decorator';
import { CalculationService } from '../calculation/calculation.service';
import { KpisService } from './kpis.service';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('kpis')
export class KpisController {
  constructor(
    private readonly kpis: KpisService,
    private readonly access: AccessService,
    private readonly calc: CalculationService,
  ) {}

  /** Every KPI for a period with its value, status against its threshold, and breakdowns. Aggregates: back office only. */
  @Roles(...BACK_OFFICE)
  @ApiQuery({ name: 'period', example: '2026-03' })
  @Get()
  compute(@Query('period') period: string, @CurrentActor() actor: Actor) {
    return this.kpis.compute(period, actor);
  }

  /** Quota attainment and payout per payee, scoped: a rep their own, a manager their team, the back office everyone. */
  @Roles(...READERS)
  @ApiQuery({ name: 'period', example: '2026-03' })
  @ApiOperation({ summary: 'Quota attainment per payee (credit, quota, %, pace, status) with the payout; scoped to the payees the caller may see' })
  @Get('attainment')
  async attainment(@Query('period') period: string, @CurrentActor() actor: Actor) {
    const p = CalculationService.assertPeriod(period);
    const fresh = await this.calc.beforeRead(p, actor);
    return { ...(await this.kpis.attainment(p, await this.access.visibleRepIds(actor))), ...fresh };
  }

  /** The KPI dictionary: formula, data source, owner, cadence, threshold and the action a breach triggers. */
  @Roles(...READERS)
  @Get('dictionary')
  dictionary() {
    return this.kpis.dictionary();
  }
}
