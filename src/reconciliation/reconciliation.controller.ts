import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BACK_OFFICE, Roles } from '../auth/roles.decorator';
import { ReconciliationService } from './reconciliation.service';

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
