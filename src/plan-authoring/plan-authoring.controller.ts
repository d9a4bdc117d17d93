import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { ModelReport } from '../core/plans/plan-model';
import { IdParam } from '../infra/identifiers';
import { CheckPlanDto, ModelPlanDto, SavePlanVersionDto } from './dto/model-plan.dto';
import { DraftCheck, PlanEditorService, SavedVersion } from './plan-editor.service';
import { PlanModelingService } from './plan-modeling.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlanAuthoringController {
  constructor(
    private readonly modeling: PlanModelingService,
    private readonly editor: PlanEditorService,
  ) {}

  @ApiOperation({ summary: "The editor's live check of a draft: problems by JSON path (the validation of plans validate), the terms in words, the change against the latest version in words" })
  @Roles(...OPERATORS)
  @Post('validate')
  @HttpCode(200)
  check(@Body() body: CheckPlanDto): Promise<DraftCheck> {
    return this.editor.check(body.plan);
  }

  @ApiOperation({ summary: "Saves a draft as the plan's next version, in effect from effectiveFrom (an open period); stored versions never change" })
  @Roles(...OPERATORS)
  @Post(':id/versions')
  saveVersion(@Param('id', IdParam) id: string, @Body() body: SavePlanVersionDto, @CurrentActor() actor: Actor): Promise<SavedVersion> {
    return this.editor.saveVersion(actor, id, body.plan, body.effectiveFrom);
  }

  @ApiOperation({ summary: 'What a draft plan version would have paid over a past range against the current version, per payee and in total (writes nothing)' })
  @Roles(...OPERATORS)
  @Post(':id/model')
  @HttpCode(200)
  model(@Param('id', IdParam) id: string, @Body() body: ModelPlanDto): Promise<ModelReport> {
    return this.modeling.model(id, body.plan, body.from, body.to);
  }
}
