import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { WindowSummary } from '../core/calculation/calculation-types';
import { Period } from '../core/calendar/dates';
import { copyInto } from '../infra/copy-into';
import { isEmbedded } from '../infra/database';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { LINE_COLUMNS, PAYOUT_COLUMNS } from './shard-compute';

/** A payout of a period's current run, as the portal, statements and disputes read it. */
export interface Payout {
  repId: string;
  period: string;
  currency: string;
  earnedToDate: string;
  earned: string;
  draw: string;
  payout: string;
  balanceBefore: string;
  balance: string;
  plans: unknown;
  runId: string;
}

/** A payout line as read by the portal, statements and disputes. */
export interface ExplainedLine {
  lineNo: number;
  kind: string;
  componentKey: string | null;
  ref: string | null;
  bookingId: string | null;
  originPeriod: string | null;
  amount: string;
  amountPrecise: string;
  description: string;
  /** The stored trace, as written (the trace contract). */
  trace: unknown;
  cause: string | null;
  /** The trace in words (the engine's one wording module, explain/line-words.ts). */
  explanation: string;
}

/** A line as stored: everything but the trace in words. */
export type StoredLine = Omit<ExplainedLine, 'explanation'>;

interface PayoutRow {
  rep_id: string;
  period: string;
  currency: string;
  earned_to_date: string;
  earned: string;
  draw: string;
  payout: string;
  balance_before: string;
  balance: string;
  plans: unknown;
  run_id: string;
}

interface LineRow {
  line_no: number;
  kind: string;
  component_key: string | null;
  ref: string | null;
  booking_id: string | null;
  origin_period: string | null;
  amount: string;
  amount_precise: string;
  description: string;
  trace: unknown;
  cause: string | null;
}

/** What a run's commit reads of each payee: the hash the result hash combines, and the payout. */
export interface PayeeResult {
  repId: string;
  payeeHash: string;
  payout: string;
  currency: string;
}

/** A stored payout's figures, for the figures hash of a run hashed with version 1. */
export interface PayoutFigures {
  repId: string;
  currency: string;
  earnedToDate: string;
  earned: string;
  draw: string;
  payout: string;
  balance: string;
}

/** A stored line's figures, for the figures hash of a run hashed with version 1. */
export interface LineFigures {
  repId: string;
  kind: string;
  componentKey: string | null;
  ref: string | null;
  originPeriod: string | null;
  amount: string;
  amountPrecise: string;
}

/**
 * The payouts and payout_lines tables (lines read through the view run_lines, which follows a copied payout to the
 * run that wrote its lines): a run's results as written, and the current run's as read.
 */
@Injectable()
export class PayoutsRepository {
  private readonly embedded: boolean;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.embedded = isEmbedded(cfg);
  }

  /** Writes one period of a shard's results, given as COPY text (columns PAYOUT_COLUMNS and LINE_COLUMNS). */
  async write(em: EntityManager, payoutCopy: string[], lineCopy: string[]): Promise<void> {
    // payouts first: every line references its payout
    await copyInto(em, this.embedded, 'payouts', PAYOUT_COLUMNS, payoutCopy);
    await copyInto(em, this.embedded, 'payout_lines', LINE_COLUMNS, lineCopy);
  }

  /**
   * Copies the payouts of `fromRunId` into `runId`, except those of `exceptRepIds`. The copies point at the lines
   * already stored (immutable), which are not copied.
   */
  async copyUnchanged(em: EntityManager, runId: string, fromRunId: string, exceptRepIds: string[]): Promise<void> {
    await em.query(
      `INSERT INTO payouts (run_id, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows, payee_hash, lines_run_id)
       SELECT $1, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows, payee_hash,
              coalesce(lines_run_id, run_id)
         FROM payouts WHERE run_id = $2 AND NOT (rep_id = ANY($3::text[]))`,
      [runId, fromRunId, exceptRepIds],
    );
  }

  /** Whether a shard's payees already have payouts in the run (a shard retried after its commit). */
  async anyOf(em: EntityManager, runId: string, repIds: string[]): Promise<boolean> {
    const [row] = await em.query(`SELECT 1 FROM payouts WHERE run_id = $1 AND rep_id = ANY($2::text[]) LIMIT 1`, [runId, repIds]);
    return Boolean(row);
  }

  /** Every payee's hash and payout in a run, by rep id. */
  async payeeResults(em: EntityManager, runId: string): Promise<PayeeResult[]> {
    const rows = await em.query<{ rep_id: string; payee_hash: string; payout: string; currency: string }[]>(
      `SELECT rep_id, payee_hash, payout::text AS payout, currency FROM payouts WHERE run_id = $1 ORDER BY rep_id`,
      [runId],
    );
    return rows.map((r) => ({ repId: r.rep_id, payeeHash: r.payee_hash, payout: r.payout, currency: r.currency }));
  }

  /** How many payouts of the runs have no payee hash (runs from before payee hashes). */
  async unhashedCount(em: EntityManager, runIdA: string, runIdB: string): Promise<number> {
    const [{ unhashed }] = await em.query(`SELECT count(*)::int AS unhashed FROM payouts WHERE run_id IN ($1, $2) AND payee_hash IS NULL`, [runIdA, runIdB]);
    return unhashed;
  }

  /** The payees whose payee hash differs between two runs (or who are in only one of them). */
  async payeesDiffering(em: EntityManager, runIdA: string, runIdB: string): Promise<string[]> {
    const rows: { rep_id: string }[] = await em.query(
      `SELECT coalesce(a.rep_id, b.rep_id) AS rep_id
         FROM (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $1) a FULL JOIN (SELECT rep_id, payee_hash FROM payouts WHERE run_id = $2) b ON a.rep_id = b.rep_id
        WHERE a.payee_hash IS DISTINCT FROM b.payee_hash`,
      [runIdA, runIdB],
    );
    return rows.map((r) => r.rep_id);
  }

  /** Payouts of the current run of a period (optionally only some reps), by rep id, from after `after`. */
  async currentPayouts(period: Period, repIds: string[] | null, after: string | null, limit: number): Promise<Payout[]> {
    const rows = await this.db.query<PayoutRow>(
      `SELECT p.rep_id, p.period, p.currency, p.earned_to_date::text AS earned_to_date, p.earned::text AS earned, p.draw::text AS draw,
              p.payout::text AS payout, p.balance_before::text AS balance_before, p.balance::text AS balance, p.plans, r.id::text AS run_id
         FROM payouts p JOIN current_runs r ON r.id = p.run_id
        WHERE r.period = $1 AND ($2::text[] IS NULL OR p.rep_id = ANY($2::text[])) AND ($3::text IS NULL OR p.rep_id > $3)
        ORDER BY p.rep_id LIMIT $4`,
      [period, repIds, after, limit],
    );
    return rows.map((p) => ({
      repId: p.rep_id,
      period: p.period,
      currency: p.currency,
      earnedToDate: p.earned_to_date,
      earned: p.earned,
      draw: p.draw,
      payout: p.payout,
      balanceBefore: p.balance_before,
      balance: p.balance,
      plans: p.plans,
      runId: p.run_id,
    }));
  }

  /** A payee's component windows of a period's current run (empty when the run has no payout for them). */
  async currentWindows(period: Period, repId: string): Promise<WindowSummary[]> {
    const [row] = await this.db.query<{ windows: WindowSummary[] }>(
      `SELECT p.windows FROM payouts p JOIN current_runs r ON r.id = p.run_id WHERE r.period = $1 AND p.rep_id = $2`,
      [period, repId],
    );
    return row?.windows ?? [];
  }

  /** A payee's lines of a period's current run with the payout's currency; null when the run has no payout for them. */
  async currentLines(period: Period, repId: string): Promise<{ currency: string; lines: StoredLine[] } | null> {
    // Two index lookups (the payout's currency, then the lines) rather than one join: with the statistics of a
    // freshly written run, the planner scanned every payout of the run per statement.
    const [payout] = await this.db.query<{ currency: string }>(
      `SELECT p.currency FROM payouts p JOIN current_runs r ON r.id = p.run_id WHERE r.period = $1 AND p.rep_id = $2`,
      [period, repId],
    );
    if (!payout) return null;
    const rows = await this.db.query<LineRow>(
      `SELECT l.line_no, l.kind, l.component_key, l.ref, l.booking_id, l.origin_period, l.amount::text AS amount, l.amount_precise::text AS amount_precise,
              l.description, l.trace, l.cause
         FROM run_lines l JOIN current_runs r ON r.id = l.run_id
        WHERE r.period = $1 AND l.rep_id = $2 ORDER BY l.line_no`,
      [period, repId],
    );
    const lines = rows.map((l) => ({
      lineNo: l.line_no,
      kind: l.kind,
      componentKey: l.component_key,
      ref: l.ref,
      bookingId: l.booking_id,
      originPeriod: l.origin_period,
      amount: l.amount,
      amountPrecise: l.amount_precise,
      description: l.description,
      trace: l.trace,
      cause: l.cause,
    }));
    return { currency: payout.currency, lines };
  }

  /** A run's stored payouts' figures, by rep id. */
  async payoutFigures(runId: string): Promise<PayoutFigures[]> {
    const rows = await this.db.query<{ rep_id: string; currency: string; earned_to_date: string; earned: string; draw: string; payout: string; balance: string }>(
      `SELECT rep_id, currency, earned_to_date::text AS earned_to_date, earned::text AS earned, draw::text AS draw, payout::text AS payout, balance::text AS balance
         FROM payouts WHERE run_id = $1 ORDER BY rep_id`,
      [runId],
    );
    return rows.map((p) => ({ repId: p.rep_id, currency: p.currency, earnedToDate: p.earned_to_date, earned: p.earned, draw: p.draw, payout: p.payout, balance: p.balance }));
  }

  /** A run's stored lines' figures, by rep id and line number. */
  async lineFigures(runId: string): Promise<LineFigures[]> {
    const rows = await this.db.query<{ rep_id: string; kind: string; component_key: string | null; ref: string | null; origin_period: string | null; amount: string; amount_precise: string }>(
      `SELECT rep_id, kind, component_key, ref, origin_period, amount::text AS amount, amount_precise::text AS amount_precise FROM run_lines WHERE run_id = $1 ORDER BY rep_id, line_no`,
      [runId],
    );
    return rows.map((l) => ({ repId: l.rep_id, kind: l.kind, componentKey: l.component_key, ref: l.ref, originPeriod: l.origin_period, amount: l.amount, amountPrecise: l.amount_precise }));
  }
}
