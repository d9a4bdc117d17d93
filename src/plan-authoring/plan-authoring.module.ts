import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { PlansModule } from '../plans/plans.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { PlanAuthoringController } from './plan-authoring.controller';
import { PlanEditorService } from './plan-editor.service';
import { PlanModelFactsRepository } from './plan-model-facts.repository';
import { PlanModelingService } from './plan-modeling.service';

/** Changing plans without a developer: the editor's checks, new versions, and modeling a draft before it goes live. */
@Module({
  imports: [CalculationModule, ReconciliationModule, PlansModule],
  controllers: [PlanAuthoringController],
  providers: [PlanModelingService, PlanEditorService, PlanModelFactsRepository],
  exports: [PlanModelingService, PlanEditorService],
})
export class PlanAuthoringModule {}
