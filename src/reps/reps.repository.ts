import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RepFields } from '../core/intake/rep-intake';
import { Col, insertMany, updateMany } from '../infra/sql-batch';
import { Db } from '../infra/db.service';

interface RepRow {
  rep_id: string;
  name: string;
  email: string;
  manager_id: string | null;
  role: string;
  hire_date: string;
  termination_date: string | null;
  currency: string;
}

/** The API's listing: the columns under their field names. */
const SELECT = `SELECT rep_id AS "repId", name, email, manager_id AS "managerId", role, hire_date AS "hireDate",
                       termination_date AS "terminationDate", currency
                  FROM reps`;

const KEY: Col[] = [{ name: 'rep_id', type: 'text' }];
/** What an import may change (rep_id is the key). */
const FIELDS: Col[] = [
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'manager_id', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'hire_date', type: 'date' },
  { name: 'termination_date', type: 'date' },
  { name: 'currency', type: 'text' },
];

/** Values in KEY + FIELDS order. */
const values = (r: RepFields) => [r.repId, r.name, r.email, r.managerId, r.role, r.hireDate, r.terminationDate, r.currency];

/** The reps table: one row per payee. */
@Injectable()
export class RepsRepository {
  constructor(private readonly db: Db) {}

  /** The reps with these ids (null: every rep), by rep_id. */
  async list(repIds: readonly string[] | null): Promise<RepFields[]> {
    return this.db.query<RepFields>(`${SELECT} WHERE $1::text[] IS NULL OR rep_id = ANY($1::text[]) ORDER BY rep_id`, [repIds]);
  }

  async byId(repId: string): Promise<RepFields | null> {
    const [rep] = await this.db.query<RepFields>(`${SELECT} WHERE rep_id = $1`, [repId]);
    return rep ?? null;
  }

  /** The payee's currency (what their amounts are in), or null for an unknown payee; read in the caller's transaction. */
  async currencyOf(em: EntityManager, repId: string): Promise<string | null> {
    const [rep] = await em.query(`SELECT currency FROM reps WHERE rep_id = $1`, [repId]);
    return (rep as { currency: string } | undefined)?.currency ?? null;
  }

  /** Whether the store holds any rep (the demo loads only into an empty store). */
  async any(): Promise<boolean> {
    const [row] = await this.db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM reps) AS any`);
    return Boolean(row?.any);
  }

  /** A payee and everyone who reports to them, directly or through others (the reporting line, for access control). */
  async teamOf(repId: string): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `WITH RECURSIVE team(rep_id) AS (
         SELECT $1::text
         UNION
         SELECT r.rep_id FROM reps r JOIN team t ON r.manager_id = t.rep_id
       ) SELECT rep_id FROM team`,
      [repId],
    );
    return rows.map((r) => r.rep_id);
  }

  /** Every rep id in the store (reps are few: one per payee), for "does this rep exist" checks without a query per row. */
  async ids(em: EntityManager): Promise<Set<string>> {
    const rows: { rep_id: string }[] = await em.query(`SELECT rep_id FROM reps`);
    return new Set(rows.map((r) => r.rep_id));
  }

  /** Every rep, as an import compares them (and checks managers against them). */
  async all(em: EntityManager): Promise<RepFields[]> {
    const rows: RepRow[] = await em.query(`SELECT rep_id, name, email, manager_id, role, hire_date, termination_date, currency FROM reps`);
    return rows.map((r) => ({
      repId: r.rep_id,
      name: r.name,
      email: r.email,
      managerId: r.manager_id,
      role: r.role,
      hireDate: r.hire_date,
      terminationDate: r.termination_date,
      currency: r.currency,
    }));
  }

  async insertMany(em: EntityManager, reps: readonly RepFields[]): Promise<void> {
    await insertMany(em, 'reps', [...KEY, ...FIELDS], reps.map(values));
  }

  /** Sets every field of the reps with these ids. */
  async updateMany(em: EntityManager, reps: readonly RepFields[]): Promise<void> {
    await updateMany(em, 'reps', KEY, FIELDS, reps.map(values), 'updated_at = now()');
  }
}
