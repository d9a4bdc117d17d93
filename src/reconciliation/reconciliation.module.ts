import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { ReconciliationController, ReconciliationSummaryController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

@Module({ imports: [CalculationModule], controllers: [ReconciliationController, ReconciliationSummaryController], providers: [ReconciliationService], exports: [ReconciliationService] })
export class ReconciliationModule {}
