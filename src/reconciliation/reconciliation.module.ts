import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { FxModule } from '../fx/fx.module';
import { AdjustmentsRepository } from '../periods/adjustments.repository';
import { PayrollRepository } from './payroll.repository';
import { ReconciliationController, ReconciliationSummaryController } from './reconciliation.controller';
import { ReconciliationFactsRepository } from './reconciliation-facts.repository';
import { ReconciliationService } from './reconciliation.service';

/**
 * The adjustments repository is provided here too, not imported with PeriodsModule: the close depends on the
 * accounting, which depends on this module (stateless, so a second instance is harmless).
 */
@Module({
  imports: [CalculationModule, FxModule],
  controllers: [ReconciliationController, ReconciliationSummaryController],
  providers: [ReconciliationService, ReconciliationFactsRepository, PayrollRepository, AdjustmentsRepository],
  exports: [ReconciliationService, PayrollRepository],
})
export class ReconciliationModule {}
