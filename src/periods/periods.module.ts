import { Module } from '@nestjs/common';
import { AccountingModule } from '../accounting/accounting.module';
import { CalculationModule } from '../calculation/calculation.module';
import { PlanDocumentsModule } from '../plan-documents/plan-documents.module';
import { AdjustmentsRepository } from './adjustments.repository';
import { PeriodRunsRepository } from './period-runs.repository';
import { PeriodsController } from './periods.controller';
import { PeriodsService } from './periods.service';

@Module({
  imports: [CalculationModule, PlanDocumentsModule, AccountingModule],
  controllers: [PeriodsController],
  providers: [PeriodsService, PeriodRunsRepository, AdjustmentsRepository],
  exports: [PeriodsService],
})
export class PeriodsModule {}
