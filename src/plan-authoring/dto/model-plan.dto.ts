import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches } from 'class-validator';

export class ModelPlanDto {
  @ApiProperty({ description: 'The draft plan version: a plan document in the format of plans/*.json, for the plan of the path', type: 'object', additionalProperties: true })
  @IsObject()
  plan: Record<string, unknown>;

  @ApiProperty({ example: '2026-01' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'from must be YYYY-MM' })
  from: string;

  @ApiProperty({ example: '2026-12' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'to must be YYYY-MM' })
  to: string;
}

export class CheckPlanDto {
  @ApiProperty({ description: 'A plan document, as edited', type: 'object', additionalProperties: true })
  @IsObject()
  plan: Record<string, unknown>;
}

export class SavePlanVersionDto {
  @ApiProperty({ description: 'The plan document to save as the next version (its version number is assigned)', type: 'object', additionalProperties: true })
  @IsObject()
  plan: Record<string, unknown>;

  @ApiPropertyOptional({ example: '2026-03-01', description: "The day the version takes over (default: the document's effectiveFrom)" })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be YYYY-MM-DD' })
  effectiveFrom?: string;
}
