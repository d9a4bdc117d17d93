import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Period } from '../core/calendar/dates';
import { DisputeStatus, DisputeTargetKind, statusesBefore } from '../core/disputes/dispute-rules';
import { DisputeFact } from '../core/kpis/dispute-stats';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

/** A dispute as the API and the CLI show it. Money is a decimal string with 2 decimals; times are ISO 8601 (UTC). */
export interface Dispute {
  id: string;
  repId: string;
  period: string;
  targetKind: DisputeTargetKind;
  targetRef: string | null;
  reasonCode: string;
  claimedAmount: string | null;
  text: string;
  status: DisputeStatus;
  resolutionAmount: string | null;
  resolutionNote: string | null;
  adjustmentId: string | null;
  raisedBy: string;
  raisedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** A dispute to store (it starts open). */
export type NewDispute = Pick<Dispute, 'repId' | 'period' | 'targetKind' | 'targetRef' | 'reasonCode' | 'claimedAmount' | 'text' | 'raisedBy'>;

/** A state change and what it records. */
export type DisputeChange =
  | { to: 'in_review'; reviewedBy: string }
  | { to: 'upheld'; amount: string; note: string; adjustmentId: string; resolvedBy: string }
  | { to: 'rejected'; note: string; resolvedBy: string };

/** A dispute as the statistics read it, with its period. */
export interface DisputeStatsFact extends DisputeFact {
  period: string;
  raisedAt: string;
  resolvedAt: string | null;
}

interface DisputeRow {
  id: string;
  rep_id: string;
  period: string;
  target_kind: DisputeTargetKind;
  target_ref: string | null;
  reason_code: string;
  claimed_amount: string | null;
  text: string;
  status: DisputeStatus;
  resolution_amount: string | null;
  resolution_note: string | null;
  adjustment_id: string | null;
  raised_by: string;
  raised_at: Date | string;
  reviewed_by: string | null;
  reviewed_at: Date | string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
}


const SELECT_DISPUTE = `SELECT d.id::text AS id, d.rep_id, d.period, d.target_kind, d.target_ref, d.reason_code, d.claimed_amount::text AS claimed_amount, d.text,
       d.status, d.resolution_amount::text AS resolution_amount, d.resolution_note, d.adjustment_id::text AS adjustment_id,
       d.raised_by, d.raised_at, d.reviewed_by, d.reviewed_at, d.resolved_by, d.resolved_at
  FROM disputes d`;

const iso = (v: Date | string | null): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

const toDispute = (r: DisputeRow): Dispute => ({
  id: r.id,
  repId: r.rep_id,
  period: r.period,
  targetKind: r.target_kind,
  targetRef: r.target_ref,
  reasonCode: r.reason_code,
  claimedAmount: r.claimed_amount,
  text: r.text,
  status: r.status,
  resolutionAmount: r.resolution_amount,
  resolutionNote: r.resolution_note,
  adjustmentId: r.adjustment_id,
  raisedBy: r.raised_by,
  raisedAt: iso(r.raised_at) as string,
  reviewedBy: r.reviewed_by,
  reviewedAt: iso(r.reviewed_at),
  resolvedBy: r.resolved_by,
  resolvedAt: iso(r.resolved_at),
});

/** The disputes table, and what a dispute points at: the payout or line it is about, and its raise event. */
/** An open or in-review dispute the payee raised. */
export interface OpenDispute {
  id: string;
  reasonCode: string;
  status: string;
  /** ISO 8601 in UTC. */
  raisedAt: string;
  targetKind: string;
  targetRef: string | null;
  period: string;
}

interface OpenDisputeRow {
  id: string;
  reason_code: string;
  status: string;
  raised_at: Date;
  target_kind: string;
  target_ref: string | null;
  period: string;
}

@Injectable()
export class DisputesRepository {
  constructor(private readonly db: Db) {}

  /** One dispute, or null. */
  async find(id: string, em?: EntityManager): Promise<Dispute | null> {
    const [row] = await this.db.reader(em)<DisputeRow>(`${SELECT_DISPUTE} WHERE d.id = $1`, [id]);
    return row ? toDispute(row) : null;
  }

  /** The disputes of the payees in `repIds` (null: all), of one status and period when given, in the order raised. */
  async list(filter: { repIds: string[] | null; status: string | null; period: Period | null }): Promise<Dispute[]> {
    const rows = await this.db.query<DisputeRow>(
      `${SELECT_DISPUTE}
        WHERE ($1::text[] IS NULL OR d.rep_id = ANY($1::text[])) AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.period = $3)
        ORDER BY d.id`,
      [filter.repIds, filter.status, filter.period],
    );
    return rows.map(toDispute);
  }

  /** Stores a new (open) dispute in the caller's transaction; returns its id. */
  async insert(em: EntityManager, d: NewDispute): Promise<string> {
    const [row] = returnedRows<{ id: string }>(
      await em.query(
        `INSERT INTO disputes (rep_id, period, target_kind, target_ref, reason_code, claimed_amount, text, raised_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [d.repId, d.period, d.targetKind, d.targetRef, d.reasonCode, d.claimedAmount, d.text, d.raisedBy],
      ),
    );
    return row.id;
  }

  /**
   * The guarded state change: `UPDATE ... WHERE id = $1 AND status IN (<allowed before>)`. False when no row changed:
   * the dispute is not in a status the change starts from (someone else won).
   */
  async change(em: EntityManager, id: string, c: DisputeChange): Promise<boolean> {
    const [set, params]: [string, unknown[]] =
      c.to === 'in_review'
        ? [`reviewed_by = $2, reviewed_at = now()`, [c.reviewedBy]]
        : c.to === 'upheld'
          ? [`resolution_amount = $2, resolution_note = $3, adjustment_id = $4, resolved_by = $5, resolved_at = now()`, [c.amount, c.note, c.adjustmentId, c.resolvedBy]]
          : [`resolution_note = $2, resolved_by = $3, resolved_at = now()`, [c.note, c.resolvedBy]];
    const from = statusesBefore(c.to);
    const res = await em.query(
      `UPDATE disputes SET status = '${c.to}', ${set} WHERE id = $1 AND status IN (${from.map((s) => `'${s}'`).join(', ')}) RETURNING id::text AS id`,
      [id, ...params],
    );
    return returnedRows(res).length > 0;
  }

  /** A dispute's status in the caller's transaction, or null when there is no such dispute. */
  async statusOf(em: EntityManager, id: string): Promise<DisputeStatus | null> {
    const [now] = await em.query(`SELECT status FROM disputes WHERE id = $1`, [id]);
    return (now as { status: DisputeStatus } | undefined)?.status ?? null;
  }

  /** The payee's payout in the period's current run, or null. */
  async payout(em: EntityManager, period: Period, repId: string): Promise<{ runId: string; payout: string; currency: string } | null> {
    const [p] = await em.query(
      `SELECT r.id::text AS run_id, p.payout::text AS payout, p.currency FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND p.rep_id = $2`,
      [period, repId],
    );
    return p ? { runId: p.run_id, payout: p.payout, currency: p.currency } : null;
  }

  /** Line `lineNo` of the payee's payout in the period's current run, or null. */
  async line(em: EntityManager, period: Period, repId: string, lineNo: number): Promise<{ runId: string; kind: string; ref: string | null; amount: string; description: string } | null> {
    const [l] = await em.query(
      `SELECT r.id::text AS run_id, l.kind, l.ref, l.amount::text AS amount, l.description FROM run_lines l JOIN current_runs r ON r.id = l.run_id
        WHERE r.period = $1 AND l.rep_id = $2 AND l.line_no = $3`,
      [period, repId, lineNo],
    );
    return l ? { runId: l.run_id, kind: l.kind, ref: l.ref, amount: l.amount, description: l.description } : null;
  }

  /** The disputes of the payees in `repIds` (null: all) as the statistics read them, in the order raised. */
  async statsFacts(repIds: string[] | null): Promise<DisputeStatsFact[]> {
    const rows = await this.db.query<{ period: string; reason_code: string; status: string; raised_at: string; resolved_at: string | null }>(
      `SELECT period, reason_code, status,
              to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS raised_at,
              to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolved_at
         FROM disputes WHERE ($1::text[] IS NULL OR rep_id = ANY($1::text[])) ORDER BY id`,
      [repIds],
    );
    return rows.map((r) => ({ period: r.period, reasonCode: r.reason_code, status: r.status, raisedAt: r.raised_at, resolvedAt: r.resolved_at }));
  }

  /** The statements (payouts of the current runs) per period, of the payees in `repIds` (null: all). */
  async statementCounts(repIds: string[] | null): Promise<{ period: string; statements: number }[]> {
    const rows = await this.db.query<{ period: string; n: string }>(
      `SELECT r.period, count(*)::text AS n FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE ($1::text[] IS NULL OR p.rep_id = ANY($1::text[])) GROUP BY r.period`,
      [repIds],
    );
    return rows.map((r) => ({ period: r.period, statements: Number(r.n) }));
  }

  /** The payee's open and in-review disputes, by id. */
  async openOf(repId: string): Promise<OpenDispute[]> {
    const rows = await this.db.query<OpenDisputeRow>(
      `SELECT id::text AS id, reason_code, status, raised_at, target_kind, target_ref, period FROM disputes WHERE rep_id = $1 AND status IN ('open','in_review') ORDER BY id`,
      [repId],
    );
    return rows.map((d) => ({
      id: d.id,
      reasonCode: d.reason_code,
      status: d.status,
      raisedAt: new Date(d.raised_at).toISOString(),
      targetKind: d.target_kind,
      targetRef: d.target_ref,
      period: d.period,
    }));
  }
}
