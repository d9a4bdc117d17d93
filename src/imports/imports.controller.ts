import { Controller, Param, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { basename } from 'node:path';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { INTAKE_KINDS, isIntakeKind } from '../core/intake/intake';
import { ImportsService, ImportSummary } from './imports.service';

/** Largest accepted file, for both the text/csv body (see http-app.ts) and a multipart upload. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post(':kind')
  @Roles(...OPERATORS)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES } }))
  @ApiParam({ name: 'kind', enum: INTAKE_KINDS })
  @ApiQuery({ name: 'filename', required: false, description: 'name recorded for a text/csv body (default <kind>.csv)' })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description: 'the CSV file: the raw text/csv body, or the multipart field "file"',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  async import(
    @Param('kind') kind: string,
    @Query('filename') filename: string | undefined,
    @UploadedFile() upload: UploadedCsv | undefined,
    @Req() req: Request,
    @CurrentActor() actor: Actor,
  ): Promise<ImportSummary> {
    if (!isIntakeKind(kind)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `unknown import kind "${kind}"; expected one of ${INTAKE_KINDS.join(', ')}`);
    }
    const content = upload?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
    if (!content) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'send the CSV as a text/csv body or as the multipart/form-data field "file"');
    }
    const file = basename(filename || upload?.originalname || `${kind}.csv`);
    return this.imports.importFile(kind, file, content, actor);
  }
}
