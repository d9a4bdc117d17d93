import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { AcknowledgeDto, ListAcknowledgmentsQuery } from './dto/acknowledge.dto';
import { AcknowledgmentView, PlanDocumentsService } from './plan-documents.service';

/** Where the acknowledgment came from: the client's address and user agent, as the service saw them. */
function clientOf(req: Request): string {
  const agent = String(req.headers['user-agent'] ?? 'unknown client').replace(/[\r\n\t]+/g, ' ');
  return `${req.ip ?? 'unknown address'}; ${agent}`;
}

@ApiTags('plan documents')
@ApiBearerAuth()
@Controller()
export class PlanDocumentsController {
  constructor(private readonly documents: PlanDocumentsService) {}

  @ApiOperation({ summary: "An assignment's written plan as data: terms in words, the payee's figures, ramped quota, worked examples, hashes" })
  @Roles(...READERS)
  @Get('assignments/:id/document')
  view(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.documents.view(actor, id);
  }

  @ApiOperation({ summary: "The written plan as PDF (the payee's own; a manager's reports'; finance and auditors everyone's)" })
  @Roles(...READERS)
  @Get('assignments/:id/document/pdf')
  async pdf(@Param('id') id: string, @CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/pdf');
    res.attachment(`plan-assignment-${id}.pdf`);
    await this.documents.render(actor, id, res);
  }

  @ApiOperation({ summary: 'The payee acknowledges the current document of their own assignment (append-only, audited)' })
  @Roles('rep', 'manager')
  @Post('assignments/:id/acknowledgment')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: AcknowledgeDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<AcknowledgmentView & { created: boolean }> {
    return this.documents.acknowledge(actor, id, { documentHash: body.documentHash, client: clientOf(req) });
  }

  @ApiOperation({ summary: 'Each visible assignment\'s current document and whether it is acknowledged; status=pending lists who has not' })
  @Roles(...READERS)
  @Get('acknowledgments')
  list(@Query() q: ListAcknowledgmentsQuery, @CurrentActor() actor: Actor): Promise<AcknowledgmentView[]> {
    return this.documents.list(actor, q.status);
  }
}
