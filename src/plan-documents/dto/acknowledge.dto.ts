import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class AcknowledgeDto {
  @ApiPropertyOptional({ description: 'The document hash the payee read (refused with 409 if the document changed since)', example: 'f639400f…' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentHash must be the 64 hex digits of the document read' })
  documentHash?: string;
}

export class ListAcknowledgmentsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'acknowledged'] })
  @IsOptional()
  @IsIn(['pending', 'acknowledged'])
  status?: 'pending' | 'acknowledged';
}
