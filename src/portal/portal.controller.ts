import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { loadPortalAssets, PortalAsset } from './portal-assets';

/**
 * The web portal's files. Public: they hold no data. Every figure the pages show comes from the JSON API with the
 * user's token (kept in sessionStorage), under the API's own role and scoping rules.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  /** Read on first use (so that a process that never serves the portal, like the CLI, never looks for it), then kept. */
  private cache: Map<string, PortalAsset> | null = null;

  private get assets(): Map<string, PortalAsset> {
    return (this.cache ??= loadPortalAssets());
  }

  @Get()
  index(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get('portal/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (file === 'index.html' || !this.assets.has(file)) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `portal file ${file} not found`);
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    const asset = this.assets.get(name) as PortalAsset;
    res.set(SECURITY_HEADERS);
    res.type(asset.contentType);
    res.send(asset.body);
  }
}
