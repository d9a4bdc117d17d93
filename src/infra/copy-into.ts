import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';

/**
 * Writes rows given as COPY text (see calculation/copy-text.ts) into `table`, inside the entity manager's
 * transaction. PostgreSQL takes them as a `COPY … FROM STDIN` stream on the transaction's own connection; the embedded
 * store (one connection, transactions are plain SQL on it) reads them as one blob. COPY is several times cheaper than
 * INSERT … unnest for the hundreds of thousands of lines a month can have: no parameter arrays to encode and parse.
 */
export async function copyInto(em: EntityManager, embedded: boolean, table: string, columns: string[], pieces: string[]): Promise<void> {
  if (!pieces.length) return;
  const sql = `COPY ${table} (${columns.join(', ')}) FROM`;
  if (embedded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PGliteInstance } = require('typeorm-pglite/dist/pglite-instance') as typeof import('typeorm-pglite/dist/pglite-instance');
    const pglite = await PGliteInstance.getInstance();
    await pglite.query(`${sql} '/dev/blob'`, [], { blob: new Blob(pieces) });
    return;
  }
  const runner = em.queryRunner;
  if (!runner) throw new Error('copyInto needs the entity manager of a transaction');
  const client = (await runner.connect()) as { query: (s: ReturnType<typeof copyFrom>) => NodeJS.WritableStream };
  await pipeline(Readable.from(pieces), client.query(copyFrom(`${sql} STDIN`)));
}
