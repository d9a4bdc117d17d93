import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { CalculationService } from '../calculation/calculation.service';
import { IdParam } from '../infra/identifiers';
import { StatementsService } from './statements.service';

@ApiTags('statements')
@ApiBearerAuth()
@Controller('periods/:period/statements')
export class StatementsController {
  constructor(
    private readonly statements: StatementsService,
    private readonly access: AccessService,
  ) {}

  /** The statement's view model (what the PDF shows), for a payee the caller may see. */
  @Roles(...READERS)
  @Get(':repId')
  async view(@Param('period') period: string, @Param('repId', IdParam) repId: string, @CurrentActor() actor: Actor) {
    await this.access.assertCanSee(actor, repId);
    return this.statements.view(period, repId, undefined, actor);
  }

  /** The PDF: a rep gets only their own, a manager their reports', finance and auditors everyone's. */
  @Roles(...READERS)
  @Get(':repId/pdf')
  async pdf(@Param('period') period: string, @Param('repId', IdParam) repId: string, @CurrentActor() actor: Actor, @Res() res: Response) {
    const p = CalculationService.assertPeriod(period);
    await this.access.assertCanSee(actor, repId);
    const view = await this.statements.view(p, repId, undefined, actor);
    res.setHeader('Content-Type', 'application/pdf');
    // express's encoder (the `content-disposition` package): a quote or line break in a rep id cannot add a parameter
    res.attachment(`${repId}-${p}.pdf`);
    res.setHeader('X-Statement-Status', view.status);
    await this.statements.render(view, p, res);
  }
}
