import { EntityManager } from 'typeorm';

/*
 * Set-based writes and lookups for any table, at the driver's level: the repositories name the tables and columns.
 */

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
export async function insertMany(em: EntityManager, table: string, cols: readonly Col[], rows: readonly unknown[][]): Promise<void> {
  const sql = `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')}) SELECT * FROM ${unnest(cols)}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await em.query(sql, columnArrays(cols, rows.slice(i, i + ROWS_PER_STATEMENT)));
  }
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

/**
 * PostgreSQL array literals built here rather than by the driver, so a large chunk's parameters can be prepared while
 * the database runs the previous statement (see Pipeline). Pass them as text and cast them in SQL: `$1::text[]`.
 */
export const ArrayLiteral = {
  /** Any strings: each element double-quoted, with quotes and backslashes escaped; null is NULL. */
  text(values: readonly (string | null)[], from = 0, to = values.length): string {
    const parts = new Array<string>(to - from);
    for (let i = from; i < to; i++) {
      const v = values[i];
      parts[i - from] = v === null ? 'NULL' : NEEDS_ESCAPE.test(v) ? `"${v.replace(NEEDS_ESCAPE_ALL, '\\$&')}"` : `"${v}"`;
    }
    return `{${parts.join(',')}}`;
  },
  /**
   * Values that need no quoting: numbers, and strings made only of letters, digits, '-', '.' and ':' (validated
   * dates, canonical decimals, currency codes, hex digests, ids). null is NULL.
   */
  plain(values: readonly (string | number | null)[], from = 0, to = values.length): string {
    const parts = new Array<string>(to - from);
    for (let i = from; i < to; i++) {
      const v = values[i];
      parts[i - from] = v === null ? 'NULL' : String(v);
    }
    return `{${parts.join(',')}}`;
  },
};
const NEEDS_ESCAPE = /["\\]/;
const NEEDS_ESCAPE_ALL = /["\\]/g;

/**
 * Statements sent one after the other on the transaction's connection, without waiting for each before preparing
 * the next: `send` waits for the previous statement, sends this one and returns once it is on its way.
 */
export class Pipeline {
  private inFlight: Promise<unknown> | undefined;

  constructor(private readonly em: EntityManager) {}

  /**
   * Waits for the previous statement, sends this one, and returns once it is on its way, with its result to await
   * later (a failure surfaces there, or at the next send or flush).
   */
  async send<T = unknown>(sql: string, params: unknown[]): Promise<{ result: Promise<T> }> {
    await this.inFlight;
    const result = this.em.query(sql, params) as Promise<T>;
    result.catch(() => undefined); // never an unhandled rejection while the caller prepares the next statement
    this.inFlight = result;
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { result };
  }

  /** Waits for the last statement; throws its error if it failed. */
  async flush(): Promise<void> {
    const last = this.inFlight;
    this.inFlight = undefined;
    await last;
  }
}
