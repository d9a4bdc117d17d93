import { EntityManager } from 'typeorm';

/** Rows per statement: each statement sends one array per column, so a chunk costs one round trip. */
export const ROWS_PER_STATEMENT = 5000;

/** A column and the PostgreSQL type of its values (the arrays are cast to `type[]`). */
export interface Col {
  name: string;
  type: 'text' | 'date' | 'numeric' | 'integer' | 'bigint';
}

function columnArrays(cols: readonly Col[], rows: readonly unknown[][]): unknown[][] {
  return cols.map((_, i) => rows.map((r) => r[i]));
}

function unnest(cols: readonly Col[]): string {
  return `unnest(${cols.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
}

/** Multi-row INSERT from column arrays, in chunks. Values are strings (decimals as Decimal.toFixed()), numbers only for integers. */
export async function insertMany<T = Record<string, string>>(
  em: EntityManager,
  table: string,
  cols: readonly Col[],
  rows: readonly unknown[][],
  returning?: string,
): Promise<T[]> {
  const out: T[] = [];
  const sql = `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')}) SELECT * FROM ${unnest(cols)}${returning ? ` RETURNING ${returning}` : ''}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const result = await em.query(sql, columnArrays(cols, rows.slice(i, i + ROWS_PER_STATEMENT)));
    if (returning) out.push(...(result as T[]));
  }
  return out;
}

/** Multi-row UPDATE ... FROM unnest(...), matching on `keys`, in chunks. `alsoSet` is extra SQL such as "updated_at = now()". */
export async function updateMany(
  em: EntityManager,
  table: string,
  keys: readonly Col[],
  sets: readonly Col[],
  rows: readonly unknown[][],
  alsoSet?: string,
): Promise<void> {
  const cols = [...keys, ...sets];
  const assignments = [...sets.map((c) => `${c.name} = v.${c.name}`), ...(alsoSet ? [alsoSet] : [])].join(', ');
  const match = keys.map((k) => `t.${k.name} = v.${k.name}`).join(' AND ');
  const sql = `UPDATE ${table} t SET ${assignments} FROM ${unnest(cols)} AS v(${cols.map((c) => c.name).join(', ')}) WHERE ${match}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await em.query(sql, columnArrays(cols, rows.slice(i, i + ROWS_PER_STATEMENT)));
  }
}

/** Runs a SELECT once per chunk of `values` (passed as $1, an array) and concatenates the rows: set-based lookups by key. */
export async function selectByChunks<T>(em: EntityManager, sql: string, values: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) {
    out.push(...((await em.query(sql, [values.slice(i, i + ROWS_PER_STATEMENT)])) as T[]));
  }
  return out;
}
