import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { DISPUTE_RAISERS, DISPUTE_RESOLVERS, READERS, Roles } from '../auth/roles.decorator';
import { CreateDisputeDto } from './dto/create-dispute.dto';
import { DisputeStatsQuery, ListDisputesQuery } from './dto/list-disputes.query';
import { RejectDisputeDto, UpholdDisputeDto } from './dto/resolve-dispute.dto';
import { Dispute } from './disputes.repository';
import { DisputeEvidence, DisputesService, DisputeStatsView, UpheldDispute } from './disputes.service';

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  /** Declared before `:id` so that "stats" is not taken for an id. */
  @Roles('admin', 'finance', 'auditor', 'manager')
  @Get('stats')
  @ApiOperation({ summary: "Dispute KPIs for a period and overall: per 100 statements, time to resolve (median, p90), upheld share, by reason. A manager's are scoped to their team." })
  stats(@CurrentActor() actor: Actor, @Query() q: DisputeStatsQuery): Promise<DisputeStatsView> {
    return this.disputes.stats(actor, q.period);
  }

  @Roles(...DISPUTE_RAISERS)
  @Post()
  @ApiOperation({ summary: 'Raise a dispute on a payout, a payout line or a missing booking (a rep on their own; finance/admin for a rep)' })
  raise(@CurrentActor() actor: Actor, @Body() dto: CreateDisputeDto): Promise<Dispute> {
    return this.disputes.raise(actor, {
      repId: dto.repId,
      period: dto.period,
      targetKind: dto.targetKind,
      targetRef: dto.targetRef,
      reasonCode: dto.reasonCode,
      claimedAmount: dto.claimedAmount,
      text: dto.text,
    });
  }

  @Roles(...READERS)
  @Get()
  @ApiOperation({ summary: 'Disputes the caller may see (a rep their own, a manager their team, back office all); filter by status and period' })
  list(@CurrentActor() actor: Actor, @Query() q: ListDisputesQuery): Promise<Dispute[]> {
    return this.disputes.list(actor, q);
  }

  @Roles(...READERS)
  @Get(':id')
  @ApiOperation({ summary: 'One dispute (another payee’s answers 404)' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Dispute> {
    return this.disputes.get(actor, id);
  }

  @Roles(...READERS)
  @Get(':id/evidence')
  @ApiOperation({ summary: 'The evidence behind a dispute: payout, disputed line and its trace, booking versions, plan rule and component (another payee’s answers 404)' })
  evidence(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<DisputeEvidence> {
    return this.disputes.evidence(actor, id);
  }

  @Roles(...DISPUTE_RESOLVERS)
  @Post(':id/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'open → in_review (a manager above the rep, or finance/admin)' })
  review(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Dispute> {
    return this.disputes.review(actor, id);
  }

  @Roles(...DISPUTE_RESOLVERS)
  @Post(':id/uphold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Uphold with an amount: creates a linked adjustment in the first open period, in the same transaction' })
  uphold(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpholdDisputeDto): Promise<UpheldDispute> {
    return this.disputes.uphold(actor, id, dto);
  }

  @Roles(...DISPUTE_RESOLVERS)
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason (required)' })
  reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RejectDisputeDto): Promise<Dispute> {
    return this.disputes.reject(actor, id, dto);
  }
}
