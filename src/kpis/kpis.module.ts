import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { PlanDocumentsModule } from '../plan-documents/plan-documents.module';
import { PlansModule } from '../plans/plans.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { KpiFactsRepository } from './kpi-facts.repository';
import { KpisController } from './kpis.controller';
import { KpisService } from './kpis.service';

@Module({ imports: [CalculationModule, ReconciliationModule, PlansModule, PlanDocumentsModule], controllers: [KpisController], providers: [KpisService, KpiFactsRepository], exports: [KpisService] })
export class KpisModule {}
