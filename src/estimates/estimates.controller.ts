import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ESTIMATORS, Roles } from '../auth/roles.decorator';
import { CreateEstimateDto } from './dto/create-estimate.dto';
import { EstimatesService, EstimateView } from './estimates.service';

@ApiTags('estimates')
@ApiBearerAuth()
@Controller('estimates')
export class EstimatesController {
  constructor(private readonly estimates: EstimatesService) {}

  /** A what-if: nothing is stored, so 200 (not 201); one audit event records that it was asked. */
  @Roles(...ESTIMATORS)
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: the projected payout of the open period and the year with hypothetical deals or cancellations, line by line, next to today\'s figures' })
  estimate(@Body() body: CreateEstimateDto, @CurrentActor() actor: Actor): Promise<EstimateView> {
    return this.estimates.estimate(actor, body);
  }
}
