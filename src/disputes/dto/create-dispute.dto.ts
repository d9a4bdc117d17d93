import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId, IsPlainText } from '../../infra/identifiers';
import { DISPUTE_REASON_CODES, DISPUTE_REASON_INPUTS, DISPUTE_TARGET_KINDS } from '../../core/disputes/dispute-rules';

/** POST /disputes. A rep raises on their own data; finance and admin raise on behalf of a rep (repId). */
export class CreateDisputeDto {
  @ApiPropertyOptional({ example: 'A1', description: 'the payee; required for finance/admin, optional (and only themself) for a rep' })
  @IsOptional()
  @IsString()
  @IsId()
  repId?: string;

  @ApiProperty({ example: '2026-02', description: 'the period the dispute is about' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period: string;

  @ApiProperty({ enum: DISPUTE_TARGET_KINDS })
  @IsIn([...DISPUTE_TARGET_KINDS])
  targetKind: string;

  @ApiPropertyOptional({ description: 'null for a payout; the lineNo for a line; the bookingId for a booking', example: '3', nullable: true })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value))
  @IsString()
  @IsId({ message: 'targetRef must be a line number or a booking id' })
  targetRef?: string | null;

  @ApiProperty({ enum: DISPUTE_REASON_CODES, description: 'quota or ramp: wrong_quota; rate or tier: wrong_rate' })
  @IsString()
  @IsIn([...DISPUTE_REASON_INPUTS], { message: `reasonCode must be one of ${DISPUTE_REASON_CODES.join(', ')}` })
  reasonCode: string;

  @ApiPropertyOptional({ example: '250.00', description: 'what the payee thinks is owed: decimal string, at most 2 decimals', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^-?\d{1,18}(\.\d{1,2})?$/, { message: 'claimedAmount must be a decimal string with at most 2 decimals' })
  claimedAmount?: string | null;

  @ApiProperty({ example: 'My February payout misses the B7 booking.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  @IsPlainText()
  text: string;
}
