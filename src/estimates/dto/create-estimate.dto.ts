import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, Matches } from 'class-validator';
import { IsId } from '../../infra/identifiers';

/**
 * POST /estimates. The deals and cancellations are checked field by field by the estimator itself (core/estimates),
 * exactly as a bookings.csv import checks its rows, with the JSON path of each problem (`deals[1].amount: ...`).
 */
export class CreateEstimateDto {
  @ApiPropertyOptional({ example: 'A1', description: "the payee; default the caller's own (a rep: only themself; a manager: their team; finance: anyone)" })
  @IsOptional()
  @IsString()
  @IsId()
  repId?: string;

  @ApiPropertyOptional({
    description:
      'hypothetical deals, the fields of bookings.csv in camelCase: amount (decimal string), currency, type (new|renewal|expansion), product, termMonths, bookedDate, ' +
      'optional bookingId, customerId, cancelledDate, splitPct (default "100") or credits [{ repId, splitPct, splitType }]',
    example: [{ amount: '120000.00', currency: 'USD', type: 'new', product: 'platform', termMonths: 12, bookedDate: '2026-03-20' }],
    type: 'array',
    items: { type: 'object' },
  })
  @IsOptional()
  @IsArray()
  deals?: unknown[];

  @ApiPropertyOptional({ description: 'imported bookings to simulate cancelling: [{ bookingId, cancelledDate }]', example: [], type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  cancellations?: unknown[];

  @ApiPropertyOptional({ example: '2026-12', description: 'the last period to project (default: December of the open period\'s year, or of the latest deal)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'through must be YYYY-MM' })
  through?: string;
}
