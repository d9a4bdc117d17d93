import { Module } from '@nestjs/common';
import { FxRatesController } from './fx-rates.controller';
import { FxRatesRepository } from './fx-rates.repository';
import { FxRatesService } from './fx-rates.service';

@Module({
  controllers: [FxRatesController],
  providers: [FxRatesService, FxRatesRepository],
  exports: [FxRatesService, FxRatesRepository],
})
export class FxModule {}
