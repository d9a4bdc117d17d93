import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { CalcQueue } from './calc-queue';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';
import { ComputePool } from './compute-pool';
import { PayoutsRepository } from './payouts.repository';
import { PeriodLifecycle } from './period-lifecycle.service';
import { RunVerifier } from './run-verifier';
import { RunsRepository } from './runs.repository';
import { ShardRunner } from './shard-runner';
import { SharedFactsLoader } from './shared-facts.loader';

const PROVIDERS = [CalculationService, ShardRunner, CalcQueue, ComputePool, PeriodLifecycle, PayoutsRepository, RunsRepository, RunVerifier, SharedFactsLoader];

@Module({ imports: [PlansModule], controllers: [CalculationController], providers: PROVIDERS, exports: PROVIDERS })
export class CalculationModule {}
