import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('reps')
export class RepEntity {
  @PrimaryColumn({ name: 'rep_id', type: 'text' }) repId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) email: string;
  @Column({ name: 'manager_id', type: 'text', nullable: true }) managerId: string | null;
  @Column({ type: 'text' }) role: string;
  @Column({ name: 'hire_date', type: 'date' }) hireDate: string;
  @Column({ name: 'termination_date', type: 'date', nullable: true }) terminationDate: string | null;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
