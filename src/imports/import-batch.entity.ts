import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('import_batches')
export class ImportBatchEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'file_name', type: 'text' }) fileName: string;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ name: 'row_count', type: 'integer' }) rowCount: number;
  @Column({ type: 'integer' }) created: number;
  @Column({ type: 'integer' }) changed: number;
  @Column({ type: 'integer' }) unchanged: number;
  @Column({ type: 'text' }) actor: string;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
}
