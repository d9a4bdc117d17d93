import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/infra/database';
import { loadConfig } from '../../src/infra/env';
import { CLI_ARGS, CliResult, REPO_ROOT, runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

/**
 * A close killed part-way (SIGKILL, no exit handler runs) leaves either nothing or the whole closed period, and
 * re-running it gives exactly the result of an uninterrupted close of the same data in another store.
 *
 * Data: 300 reps (two in three on ae-2026, the rest on am-2026, some hired in January, some paid in EUR) under one
 * manager on mgr-2026, 6,000 bookings in January–February 2026 (some split 60/40, some in EUR, some cancelled later),
 * imported through the CLI into the victim store, which is then copied into the reference store (embedded: the
 * DATA_DIR; PostgreSQL: CREATE DATABASE ... TEMPLATE).
 *
 * When to kill: the close is a single transaction whose writes come at its end (the run, then payouts and lines in
 * chunks of 500). The test kills the process as soon as those writes are seen:
 * - PostgreSQL: a backend of the victim database is running (or has just run) INSERT INTO payouts/payout_lines;
 * - embedded: PGlite writes to pg_wal after the session has started (base/<db>/pg_internal.init is written at boot).
 * If that moment is never seen the process is killed after a deadline; if the close finished before the kill the test
 * says so on stderr and still checks the invariants (then the period must be closed with its whole run).
 */
const PG = Boolean(process.env.DATABASE_URL);
const PERIOD = '2026-01';

interface Store {
  env: Record<string, string>;
  /** embedded: the DATA_DIR; PostgreSQL: the database URL */
  where: string;
  drop(): Promise<void>;
}

function generate(dir: string): void {
  let seed = 20260101;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const reps = ['rep_id,name,email,manager_id,role,hire_date,termination_date,currency', 'K0,Kim Manager,k0@example.com,,Manager,2024-01-01,,EUR'];
  const assignments = ['rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary', 'K0,mgr-2026,2026-01-01,2026-12-31,0,30000,150000'];
  const ids: string[] = [];
  for (let i = 1; i <= 300; i++) {
    const id = `K${String(i).padStart(3, '0')}`;
    ids.push(id);
    const ae = i % 3 !== 0;
    const hire = i % 10 === 0 ? `2026-01-${String(1 + (i % 28)).padStart(2, '0')}` : '2025-03-01';
    reps.push(`${id},Rep ${i},${id.toLowerCase()}@example.com,K0,${ae ? 'AE' : 'AM'},${hire},,${i % 7 === 0 ? 'EUR' : 'USD'}`);
    assignments.push(`${id},${ae ? 'ae-2026' : 'am-2026'},${hire < '2026-01-01' ? '2026-01-01' : hire},2026-12-31,${ae ? 1200000 : 400000},${ae ? 120000 : 28000},100000`);
  }
  const bookings = ['booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date'];
  for (let b = 1; b <= 6000; b++) {
    const month = b <= 3000 ? 1 : 2;
    const day = 1 + Math.floor(rnd() * (month === 1 ? 31 : 28));
    const date = `2026-0${month}-${String(day).padStart(2, '0')}`;
    const type = pick(['new', 'new', 'expansion', 'renewal']);
    const product = pick(['CORE', 'CORE', 'PLATFORM']);
    const amount = String(5000 + Math.floor(rnd() * 195000));
    const term = pick([12, 12, 24, 36]);
    const currency = rnd() < 0.1 ? 'EUR' : 'USD';
    const cancelled = rnd() < 0.05 ? `2026-0${month + 2}-${String(Math.min(day, 28)).padStart(2, '0')}` : '';
    const r1 = pick(ids);
    const id = `BK${String(b).padStart(5, '0')}`;
    const row = (rep: string, split: string) => `${id},${rep},${split},C${b},${type},${product},${amount},${currency},${term},${date},${cancelled}`;
    if (rnd() < 0.15) {
      const r2 = ids[(ids.indexOf(r1) + 1 + Math.floor(rnd() * 298)) % ids.length];
      bookings.push(row(r1, '60'), row(r2, '40'));
    } else bookings.push(row(r1, '100'));
  }
  const fx = ['date,from_currency,to_currency,rate', '2025-12-01,USD,EUR,0.9', '2025-12-01,EUR,USD,1.1', '2026-02-01,USD,EUR,0.92', '2026-02-01,EUR,USD,1.08'];
  for (const [name, rows] of Object.entries({ reps, assignments, fx, bookings })) fs.writeFileSync(path.join(dir, `${name}.csv`), `${rows.join('\n')}\n`);
}

/** Runs SQL against a store that no process has open (embedded) or any time (PostgreSQL). */
async function withSql<T>(store: Store, fn: (q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  if (PG) {
    const c = new Client({ connectionString: store.where });
    await c.connect();
    try {
      return await fn(async (sql, params) => (await c.query(sql, params)).rows);
    } finally {
      await c.end();
    }
  }
  let ds: DataSource;
  try {
    ds = await openDataSource({ ...loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: store.where }), inMemory: false }, { migrate: false });
  } catch (e) {
    throw new Error(`the embedded store ${store.where} cannot be opened after the kill: ${(e as Error).stack ?? e}`);
  }
  try {
    return await fn((sql, params) => ds.query(sql, params));
  } finally {
    await ds.destroy();
  }
}

interface CloseState {
  runs: number;
  payouts: number;
  lines: number;
  status: string | null;
  events: number;
  payeeCount: number | null;
  totalPayout: string | null;
  payoutSum: string | null;
  resultHash: string | null;
  runLines: number;
  /** payouts of the current run that are not zero: the rows of the payroll export */
  nonZero: number;
  nonZeroTotal: string | null;
}

function closeState(store: Store): Promise<CloseState> {
  return withSql(store, async (q) => {
    const [row] = await q(
      `SELECT (SELECT count(*)::int FROM calculation_runs WHERE period = $1) AS runs,
              (SELECT count(*)::int FROM payouts WHERE period = $1) AS payouts,
              (SELECT count(*)::int FROM payout_lines WHERE period = $1) AS lines,
              (SELECT status FROM periods WHERE period = $1) AS status,
              (SELECT count(*)::int FROM audit_events WHERE entity_id = $1 AND action IN ('calculation.run', 'period.approve', 'period.close')) AS events,
              r.payee_count AS "payeeCount", r.total_payout::text AS "totalPayout", r.result_hash AS "resultHash",
              (SELECT sum(payout)::text FROM payouts p WHERE p.run_id = r.id) AS "payoutSum",
              (SELECT count(*)::int FROM payout_lines l WHERE l.run_id = r.id) AS "runLines",
              (SELECT count(*)::int FROM payouts p WHERE p.run_id = r.id AND p.payout <> 0) AS "nonZero",
              (SELECT sum(payout)::text FROM payouts p WHERE p.run_id = r.id AND p.payout <> 0) AS "nonZeroTotal"
         FROM (SELECT 1) one LEFT JOIN calculation_runs r ON r.period = $1 AND r.superseded_by IS NULL`,
      [PERIOD],
    );
    return row as unknown as CloseState;
  });
}

/** Nothing at all, or the whole closed period: one run, every payout of it, its lines and the three audit events. */
function expectNothingOrEverything(s: CloseState): 'nothing' | 'everything' {
  if (s.status === null) {
    expect(s).toEqual({ runs: 0, payouts: 0, lines: 0, status: null, events: 0, payeeCount: null, totalPayout: null, payoutSum: null, resultHash: null, runLines: 0, nonZero: 0, nonZeroTotal: null });
    return 'nothing';
  }
  expect(s).toMatchObject({ runs: 1, status: 'closed', events: 3, payouts: 301, payeeCount: 301, lines: s.runLines });
  expect(s.payoutSum).toBe(s.totalPayout);
  expect(s.lines).toBeGreaterThan(3000);
  return 'everything';
}

async function embeddedStore(root: string, name: string): Promise<Store> {
  const dir = path.join(root, name);
  return { env: { DATABASE_URL: '', DATA_DIR: dir }, where: dir, drop: async () => undefined };
}

async function pgAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A copy of a store nobody has open: the DATA_DIR, or a PostgreSQL database made from it as a template. */
async function copyStore(from: Store, root: string): Promise<Store> {
  if (!PG) {
    const dir = path.join(root, 'reference');
    fs.cpSync(from.where, dir, { recursive: true });
    return { env: { DATABASE_URL: '', DATA_DIR: dir }, where: dir, drop: async () => undefined };
  }
  const source = new URL(from.where).pathname.slice(1);
  const name = `${source}_ref`;
  await pgAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${source}`));
  const url = new URL(from.where);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, where: url.toString(), drop: () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Has the close started writing its results? */
function writingProbe(store: Store): { check: () => Promise<boolean>; stop: () => Promise<void> } {
  if (PG) {
    const c = new Client({ connectionString: store.where });
    const ready = c.connect();
    return {
      check: async () => {
        await ready;
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction') AND query LIKE 'INSERT INTO payout%'`,
        );
        return rows[0].n > 0;
      },
      stop: async () => {
        await ready.catch(() => undefined);
        await c.end();
      },
    };
  }
  const dir = store.where;
  const stamp = (p: string) => {
    try {
      const s = fs.statSync(p);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return 'absent';
    }
  };
  const list = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : []);
  const snapshot = (files: string[]) => new Map(files.map((f) => [f, stamp(f)]));
  const relcache = () => list(path.join(dir, 'base')).map((d) => path.join(d, 'pg_internal.init'));
  const wal = () => list(path.join(dir, 'pg_wal')).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  const changed = (before: Map<string, string>, files: string[]) => files.some((f) => stamp(f) !== (before.get(f) ?? 'absent'));
  const relcacheBefore = snapshot(relcache());
  let walAfterBoot: Map<string, string> | null = null;
  return {
    check: async () => {
      if (!walAfterBoot) {
        if (changed(relcacheBefore, relcache())) walAfterBoot = snapshot(wal()); // the session has started
        return false;
      }
      return changed(walAfterBoot, wal());
    },
    stop: async () => undefined,
  };
}

/** Spawns `close` and SIGKILLs it once it is writing its results (or at the deadline). */
async function closeAndKill(store: Store): Promise<{ killed: boolean; when: string; result: CliResult }> {
  const probe = writingProbe(store);
  const child: ChildProcess = spawn(process.execPath, [...CLI_ARGS, 'close', '--period', PERIOD], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...store.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const started = Date.now();
  let when = 'the deadline (60 s) passed before any write was seen';
  try {
    while (!done && Date.now() - started < 60_000) {
      if (await probe.check()) {
        when = `${Date.now() - started} ms after spawn, when the close was seen writing its results`;
        break;
      }
      await sleep(5);
    }
    if (!done) child.kill('SIGKILL');
  } finally {
    await probe.stop();
  }
  const { code, signal } = await exited;
  return { killed: signal === 'SIGKILL', when, result: { code, signal, stdout, stderr } };
}

/** PostgreSQL: a killed client's backend rolls back once it notices; wait until none is left in the database. */
async function backendsGone(store: Store): Promise<void> {
  if (!PG) return;
  await withSql(store, async (q) => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
      const [{ n }] = await q(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      if (n === 0) return;
    }
    throw new Error('a backend of the killed close is still there after 30 s');
  });
}

const resultOf = (stdout: string) => /^period 2026-01 (closed|is already closed; nothing to do) \(status closed, run (\d+), result ([0-9a-f]{64})\)$/m.exec(stdout);

describe(`a close killed part-way (${PG ? 'PostgreSQL' : 'embedded store'})`, () => {
  let root: string;
  let victim: Store;
  let reference: Store;
  let referenceClose: Promise<CliResult>;
  let referenceHash: string;
  let before: 'nothing' | 'everything';
  let closed: CloseState;

  const cli = async (store: Store, ...args: string[]) => {
    const r = await runCliProcess(args, store.env);
    if (r.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-kill-'));
    generate(root);
    if (PG) {
      const s = await freshStoreConfig();
      victim = { env: { DATABASE_URL: s.cfg.databaseUrl as string }, where: s.cfg.databaseUrl as string, drop: s.drop };
    } else victim = await embeddedStore(root, 'victim');
    for (const kind of ['reps', 'assignments', 'fx', 'bookings']) await cli(victim, 'import', kind, path.join(root, `${kind}.csv`));
    reference = await copyStore(victim, root);
  });
  afterAll(async () => {
    await victim?.drop();
    await reference?.drop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('SIGKILL during the close leaves either no trace of it or the whole closed period', async () => {
    referenceClose = runCliProcess(['close', '--period', PERIOD], reference.env); // the uninterrupted close, meanwhile
    const { killed, when, result } = await closeAndKill(victim);
    if (killed) process.stderr.write(`close-kill: killed the close ${when}\n`);
    else process.stderr.write(`close-kill: the close finished before it could be killed (exit ${result.code}): ${result.stdout}${result.stderr}\n`);
    if (!killed) expect(result.code).toBe(0);
    await backendsGone(victim);
    before = expectNothingOrEverything(await closeState(victim));
    if (!killed) expect(before).toBe('everything');
    process.stderr.write(`close-kill: after the kill the store holds ${before} of the close\n`);
  });

  it('re-running the close gives exactly the result of an uninterrupted close of the same data', async () => {
    const ref = await referenceClose;
    // no payee of this data has acknowledged a written plan: the close warns (and goes ahead), nothing else is said
    expect(ref.stderr).toMatch(/^warning: 301 of 301 assignment\(s\) in effect have an unacknowledged plan document: K0 \(mgr-2026 v1, assignment \d+\), .* and 291 more \(npm run cli -- acknowledgments --status pending\)\n$/);
    expect(ref.code).toBe(0);
    expect(ref.stdout).toMatch(/^calculated 2026-01: run \d+, 301 payees, payouts \d+\.\d\d [A-Z]{3}( \+ \d+\.\d\d [A-Z]{3})*$/m);
    referenceHash = resultOf(ref.stdout)![3];

    const again = await cli(victim, 'close', '--period', PERIOD);
    const m = resultOf(again)!;
    expect(m).not.toBeNull();
    expect(m[1]).toBe(before === 'nothing' ? 'closed' : 'is already closed; nothing to do');
    expect(m[3]).toBe(referenceHash);

    closed = await closeState(victim);
    expect(expectNothingOrEverything(closed)).toBe('everything');
    expect(closed.resultHash).toBe(referenceHash);
    expect(closed).toEqual(await closeState(reference));
  });

  it('the re-closed period verifies from its stored inputs and exports one payroll row per non-zero payout', async () => {
    const verify = await cli(victim, 'verify', '--period', PERIOD);
    expect(verify).toMatch(/^MATCH: inputs match, result matches$/m);
    expect(verify).toContain(`stored result ${referenceHash}, recalculated ${referenceHash}`);

    const file = path.join(root, 'payroll.csv');
    expect(await cli(victim, 'export', 'payroll', '--period', PERIOD, '--out', file)).toBe(`wrote ${closed.nonZero} payroll rows for ${PERIOD} to ${file}\n`);
    const rows = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('rep_id,period,currency,amount,reference');
    expect(rows.length - 1).toBe(closed.nonZero);
    const cents = rows.slice(1).reduce((sum, r) => sum + BigInt(r.split(',')[3].replace('.', '')), 0n);
    expect(cents).toBe(BigInt(String(closed.nonZeroTotal).replace('.', '')));
    expect(new Set(rows.slice(1).map((r) => r.split(',')[4])).size).toBe(rows.length - 1); // references unique per payee and period
    expect(rows.slice(1).every((r) => /^(K\d{3}|K0),2026-01,(USD|EUR),\d+\.\d\d,CE-2026-01-\1$/.test(r))).toBe(true);
  });
});
