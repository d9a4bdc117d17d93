import { ApiProperty } from '@nestjs/swagger';
import { IsObject, Matches } from 'class-validator';

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
