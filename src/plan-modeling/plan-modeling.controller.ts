import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { ModelReport } from '../core/plans/plan-model';
import { IdParam } from '../infra/identifiers';
import { ModelPlanDto } from './dto/model-plan.dto';
import { PlanModelingService } from './plan-modeling.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlanModelingController {
  constructor(private readonly modeling: PlanModelingService) {}

  @ApiOperation({ summary: 'What a draft plan version would have paid over a past range against the current version, per payee and in total (writes nothing)' })
  @Roles(...OPERATORS)
  @Post(':id/model')
  @HttpCode(200)
  model(@Param('id', IdParam) id: string, @Body() body: ModelPlanDto): Promise<ModelReport> {
    return this.modeling.model(id, body.plan, body.from, body.to);
  }
}
