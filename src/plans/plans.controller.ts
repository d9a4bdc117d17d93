import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { READERS, Roles } from '../auth/roles.decorator';
import { PlansService } from './plans.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** Plan versions with their content hashes. Plans are not personal data: every role may read them. */
  @Roles(...READERS)
  @Get()
  async list() {
    return (await this.plans.allVersions()).map((p) => ({ planId: p.planId, version: p.version, hash: p.hash, name: p.document.name, document: p.document }));
  }
}
