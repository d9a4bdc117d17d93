import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { dec } from '../core/money/decimal';
import { PlanDocumentInput } from '../core/plans/plan-document';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';

/** An assignment with its payee: a plan document's inputs but the plan version. */
export type DocumentAssignment = Pick<PlanDocumentInput, 'assignmentId' | 'rep' | 'assignment'>;

/** A payee's acknowledgment of one document of an assignment. */
export interface Acknowledgment {
  assignmentId: string;
  documentHash: string;
  /** ISO 8601 in UTC. */
  acknowledgedAt: string;
  /** The name of the user who acknowledged. */
  userName: string;
  client: string;
}

/** An acknowledgment to record: which document (and plan version) of which assignment, by whom, from which client. */
export interface NewAcknowledgment {
  assignmentId: string;
  repId: string;
  planId: string;
  planVersion: number;
  planHash: string;
  documentHash: string;
  userId: string;
  client: string;
}

interface AssignmentRow {
  id: string;
  rep_id: string;
  plan_id: string;
  start_date: string;
  end_date: string | null;
  annual_quota: string;
  target_variable: string;
  base_salary: string;
  name: string;
  hire_date: string;
  termination_date: string | null;
  currency: string;
}

interface AckRow {
  assignment_id: string;
  document_hash: string;
  acknowledged_at: Date | string;
  user_name: string;
  client: string;
}

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

/** What a plan document reads (assignments and their payees), and the plan_acknowledgments table (append-only). */
@Injectable()
export class PlanDocumentsRepository {
  constructor(private readonly db: Db) {}

  /** The assignments of these payees (all when null), or only the one with this id, by payee, start and plan. */
  async assignments(repIds: string[] | null, assignmentId: string | null): Promise<DocumentAssignment[]> {
    const rows = await this.db.query<AssignmentRow>(
      `SELECT a.id::text AS id, a.rep_id, a.plan_id, a.start_date, a.end_date, a.annual_quota::text AS annual_quota,
              a.target_variable::text AS target_variable, a.base_salary::text AS base_salary,
              r.name, r.hire_date, r.termination_date, r.currency
         FROM plan_assignments a JOIN reps r ON r.rep_id = a.rep_id
        WHERE ($1::text[] IS NULL OR a.rep_id = ANY($1::text[])) AND ($2::bigint IS NULL OR a.id = $2::bigint)
        ORDER BY a.rep_id, a.start_date, a.plan_id`,
      [repIds, assignmentId],
    );
    return rows.map((r) => ({
      assignmentId: r.id,
      rep: { repId: r.rep_id, name: r.name, managerId: null, hireDate: r.hire_date, terminationDate: r.termination_date, currency: r.currency },
      assignment: {
        repId: r.rep_id,
        planId: r.plan_id,
        startDate: r.start_date,
        endDate: r.end_date,
        annualQuota: dec(r.annual_quota),
        targetVariable: dec(r.target_variable),
        baseSalary: dec(r.base_salary),
      },
    }));
  }

  /** Every acknowledgment of these assignments, whichever document it acknowledged. */
  async acknowledgments(assignmentIds: string[]): Promise<Acknowledgment[]> {
    const rows = await this.db.query<AckRow>(
      `SELECT k.assignment_id::text AS assignment_id, k.document_hash, k.acknowledged_at, u.name AS user_name, k.client
         FROM plan_acknowledgments k JOIN users u ON u.id = k.user_id
        WHERE k.assignment_id = ANY($1::bigint[])`,
      [assignmentIds],
    );
    return rows.map((r) => ({ assignmentId: r.assignment_id, documentHash: r.document_hash, acknowledgedAt: iso(r.acknowledged_at), userName: r.user_name, client: r.client }));
  }

  /** Records the acknowledgment (at the database's clock); false when this document of the assignment already has one. */
  async insertAcknowledgment(em: EntityManager, a: NewAcknowledgment): Promise<boolean> {
    const inserted = await em.query(
      `INSERT INTO plan_acknowledgments (assignment_id, rep_id, plan_id, plan_version, plan_hash, document_hash, user_id, client)
       VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (assignment_id, document_hash) DO NOTHING RETURNING id::text AS id`,
      [a.assignmentId, a.repId, a.planId, a.planVersion, a.planHash, a.documentHash, a.userId, a.client],
    );
    return returnedRows<{ id: string }>(inserted).length > 0;
  }
}
