import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RepsController } from './reps.controller';
import { RepsService } from './reps.service';

@Module({
  imports: [ReconciliationModule],
  controllers: [RepsController],
  providers: [RepsService],
  exports: [RepsService],
})
export class RepsModule {}
