import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Decimal } from '../core/money/decimal';
import { decimalTransformer } from '../infra/decimal.transformer';
import { BookingVersionEntity } from './booking-version.entity';

@Entity('booking_credits')
export class BookingCreditEntity {
  @PrimaryColumn({ name: 'booking_version_id', type: 'bigint' }) bookingVersionId: string;
  @PrimaryColumn({ name: 'rep_id', type: 'text' }) repId: string;
  @Column({ name: 'split_pct', type: 'numeric', precision: 9, scale: 6, transformer: decimalTransformer }) splitPct: Decimal;
  @ManyToOne(() => BookingVersionEntity, (b) => b.credits)
  @JoinColumn({ name: 'booking_version_id' })
  bookingVersion: BookingVersionEntity;
}
