import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { CalculationModule } from '../calculation/calculation.module';
import { PeriodsModule } from '../periods/periods.module';
import { PlansModule } from '../plans/plans.module';
import { DisputesController } from './disputes.controller';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';

@Module({
  imports: [CalculationModule, PeriodsModule, PlansModule, BookingsModule],
  controllers: [DisputesController],
  providers: [DisputesService, DisputesRepository],
  exports: [DisputesService, DisputesRepository],
})
export class DisputesModule {}
