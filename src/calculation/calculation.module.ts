import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';
import { CalcQueue } from './calc-queue';
import { ShardRunner } from './shard-runner';
import { ComputePool } from './compute-pool';
import { PeriodLifecycle } from './period-lifecycle.service';
import { RunsRepository } from './runs.repository';

@Module({ imports: [PlansModule], controllers: [CalculationController], providers: [CalculationService, ShardRunner, CalcQueue, ComputePool, PeriodLifecycle, RunsRepository],
  exports: [CalculationService, ShardRunner, CalcQueue, ComputePool, PeriodLifecycle, RunsRepository] })
export class CalculationModule {}
