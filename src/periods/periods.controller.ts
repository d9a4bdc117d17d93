import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { BACK_OFFICE, OPERATORS, READERS, Roles } from '../auth/roles.decorator';
import { CalculationService } from '../calculation/calculation.service';
import { CreateAdjustmentDto } from './dto/create-adjustment.dto';
import { PeriodsService } from './periods.service';

@ApiTags('periods')
@ApiBearerAuth()
@Controller('periods')
export class PeriodsController {
  constructor(
    private readonly periods: PeriodsService,
    private readonly access: AccessService,
  ) {}

  /** Periods with their status; totals only for the back office (they sum every payee). */
  @Roles(...READERS)
  @Get()
  async list(@CurrentActor() actor: Actor) {
    const rows = await this.periods.list();
    const all = (await this.access.visibleRepIds(actor)) === null;
    return rows.map((r) => (all ? r : { period: r.period, status: r.status, stale: r.stale, closedAt: r.closedAt }));
  }

  @Roles(...READERS)
  @Get(':period')
  async get(@Param('period') period: string, @CurrentActor() actor: Actor) {
    const row = await this.periods.get(period);
    if ((await this.access.visibleRepIds(actor)) === null) return row;
    return { period: row.period, status: row.status, stale: row.stale, closedAt: row.closedAt };
  }

  @Roles(...OPERATORS)
  @Post(':period/approve')
  @HttpCode(200)
  approve(@Param('period') period: string, @CurrentActor() actor: Actor) {
    return this.periods.approve(period, actor);
  }

  /** Calculates if needed, approves and closes. Idempotent: closing a closed period says so and changes nothing. */
  @Roles(...OPERATORS)
  @Post(':period/close')
  @HttpCode(200)
  close(@Param('period') period: string, @CurrentActor() actor: Actor) {
    return this.periods.close(period, actor);
  }

  @Roles(...BACK_OFFICE)
  @Get(':period/diff')
  diff(@Param('period') period: string) {
    return this.periods.diff(period);
  }

  @Roles(...BACK_OFFICE)
  @Get(':period/verify')
  verify(@Param('period') period: string) {
    return this.periods.verify(period);
  }

  /** Payroll file of a closed period: rep_id,period,currency,amount,reference. */
  @Roles(...BACK_OFFICE)
  @Get(':period/payroll-export')
  async export(@Param('period') period: string, @Res() res: Response) {
    const rows = await this.periods.exportRows(period);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`payroll-${period}.csv`); // Content-Disposition through express's encoder
    res.send(PeriodsService.exportCsv(rows));
  }

  @Roles(...OPERATORS)
  @Post(':period/adjustments')
  addAdjustment(@Param('period') period: string, @Body() body: CreateAdjustmentDto, @CurrentActor() actor: Actor) {
    return this.periods.addAdjustment(actor, { ...body, period });
  }

  @Roles(...READERS)
  @Get(':period/adjustments')
  async adjustments(@Param('period') period: string, @CurrentActor() actor: Actor) {
    const p = CalculationService.assertPeriod(period);
    const visible = await this.access.visibleRepIds(actor);
    return this.periods.adjustments(p, visible);
  }
}
