import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { PeriodsModule } from '../periods/periods.module';
import { DisputesController } from './disputes.controller';
import { DisputesService } from './disputes.service';

@Module({ imports: [CalculationModule, PeriodsModule], controllers: [DisputesController], providers: [DisputesService], exports: [DisputesService] })
export class DisputesModule {}
