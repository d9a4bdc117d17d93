import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { OPERATORS, READERS, Roles } from '../auth/roles.decorator';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { IdParam, OptionalIdParam } from '../infra/identifiers';
import { CalculationService } from './calculation.service';
import { PeriodLifecycle } from './period-lifecycle.service';

@ApiTags('calculation')
@ApiBearerAuth()
@Controller('periods')
export class CalculationController {
  constructor(
    private readonly calc: CalculationService,
    private readonly lifecycle: PeriodLifecycle,
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
  @ApiQuery({ name: 'after', required: false, description: 'repId to continue after (keyset pagination: the previous page\'s next)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 1000' })
  @Get(':period/payouts')
  async payouts(@Param('period') period: string, @CurrentActor() actor: Actor, @Query('after', OptionalIdParam) after?: string, @Query('limit') limit?: string) {
    const p = CalculationService.assertPeriod(period);
    const n = limit === undefined ? 1000 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'limit must be an integer 1..1000');
    const fresh = await this.calc.beforeRead(p, actor);
    const run = await this.lifecycle.currentRun(p);
    if (!run) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `period ${p} has not been calculated`);
    const rows = await this.calc.payouts(p, await this.access.visibleRepIds(actor), { after, limit: n });
    return { period: p, runId: run.id, ...fresh, payouts: rows, next: rows.length === n ? rows[rows.length - 1].repId : null };
  }

  /** One payee's lines with their traces. */
  @Roles(...READERS)
  @Get(':period/payouts/:repId/lines')
  async lines(@Param('period') period: string, @Param('repId', IdParam) repId: string, @CurrentActor() actor: Actor) {
    const p = CalculationService.assertPeriod(period);
    await this.access.assertCanSee(actor, repId);
    const fresh = await this.calc.beforeRead(p, actor);
    const [payout] = await this.calc.payouts(p, new Set([repId]));
    if (!payout) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `no payout for ${repId} in ${p}`);
    return { ...fresh, payout, lines: await this.calc.lines(p, repId) };
  }
}
