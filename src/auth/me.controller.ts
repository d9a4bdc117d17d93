import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from './actor';
import { AuthService, MeView } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { READERS, Roles } from './roles.decorator';

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  @Roles(...READERS)
  @Get()
  @ApiOperation({ summary: "The caller's identity: role, linked payee (rep id and name), audit label" })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.auth.whoIs(actor);
  }
}
