import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/*
 * The shape of the house (issue 20), read from the source with TypeScript's own parser:
 * - no import cycle anywhere in src/ (type-only imports count: a cycle of types is a cycle of concepts);
 * - src/infra imports nothing from a feature folder (features register with it, not the other way round);
 * - no TypeORM entity: tables are read and written in SQL by repositories, with typed rows;
 * - SQL only in repositories (`*.repository.ts`) and in infra, the driver layer (transactions, COPY, the health ping);
 *   migrations live outside src/.
 */
const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sourceFiles(SRC);
const rel = (f: string) => path.relative(SRC, f);

/** Each file's imports of other files in src/ (relative specifiers resolved as TypeScript would). */
const GRAPH = new Map<string, string[]>(
  FILES.map((f) => {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    const deps = info.importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(f), s))
      .map((r) => (fs.existsSync(`${r}.ts`) ? `${r}.ts` : fs.existsSync(path.join(r, 'index.ts')) ? path.join(r, 'index.ts') : null))
      .filter((r): r is string => r !== null && r.startsWith(SRC));
    return [f, deps];
  }),
);

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** A statement or a driver call: what only a repository (or infra) may hold. */
const SQL = /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+(RECURSIVE\s+)?\w+(\([\w, ]*\))?\s+AS\s*\(|LOCK\s+TABLE|pg_advisory\w*)\b|\.query\s*[<(]/;

describe('the shape of src/', () => {
  it('has no import cycle', () => {
    expect(cycles(GRAPH)).toEqual([]);
  });

  it('the cycle check finds one (it would not pass by accident)', () => {
    const f = (n: string) => path.join(SRC, `${n}.ts`);
    const graph = new Map([[f('a'), [f('b')]], [f('b'), [f('c')]], [f('c'), [f('a')]], [f('d'), [f('a')]]]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('infra imports only infra and the core', () => {
    const upward = [...GRAPH]
      .filter(([f]) => rel(f).startsWith('infra/'))
      .flatMap(([f, deps]) => deps.filter((d) => !rel(d).startsWith('infra/') && !rel(d).startsWith('core/')).map((d) => `${rel(f)} -> ${rel(d)}`));
    expect(upward).toEqual([]);
  });

  it('has no TypeORM entity', () => {
    expect(FILES.filter((f) => f.endsWith('.entity.ts') || /@Entity\(/.test(fs.readFileSync(f, 'utf8'))).map(rel)).toEqual([]);
  });

  it('has SQL only in repositories and infra', () => {
    const outside = FILES.filter((f) => !f.endsWith('.repository.ts') && !rel(f).startsWith('infra/'));
    expect(outside.filter((f) => SQL.test(fs.readFileSync(f, 'utf8'))).map(rel)).toEqual([]);
  });

  it('the SQL check finds SQL (it would not pass by accident)', () => {
    const samples = [
      'await em.query(`SELECT 1`)',
      'db.query<{ n: string }>(sql)',
      'const sql = `INSERT INTO reps (rep_id) VALUES ($1)`',
      '`UPDATE periods SET status = $1`',
      '"DELETE FROM adjustments"',
      '`WITH RECURSIVE team(rep_id) AS (SELECT 1)`',
      '`LOCK TABLE runs IN EXCLUSIVE MODE`',
    ];
    expect(samples.filter((s) => !SQL.test(s))).toEqual([]);
    expect(SQL.test('const selected = rows.filter((r) => r.updated); // select the ones to insert into the set')).toBe(false);
  });
});
