import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';
import { CalcQueue } from './calc-queue';
import { ShardRunner } from './shard-runner';

@Module({ imports: [PlansModule], controllers: [CalculationController], providers: [CalculationService, ShardRunner, CalcQueue], exports: [CalculationService, ShardRunner, CalcQueue] })
export class CalculationModule {}
