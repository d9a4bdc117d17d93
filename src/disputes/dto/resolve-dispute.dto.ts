import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsPlainText } from '../../infra/identifiers';

/** POST /disputes/:id/uphold: the amount of the adjustment it creates, and why. */
export class UpholdDisputeDto {
  @ApiProperty({ example: '250.00', description: 'non-zero decimal string, at most 2 decimals' })
  @IsString()
  @Matches(/^-?\d{1,18}(\.\d{1,2})?$/, { message: 'amount must be a decimal string with at most 2 decimals' })
  amount: string;

  @ApiProperty({ example: 'B7 was credited to the wrong rep' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsPlainText()
  note: string;
}

/** POST /disputes/:id/reject: the reason is required. */
export class RejectDisputeDto {
  @ApiProperty({ example: 'the booking closed in March; it counts in March' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @IsPlainText()
  reason: string;
}
