import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { PlanModelingController } from './plan-modeling.controller';
import { PlanModelingService } from './plan-modeling.service';

@Module({ imports: [CalculationModule, ReconciliationModule], controllers: [PlanModelingController], providers: [PlanModelingService], exports: [PlanModelingService] })
export class PlanModelingModule {}
