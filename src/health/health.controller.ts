import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { Db } from '../infra/db.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Public()
  @Get()
  async health(@Res() res: Response): Promise<void> {
    try {
      await this.db.ping();
      res.status(HttpStatus.OK).json({ status: 'ok', database: 'up' });
    } catch (e) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'error', database: 'down', message: (e as Error).message });
    }
  }
}
