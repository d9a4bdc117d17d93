import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { READERS, Roles } from '../auth/roles.decorator';
import { FxRatesService, FxRateView } from './fx-rates.service';

@ApiTags('fx-rates')
@ApiBearerAuth()
@Controller('fx-rates')
export class FxRatesController {
  constructor(private readonly fx: FxRatesService) {}

  /** FX rates are not personal data: every role sees all of them. */
  @Get()
  @Roles(...READERS)
  list(): Promise<FxRateView[]> {
    return this.fx.list();
  }
}
