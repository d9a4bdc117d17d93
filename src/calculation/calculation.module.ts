import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';
import { CalcQueue } from './calc-queue';
import { ShardRunner } from './shard-runner';
import { ComputePool } from './compute-pool';

@Module({ imports: [PlansModule], controllers: [CalculationController], providers: [CalculationService, ShardRunner, CalcQueue, ComputePool], exports: [CalculationService, ShardRunner, CalcQueue, ComputePool] })
export class CalculationModule {}
