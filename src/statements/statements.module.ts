import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { CalculationModule } from '../calculation/calculation.module';
import { DisputesModule } from '../disputes/disputes.module';
import { PlansModule } from '../plans/plans.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { StatementFactsRepository } from './statement-facts.repository';
import { StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

@Module({
  imports: [AssignmentsModule, CalculationModule, DisputesModule, ReconciliationModule, PlansModule],
  controllers: [StatementsController],
  providers: [StatementsService, StatementFactsRepository],
  exports: [StatementsService],
})
export class StatementsModule {}
