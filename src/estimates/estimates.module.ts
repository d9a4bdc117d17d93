import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { EstimatesController } from './estimates.controller';
import { EstimatesService } from './estimates.service';

/** What-if estimates and the dashboards built on "earnings as of today" (the engine run now, nothing stored). */
@Module({ imports: [CalculationModule], controllers: [EstimatesController, DashboardController], providers: [EstimatesService, DashboardService], exports: [EstimatesService, DashboardService] })
export class EstimatesModule {}
