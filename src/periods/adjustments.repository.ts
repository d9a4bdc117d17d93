import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period } from '../core/calendar/dates';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

/** An adjustment as stored (append-only: a correction is a new adjustment). Money is a decimal string. */
export interface Adjustment {
  id: string;
  repId: string;
  /** The period it is paid in. */
  period: string;
  amount: string;
  reasonCode: string;
  note: string;
  /** The period it corrects, and the line or booking. */
  originPeriod: string | null;
  originRef: string | null;
  /** `manual`, or `dispute` for one booked by an upheld dispute. */
  source: string;
  createdBy: string;
  createdAt: Date;
}

export type NewAdjustment = Omit<Adjustment, 'id' | 'createdAt'>;

/** An adjustment that corrects an earlier period, as the reconciliation of that period counts it. */
export interface PeriodCorrection {
  id: string;
  repId: string;
  /** The period it is paid in. */
  period: string;
  amount: string;
  source: string;
  originRef: string | null;
}

interface AdjustmentRow {
  id: string;
  rep_id: string;
  period: string;
  amount: string;
  reason_code: string;
  note: string;
  origin_period: string | null;
  origin_ref: string | null;
  source: string;
  created_by: string;
  created_at: Date;
}

/** The adjustments table, and the payee currency an adjustment (or a claimed amount) is in. */
@Injectable()
export class AdjustmentsRepository {
  constructor(private readonly db: Db) {}

  /** The adjustments paid in a period, of the payees in `repIds` (null: all), in the order they were made. */
  async paidIn(p: Period, repIds: string[] | null): Promise<Adjustment[]> {
    const rows = await this.db.query<AdjustmentRow>(
      `SELECT id::text AS id, rep_id, period, amount::text AS amount, reason_code, note, origin_period, origin_ref, source, created_by, created_at
         FROM adjustments WHERE period = $1 AND ($2::text[] IS NULL OR rep_id = ANY($2::text[])) ORDER BY id`,
      [p, repIds],
    );
    return rows.map((r) => ({
      id: r.id,
      repId: r.rep_id,
      period: r.period,
      amount: r.amount,
      reasonCode: r.reason_code,
      note: r.note,
      originPeriod: r.origin_period,
      originRef: r.origin_ref,
      source: r.source,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /** The adjustments correcting `origin` (of one payee, or of all when `onlyRep` is null), in the order they were made. */
  async correcting(origin: Period, onlyRep: string | null): Promise<PeriodCorrection[]> {
    const rows = await this.db.query<{ id: string; rep_id: string; period: string; amount: string; source: string; origin_ref: string | null }>(
      `SELECT id::text AS id, rep_id, period, amount::text AS amount, source, origin_ref FROM adjustments WHERE origin_period = $1 AND ($2::text IS NULL OR rep_id = $2) ORDER BY id`,
      [origin, onlyRep],
    );
    return rows.map((r) => ({ id: r.id, repId: r.rep_id, period: r.period, amount: r.amount, source: r.source, originRef: r.origin_ref }));
  }

  /** Stores an adjustment in the caller's transaction; returns its id. */
  async insert(em: EntityManager, a: NewAdjustment): Promise<string> {
    const [row] = returnedRows<{ id: string }>(
      await em.query(
        `INSERT INTO adjustments (rep_id, period, amount, reason_code, note, origin_period, origin_ref, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
        [a.repId, a.period, a.amount, a.reasonCode, a.note, a.originPeriod, a.originRef, a.source, a.createdBy],
      ),
    );
    return row.id;
  }
}
