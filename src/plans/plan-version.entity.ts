import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An immutable, content-hashed plan version loaded from plans/. */
@Entity('plan_versions')
export class PlanVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'plan_id', type: 'text' }) planId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash: string;
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom: string;
  @Column({ name: 'effective_to', type: 'date' }) effectiveTo: string;
  @Column({ type: 'jsonb' }) document: unknown;
  @Column({ name: 'source_file', type: 'text' }) sourceFile: string;
  @Column({ name: 'loaded_at', type: 'timestamptz', insert: false, update: false }) loadedAt: Date;
}
