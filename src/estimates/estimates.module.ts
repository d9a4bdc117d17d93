import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { CalculationModule } from '../calculation/calculation.module';
import { DisputesModule } from '../disputes/disputes.module';
import { PlansModule } from '../plans/plans.module';
import { DashboardController } from './dashboard.controller';
import { DashboardFactsRepository } from './dashboard-facts.repository';
import { DashboardService } from './dashboard.service';
import { EstimateFactsRepository } from './estimate-facts.repository';
import { EstimatesController } from './estimates.controller';
import { EstimatesService } from './estimates.service';

/** What-if estimates and the dashboards built on "earnings as of today" (the engine run now, nothing stored). */
@Module({ imports: [AssignmentsModule, CalculationModule, DisputesModule, PlansModule], controllers: [EstimatesController, DashboardController], providers: [EstimatesService, DashboardService, EstimateFactsRepository, DashboardFactsRepository], exports: [EstimatesService, DashboardService] })
export class EstimatesModule {}
