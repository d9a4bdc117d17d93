import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { OPERATORS, READERS, Roles } from '../auth/roles.decorator';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { CalculationService } from './calculation.service';

@ApiTags('calculation')
@ApiBearerAuth()
@Controller('periods')
export class CalculationController {
  constructor(
    private readonly calc: CalculationService,
    private readonly access: AccessService,
  ) {}

  /** Calculate (or recalculate) a period; earlier uncalculated or stale periods are calculated first. */
  @Roles(...OPERATORS)
  @Post(':period/calculate')
  @HttpCode(200)
  async calculate(@Param('period') period: string, @CurrentActor() actor: Actor) {
    return { runs: await this.calc.calculate(period, actor) };
  }

  /** Payouts of the period's current run, scoped to what the caller may see. */
  @Roles(...READERS)
  @Get(':period/payouts')
  async payouts(@Param('period') period: string, @CurrentActor() actor: Actor) {
    const p = CalculationService.assertPeriod(period);
    const run = await this.calc.currentRun(p);
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated`);
    const rows = await this.calc.payouts(p, await this.access.visibleRepIds(actor));
    return { period: p, runId: run.id, stale: run.stale, payouts: rows.map(({ plans, ...r }) => ({ ...r, plans })) };
  }

  /** One payee's lines with their traces. */
  @Roles(...READERS)
  @Get(':period/payouts/:repId/lines')
  async lines(@Param('period') period: string, @Param('repId') repId: string, @CurrentActor() actor: Actor) {
    const p = CalculationService.assertPeriod(period);
    await this.access.assertCanSee(actor, repId);
    const [payout] = await this.calc.payouts(p, new Set([repId]));
    if (!payout) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${repId} in ${p}`);
    return { payout, lines: await this.calc.lines(p, repId) };
  }
}
