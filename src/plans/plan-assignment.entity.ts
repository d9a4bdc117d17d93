import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../core/money/decimal';
import { decimalTransformer } from '../infra/decimal.transformer';

@Entity('plan_assignments')
export class PlanAssignmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'rep_id', type: 'text' }) repId: string;
  @Column({ name: 'plan_id', type: 'text' }) planId: string;
  @Column({ name: 'start_date', type: 'date' }) startDate: string;
  @Column({ name: 'end_date', type: 'date', nullable: true }) endDate: string | null;
  @Column({ name: 'annual_quota', type: 'numeric', precision: 24, scale: 6, transformer: decimalTransformer }) annualQuota: Decimal;
  @Column({ name: 'target_variable', type: 'numeric', precision: 24, scale: 6, transformer: decimalTransformer }) targetVariable: Decimal;
  @Column({ name: 'base_salary', type: 'numeric', precision: 24, scale: 6, transformer: decimalTransformer }) baseSalary: Decimal;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
