import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { PeriodsController } from './periods.controller';
import { PeriodsService } from './periods.service';

@Module({ imports: [CalculationModule], controllers: [PeriodsController], providers: [PeriodsService], exports: [PeriodsService] })
export class PeriodsModule {}
