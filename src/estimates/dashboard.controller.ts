import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { IdParam } from '../infra/identifiers';
import { DashboardService, DashboardView } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Roles('manager', 'rep')
  @Get('me/dashboard')
  @ApiOperation({ summary: "The caller's home: attainment and pace, tier and what the next needs, earnings to date against target, computed vs paid by payroll; a manager's reports too" })
  mine(@CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.forActor(actor);
  }

  @Roles(...READERS)
  @Get('reps/:repId/dashboard')
  @ApiOperation({ summary: "A payee's dashboard, for anyone who may see the payee" })
  forRep(@Param('repId', IdParam) repId: string, @CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.forPayee(actor, repId);
  }
}
