import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Decimal } from '../core/money/decimal';
import { decimalTransformer } from '../infra/decimal.transformer';

@Entity('fx_rates')
export class FxRateEntity {
  @PrimaryColumn({ name: 'from_currency', type: 'char', length: 3 }) fromCurrency: string;
  @PrimaryColumn({ name: 'to_currency', type: 'char', length: 3 }) toCurrency: string;
  @PrimaryColumn({ name: 'rate_date', type: 'date' }) rateDate: string;
  @Column({ type: 'numeric', precision: 30, scale: 12, transformer: decimalTransformer }) rate: Decimal;
  @Column({ name: 'import_id', type: 'bigint', nullable: true }) importId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
