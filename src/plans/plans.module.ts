import { Module } from '@nestjs/common';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { PlanVersionsRepository } from './plan-versions.repository';

@Module({ controllers: [PlansController], providers: [PlansService, PlanVersionsRepository], exports: [PlansService, PlanVersionsRepository] })
export class PlansModule {}
