import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsId, IsPlainText } from '../../infra/identifiers';
import { ROLES, Role } from '../role';

export class CreateUserDto {
  @ApiProperty({ enum: ROLES, description: 'rep and manager users must name the rep they are (repId)' })
  @IsIn([...ROLES])
  role: Role;

  @ApiPropertyOptional({ example: 'R-1001', description: 'the rep this user is; required for rep and manager' })
  @IsOptional()
  @IsString()
  @IsId()
  repId?: string;

  @ApiPropertyOptional({ example: 'Jane Finance' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  name?: string;
}
