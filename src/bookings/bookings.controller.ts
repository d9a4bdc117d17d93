import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { READERS, Roles } from '../auth/roles.decorator';
import { IdParam, IsId } from '../infra/identifiers';
import { BookingsService, BookingVersionView } from './bookings.service';

export class ListBookingsQuery {
  @ApiPropertyOptional({ description: 'return bookings whose bookingId sorts after this one (keyset paging)' })
  @IsOptional()
  @IsString()
  @IsId()
  after?: string;

  @ApiPropertyOptional({ description: 'at most this many bookings (1..10000); all when absent', minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  /** Current versions with their credits; a rep or manager sees bookings crediting their visible reps, and only those credits. */
  @Get()
  @Roles(...READERS)
  list(@CurrentActor() actor: Actor, @Query() query: ListBookingsQuery): Promise<BookingVersionView[]> {
    return this.bookings.listCurrent(actor, query);
  }

  @Get(':bookingId/versions')
  @Roles(...READERS)
  versions(@CurrentActor() actor: Actor, @Param('bookingId', IdParam) bookingId: string): Promise<BookingVersionView[]> {
    return this.bookings.versions(actor, bookingId);
  }
}
