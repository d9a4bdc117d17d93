import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from './actor';
import { AuthService, CreatedUser, UserView } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { Roles } from './roles.decorator';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: 'Create an API user. The response carries its token, once; only a hash is stored.' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<CreatedUser> {
    return this.auth.createUser(actor, { role: dto.role, repId: dto.repId, name: dto.name });
  }

  @Roles('admin', 'auditor')
  @Get()
  @ApiOperation({ summary: 'List API users (never tokens or token hashes)' })
  list(): Promise<UserView[]> {
    return this.auth.listUsers();
  }

  @Roles('admin')
  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Revoke a user's token; idempotent" })
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<UserView> {
    return this.auth.revokeUser(actor, id);
  }
}
