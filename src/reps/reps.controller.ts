import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { IdParam } from '../infra/identifiers';
import { PayeePeriod, ReconciliationService } from '../reconciliation/reconciliation.service';
import { RepsService, RepView } from './reps.service';

@ApiTags('reps')
@ApiBearerAuth()
@Controller('reps')
export class RepsController {
  constructor(
    private readonly reps: RepsService,
    private readonly recon: ReconciliationService,
  ) {}

  @Get()
  @Roles(...READERS)
  list(@CurrentActor() actor: Actor): Promise<RepView[]> {
    return this.reps.list(actor);
  }

  @Get(':repId')
  @Roles(...READERS)
  get(@CurrentActor() actor: Actor, @Param('repId', IdParam) repId: string): Promise<RepView> {
    return this.reps.get(actor, repId);
  }

  /** A payee's periods: payout, what payroll paid, reconciliation status. Another payee's answers 404. */
  @Get(':repId/periods')
  @Roles(...READERS)
  @ApiOperation({ summary: "A payee's periods with payout, status, what payroll paid and the reconciliation status (closed periods)" })
  async periods(@CurrentActor() actor: Actor, @Param('repId', IdParam) repId: string): Promise<PayeePeriod[]> {
    await this.reps.get(actor, repId); // 404 for a payee the caller may not see, or one that does not exist
    return this.recon.payeeHistory(repId, actor);
  }
}
