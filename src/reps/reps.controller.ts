import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { RepsService, RepView } from './reps.service';

@ApiTags('reps')
@ApiBearerAuth()
@Controller('reps')
export class RepsController {
  constructor(private readonly reps: RepsService) {}

  @Get()
  @Roles(...READERS)
  list(@CurrentActor() actor: Actor): Promise<RepView[]> {
    return this.reps.list(actor);
  }

  @Get(':repId')
  @Roles(...READERS)
  get(@CurrentActor() actor: Actor, @Param('repId') repId: string): Promise<RepView> {
    return this.reps.get(actor, repId);
  }
}
