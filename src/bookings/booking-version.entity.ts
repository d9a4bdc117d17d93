import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../core/money/decimal';
import { decimalTransformer } from '../infra/decimal.transformer';
import { BookingCreditEntity } from './booking-credit.entity';

/** Every version of a booking is kept; the current one has superseded_by = null. */
@Entity('booking_versions')
export class BookingVersionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'booking_id', type: 'text' }) bookingId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) type: 'new' | 'renewal' | 'expansion';
  @Column({ type: 'text' }) product: string;
  @Column({ type: 'numeric', precision: 24, scale: 6, transformer: decimalTransformer }) amount: Decimal;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ name: 'term_months', type: 'integer' }) termMonths: number;
  @Column({ name: 'booked_date', type: 'date' }) bookedDate: string;
  @Column({ name: 'cancelled_date', type: 'date', nullable: true }) cancelledDate: string | null;
  @Column({ name: 'import_id', type: 'bigint', nullable: true }) importId: string | null;
  @Column({ name: 'superseded_by', type: 'bigint', nullable: true }) supersededBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @OneToMany(() => BookingCreditEntity, (c) => c.bookingVersion) credits: BookingCreditEntity[];
}
