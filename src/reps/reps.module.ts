import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RepsController } from './reps.controller';
import { RepsRepository } from './reps.repository';
import { RepsService } from './reps.service';

@Module({
  imports: [ReconciliationModule],
  controllers: [RepsController],
  providers: [RepsService, RepsRepository],
  exports: [RepsService, RepsRepository],
})
export class RepsModule {}
