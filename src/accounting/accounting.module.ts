import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { AccountingController } from './accounting.controller';
import { AccountingRepository } from './accounting.repository';
import { AccountingService } from './accounting.service';

@Module({ imports: [ReconciliationModule], controllers: [AccountingController], providers: [AccountingRepository, AccountingService], exports: [AccountingService] })
export class AccountingModule {}
