import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { AccountingController } from './accounting.controller';
import { AccountingRepository } from './accounting.repository';
import { AccountingService } from './accounting.service';

@Module({ imports: [CalculationModule, ReconciliationModule], controllers: [AccountingController], providers: [AccountingRepository, AccountingService], exports: [AccountingService] })
export class AccountingModule {}
