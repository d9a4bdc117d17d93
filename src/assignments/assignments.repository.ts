import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AssignmentFields } from '../core/intake/assignment-intake';
import { dec } from '../core/money/decimal';
import { Col, insertMany, selectByChunks, updateMany } from '../infra/sql-batch';
import { Db } from '../infra/db.service';

/** A stored plan assignment. Money is in the rep's currency. */
export interface StoredAssignment extends AssignmentFields {
  id: string;
}

/** An assignment as a statement or the dashboard shows it: amounts as the stored decimal strings. */
export interface AssignmentTerms {
  planId: string;
  annualQuota: string;
  targetVariable: string;
  baseSalary: string;
  startDate: string;
  endDate: string | null;
}

interface AssignmentRow {
  rep_id: string;
  plan_id: string;
  start_date: string;
  end_date: string | null;
  annual_quota: string;
  target_variable: string;
  base_salary: string;
}

const KEY: Col[] = [
  { name: 'rep_id', type: 'text' },
  { name: 'plan_id', type: 'text' },
  { name: 'start_date', type: 'date' },
];
/** What an import may change (rep_id + plan_id + start_date is the key). */
const FIELDS: Col[] = [
  { name: 'end_date', type: 'date' },
  { name: 'annual_quota', type: 'numeric' },
  { name: 'target_variable', type: 'numeric' },
  { name: 'base_salary', type: 'numeric' },
];

/** Values in KEY + FIELDS order. */
const values = (a: AssignmentFields) => [a.repId, a.planId, a.startDate, a.endDate, a.annualQuota.toFixed(), a.targetVariable.toFixed(), a.baseSalary.toFixed()];

function toAssignment(r: AssignmentRow): AssignmentFields {
  return {
    repId: r.rep_id,
    planId: r.plan_id,
    startDate: r.start_date,
    endDate: r.end_date,
    annualQuota: dec(r.annual_quota),
    targetVariable: dec(r.target_variable),
    baseSalary: dec(r.base_salary),
  };
}

/** The plan_assignments table: which plan pays a rep from when, with the rep's quota, target and salary. */
@Injectable()
export class AssignmentsRepository {
  constructor(private readonly db: Db) {}

  /** The assignments of these reps (null: of every rep), by rep, start date and plan. */
  async list(repIds: readonly string[] | null): Promise<StoredAssignment[]> {
    const rows = await this.db.query<AssignmentRow & { id: string }>(
      `SELECT id::text AS id, rep_id, plan_id, start_date, end_date, annual_quota::text AS annual_quota,
              target_variable::text AS target_variable, base_salary::text AS base_salary
         FROM plan_assignments
        WHERE $1::text[] IS NULL OR rep_id = ANY($1::text[])
        ORDER BY rep_id, start_date, plan_id`,
      [repIds],
    );
    return rows.map((r) => ({ id: r.id, ...toAssignment(r) }));
  }

  /** Every assignment of these reps, as an import compares them. */
  async ofReps(em: EntityManager, repIds: readonly string[]): Promise<AssignmentFields[]> {
    const rows = await selectByChunks<AssignmentRow>(
      em,
      `SELECT rep_id, plan_id, start_date, end_date, annual_quota::text AS annual_quota, target_variable::text AS target_variable,
              base_salary::text AS base_salary
         FROM plan_assignments WHERE rep_id = ANY($1::text[])`,
      repIds,
    );
    return rows.map(toAssignment);
  }

  async insertMany(em: EntityManager, assignments: readonly AssignmentFields[]): Promise<void> {
    await insertMany(em, 'plan_assignments', [...KEY, ...FIELDS], assignments.map(values));
  }

  /** Sets every field of the assignments with these keys. */
  async updateMany(em: EntityManager, assignments: readonly AssignmentFields[]): Promise<void> {
    await updateMany(em, 'plan_assignments', KEY, FIELDS, assignments.map(values), 'updated_at = now()');
  }

  /** The payee's assignment on `date`: the one in force then, else the latest started by then (null: none started). */
  async onDate(repId: string, date: string): Promise<AssignmentTerms | null> {
    const [row] = await this.db.query<Omit<AssignmentRow, 'rep_id'>>(
      `SELECT plan_id, annual_quota::text AS annual_quota, target_variable::text AS target_variable, base_salary::text AS base_salary, start_date::text AS start_date, end_date::text AS end_date
         FROM plan_assignments WHERE rep_id = $1 AND start_date <= $2 ORDER BY (end_date IS NULL OR end_date >= $2) DESC, start_date DESC LIMIT 1`,
      [repId, date],
    );
    return row
      ? { planId: row.plan_id, annualQuota: row.annual_quota, targetVariable: row.target_variable, baseSalary: row.base_salary, startDate: row.start_date, endDate: row.end_date }
      : null;
  }
}
