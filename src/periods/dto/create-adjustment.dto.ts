import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId, IsPlainText } from '../../infra/identifiers';
import { ADJUSTMENT_REASONS } from '../periods.service';

export class CreateAdjustmentDto {
  @ApiProperty({ example: 'A1' })
  @IsString()
  @IsId()
  repId: string;

  @ApiProperty({ example: '-150.00', description: "decimal string in the payee's currency (its minor unit of decimals), at most 18 digits before the point, non-zero" })
  @IsString()
  @Matches(/^-?\d{1,18}(\.\d{1,4})?$/, { message: 'amount must be a decimal string of at most 18 digits before the point and at most 4 after it' })
  amount: string;

  @ApiProperty({ enum: ADJUSTMENT_REASONS })
  @IsIn(ADJUSTMENT_REASONS as unknown as string[])
  reasonCode: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsPlainText()
  note: string;

  @ApiPropertyOptional({ example: '2026-02', description: 'the period the adjustment corrects' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  originPeriod?: string;

  @ApiPropertyOptional({ description: 'the payout line or booking it corrects' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  originRef?: string;
}
