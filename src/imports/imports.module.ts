import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { BookingsModule } from '../bookings/bookings.module';
import { FxModule } from '../fx/fx.module';
import { PlansModule } from '../plans/plans.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RepsModule } from '../reps/reps.module';
import { CalcFactsRepository } from './calc-facts.repository';
import { ImportBatchesRepository } from './import-batches.repository';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [RepsModule, AssignmentsModule, BookingsModule, FxModule, PlansModule, ReconciliationModule],
  controllers: [ImportsController],
  providers: [ImportsService, ImportBatchesRepository, CalcFactsRepository],
  exports: [ImportsService],
})
export class ImportsModule {}
