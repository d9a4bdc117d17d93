import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Db } from '../infra/db.service';
import type { Actor } from './actor';
import { CurrentActor } from './current-actor.decorator';
import { READERS, Roles } from './roles.decorator';
import type { Role } from './user.entity';

/** Who the caller is, as the token says: what the portal needs to choose its pages (the API still decides every call). */
export interface MeView {
  userId: string | null;
  name: string | null;
  role: Role;
  /** The payee the user is (rep, manager), or null. */
  repId: string | null;
  repName: string | null;
  label: string;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly db: Db) {}

  @Roles(...READERS)
  @Get()
  @ApiOperation({ summary: "The caller's identity: role, linked payee (rep id and name), audit label" })
  async me(@CurrentActor() actor: Actor): Promise<MeView> {
    const [user] = actor.userId ? await this.db.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [actor.userId]) : [];
    const [rep] = actor.repId ? await this.db.query<{ name: string }>(`SELECT name FROM reps WHERE rep_id = $1`, [actor.repId]) : [];
    return { userId: actor.userId, name: user?.name ?? null, role: actor.role, repId: actor.repId, repName: rep?.name ?? null, label: actor.label };
  }
}
