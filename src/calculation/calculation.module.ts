import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';

@Module({ imports: [PlansModule], controllers: [CalculationController], providers: [CalculationService], exports: [CalculationService] })
export class CalculationModule {}
