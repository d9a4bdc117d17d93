import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BACK_OFFICE, Roles } from '../auth/roles.decorator';
import { ReconciliationService, ReconciliationSummary } from './reconciliation.service';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('periods')
export class ReconciliationController {
  constructor(private readonly recon: ReconciliationService) {}

  /** Closed payouts vs payroll records, with the accuracy rates (count and dollar) and every error behind them. */
  @Roles(...BACK_OFFICE)
  @Get(':period/reconciliation')
  reconcile(@Param('period') period: string) {
    return this.recon.reconcile(period);
  }
}

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('reconciliation')
export class ReconciliationSummaryController {
  constructor(private readonly recon: ReconciliationService) {}

  /** Every closed period in brief (counts, accuracy rates, number of errors, payroll records): the accuracy trend. */
  @Roles(...BACK_OFFICE)
  @Get()
  @ApiOperation({ summary: 'Accuracy rates (count and amount) and match counts of every closed period, oldest first' })
  summary(): Promise<ReconciliationSummary[]> {
    return this.recon.summary();
  }
}
