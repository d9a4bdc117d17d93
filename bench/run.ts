/**
 * The standard benchmark: `npm run bench [-- --payees N --bookings M --seed S]`.
 * Generates the demo data set, then on the configured database (DATABASE_URL, or a fresh embedded store in a temp
 * DATA_DIR) measures: import rows/s, calculation of all twelve months of 2026, one month's close, recalculation after
 * one booking changes, statements per second, peak RSS, and the plain-SQL floor for the ae-2026 tiered quota
 * commission on the same data. Prints a table. Not a test: nothing here asserts a time.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { AppModule } from '../src/app.module';
import { cliActor } from '../src/auth/actor';
import { CalculationService } from '../src/calculation/calculation.service';
import { IntakeKind } from '../src/core/intake/intake';
import { ImportsService } from '../src/imports/imports.service';
import { Db } from '../src/infra/db.service';
import { loadConfig } from '../src/infra/env';
import { PeriodsService } from '../src/periods/periods.service';
import { PlanModelingService } from '../src/plan-authoring/plan-modeling.service';
import { StatementsService } from '../src/statements/statements.service';
import { Decimal } from '../src/core/money/decimal';
import { FLOOR_SETTINGS, FLOOR_SQL } from './sql-floor';

/** The repository (this file runs compiled from dist/bench, or as TypeScript from bench/). */
const ROOT = path.resolve(__dirname, __dirname.split(path.sep).includes('dist') ? '../..' : '..');

interface Row {
  step: string;
  rows: string;
  seconds: string;
  perSecond: string;
  /** Peak RSS of this process during the step, MB. */
  rss?: string;
}

/** Peak RSS since the last step started (sampled every 100 ms), so each step reports its own. */
let stepPeak = 0;
let peakRss = 0;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  stepPeak = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, stepPeak);
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

/** Peak resident set (VmHWM, kB) of a live process, from /proc. */
function peakRssOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** `cli worker` processes taking calculation shards from the queue; resolves once each is waiting. */
async function startWorkers(n: number, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; shards: () => number }[]> {
  const root = ROOT;
  const out = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['--max-semi-space-size=64', 'scripts/launch.js', 'src/cli/main', 'worker'], {
      cwd: root,
      env: { ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (d) => (log += String(d)));
    return { child, log: () => log, shards: () => (log.match(/: shard of /g) ?? []).length };
  });
  for (const deadline = Date.now() + 60_000; !out.every((w) => w.log().includes('waiting for shards')); await new Promise((r) => setTimeout(r, 200))) {
    if (Date.now() > deadline) throw new Error(`workers did not start:\n${out.map((w) => w.log()).join('\n')}`);
  }
  return out;
}

async function main(): Promise<void> {
  const opts = new Command('bench')
    .option('--payees <n>', 'payees', (v) => Number(v), 200)
    .option('--bookings <n>', 'booking rows', (v) => Number(v), 5000)
    .option('--seed <n>', 'seed', (v) => Number(v), 2026)
    .option('--statements <n>', 'statements to render', (v) => Number(v), 100)
    .option('--workers <n>', 'extra `cli worker` processes sharing the calculation (PostgreSQL only; CALC_QUEUE=pgboss)', (v) => Number(v), 0)
    .option('--embedded', 'also: the year of 1,000 payees x 60,000 rows on a fresh embedded store')
    .parse(process.argv)
    .opts<{ payees: number; bookings: number; seed: number; statements: number; workers: number; embedded?: boolean }>();
  if (opts.workers > 0 && !process.env.DATABASE_URL) throw new Error('--workers needs DATABASE_URL (PostgreSQL)');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-'));
  const env = { ...process.env };
  if (!env.DATABASE_URL) env.DATA_DIR = path.join(dir, 'store');
  if (opts.workers > 0) env.CALC_QUEUE = 'pgboss';
  const cfg = loadConfig(env);
  const workers = await startWorkers(opts.workers, env);
  // The data set comes from `demo generate` in its own process, so generating it counts neither in time nor in RSS.
  const generated = spawnSync(
    process.execPath,
    ['scripts/launch.js', 'src/cli/main', 'demo', 'generate', '--payees', String(opts.payees), '--bookings', String(opts.bookings), '--seed', String(opts.seed), '--out', dir, '--payroll-months', '0'],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (generated.status !== 0) throw new Error(`demo generate failed (exit ${generated.status})`);
  const files = Object.fromEntries(['reps', 'assignments', 'fx', 'bookings'].map((kind) => [kind, path.join(dir, `${kind}.csv`)]));

  peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    stepPeak = Math.max(stepPeak, rss);
  }, 100);
  // every row pushed right after a timed step carries that step's peak
  const out: Row[] = [];
  const push = out.push.bind(out);
  out.push = (...rows: Row[]) => {
    const done = rows.map((r) => ({ ...r, rss: r.rss ?? (r.seconds.endsWith('MB') || r.seconds.endsWith('x') ? '' : (stepPeak / 1024 / 1024).toFixed(0)) }));
    // each step as it ends (a long run that fails later still shows what it measured)
    for (const r of done) process.stderr.write(`bench: ${r.step}: ${r.seconds}${r.rss ? `, peak RSS ${r.rss} MB` : ''}\n`);
    return push(...done);
  };
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger: ['error'] });
  const actor = cliActor();
  try {
    const [{ n }] = await app.get(Db).query<{ n: number }>(`SELECT count(*)::int AS n FROM reps`);
    if (n > 0) throw new Error('the benchmark needs an empty database (it imports, calculates and closes periods): point DATABASE_URL at a new one');
    let importRows = 0;
    let importMs = 0;
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      const [s, ms] = await timed(() => app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(files[kind]), actor));
      importRows += s.rows;
      importMs += ms;
    }
    out.push({ step: 'import (4 files)', rows: String(importRows), seconds: seconds(importMs), perSecond: (importRows / (importMs / 1000)).toFixed(0) });

    const [, calcMs] = await timed(() => app.get(CalculationService).calculate('2026-12', actor));
    out.push({ step: 'calculate 2026-01..12', rows: String(opts.bookings), seconds: seconds(calcMs), perSecond: (opts.bookings / (calcMs / 1000)).toFixed(0) });

    // plan modeling (issue 18): the ae-2026 plan with its first tier's rate changed, over the year just calculated
    const draft = JSON.parse(fs.readFileSync(path.join(ROOT, 'plans', 'ae-2026.json'), 'utf8')) as { version: number; components: { tiers: { rate: string }[] }[] };
    draft.components[0].tiers[0].rate = '0.6';
    draft.version = 2;
    const [model, modelMs] = await timed(() => app.get(PlanModelingService).model('ae-2026', draft, '2026-01', '2026-12'));
    out.push({ step: `plan model: ae-2026, one tier rate changed, 2026-01..12 (${model.payees.length} payees)`, rows: String(opts.bookings), seconds: seconds(modelMs), perSecond: (opts.bookings / (modelMs / 1000)).toFixed(0) });

    const [, closeMs] = await timed(() => app.get(PeriodsService).close('2026-01', actor));
    const db = app.get(Db);
    // the close writes its commission cost accounting (issue 19) in the same transaction
    const [costs] = await db.query<{ lines: string; schedules: string }>(
      `SELECT (SELECT count(*) FROM run_lines l JOIN calculation_runs r ON r.id = l.run_id WHERE r.period = '2026-01' AND r.superseded_by IS NULL)::text AS lines,
              (SELECT count(*) FROM cost_schedules WHERE period = '2026-01')::text AS schedules`,
    );
    out.push({ step: `close 2026-01 (with its accounting: ${costs.schedules} schedules from ${costs.lines} lines)`, rows: '-', seconds: seconds(closeMs), perSecond: '-' });

    // one booking changes: amend the first booking's amount, recalculate the month it is in (and later stale ones)
    const [b] = await db.query<{ booking_id: string; booked: string }>(
      `SELECT booking_id, to_char(booked_date, 'YYYY-MM') AS booked FROM booking_versions WHERE superseded_by IS NULL AND booked_date >= '2026-02-01' ORDER BY booking_id LIMIT 1`,
    );
    // The same booking, every credit, with the amount 1.00 higher (a new version of it).
    const amended = await db.query<{ line: string }>(
      `SELECT concat_ws(',', v.booking_id, c.rep_id, c.split_pct, v.customer_id, v.type, v.product, v.amount + 1, v.currency, v.term_months,
                        v.booked_date, coalesce(v.cancelled_date::text, '')) AS line
         FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
        WHERE v.booking_id = $1 AND v.superseded_by IS NULL ORDER BY c.rep_id`,
      [b.booking_id],
    );
    const header = 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date';
    await app.get(ImportsService).importFile('bookings', 'amend.csv', Buffer.from(`${header}\n${amended.map((a) => a.line).join('\n')}\n`), actor);
    // Incremental: the booking's month (the open month, in a monthly close), then every later one (stale after it),
    // each only for the payees the change reaches.
    const [[month], monthMs] = await timed(() => app.get(CalculationService).calculate(b.booked, actor));
    out.push({ step: `recalculate ${b.booked} after 1 booking change (${month.recalculated} of ${month.payees} payees)`, rows: '1', seconds: seconds(monthMs), perSecond: '-' });
    const [later, laterMs] = await timed(() => app.get(CalculationService).calculate('2026-12', actor));
    out.push({ step: `  then the ${later.length} later months, stale after it`, rows: '-', seconds: seconds(laterMs), perSecond: '-' });

    const svc = app.get(StatementsService);
    // An even sample of the payees (every k-th in id order): managers, whose overrides list every report's booking,
    // and reps in their proportion.
    const everyone = await svc.payeeIds('2026-01', null, 1_000_000);
    const step = Math.max(1, everyone.length / opts.statements);
    const ids = Array.from({ length: Math.min(opts.statements, everyone.length) }, (_, i) => everyone[Math.floor(i * step)]);
    const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
    const [, stMs] = await timed(async () => {
      const recon = await svc.reconciliationFor('2026-01'); // once per period, as `statements` does
      // as `statements` does: the next view is read while one renders
      let next = ids.length ? svc.view('2026-01', ids[0], recon) : null;
      for (let i = 0; i < ids.length; i++) {
        const view = await (next as ReturnType<typeof svc.view>);
        if (i + 1 < ids.length) next = svc.view('2026-01', ids[i + 1], recon);
        await svc.render(view, '2026-01', sink());
      }
    });
    out.push({ step: `statements (${ids.length})`, rows: String(ids.length), seconds: seconds(stMs), perSecond: (ids.length / (stMs / 1000)).toFixed(1) });

    // The floor: E(2026-12) for every payee of the three golden plans in one SQL statement (bench/sql-floor.ts), a
    // second implementation of the contract; checked against the engine's figure for every payee below.
    const [floor, sqlMs] = await timed(() =>
      db.tx(async (em) => {
        await em.query(FLOOR_SETTINGS);
        return (await em.query(FLOOR_SQL)) as { rep_id: string; earned: string }[];
      }),
    );
    out.push({ step: `SQL floor: E(2026-12) of every payee, 3 golden plans (${floor.length} payees)`, rows: String(opts.bookings), seconds: seconds(sqlMs), perSecond: (opts.bookings / (sqlMs / 1000)).toFixed(0) });
    const [, engineDec] = await timed(() => app.get(CalculationService).calculate('2026-12', actor, undefined, { incremental: false }));
    out.push({ step: 'engine: recalculate 2026-12 alone, every payee', rows: String(opts.bookings), seconds: seconds(engineDec), perSecond: (opts.bookings / (engineDec / 1000)).toFixed(0) });
    out.push({ step: 'engine / SQL floor (2026-12)', rows: '-', seconds: (engineDec / sqlMs).toFixed(1) + 'x', perSecond: '-' });
    // The two implementations must agree to the cent for every payee, or the benchmark fails.
    const engine = await db.query<{ rep_id: string; earned: string }>(
      `SELECT p.rep_id, p.earned_to_date::text AS earned FROM payouts p JOIN calculation_runs r ON r.id = p.run_id
        WHERE r.period = '2026-12' AND r.superseded_by IS NULL ORDER BY p.rep_id`,
    );
    const bySql = new Map(floor.map((r) => [r.rep_id, new Decimal(r.earned)]));
    const byEngine = new Map(engine.map((r) => [r.rep_id, new Decimal(r.earned)]));
    const differ = [...new Set([...bySql.keys(), ...byEngine.keys()])].filter((id) => !(bySql.get(id) ?? new Decimal(0)).equals(byEngine.get(id) ?? new Decimal(0)));
    if (differ.length) {
      throw new Error(
        `the SQL floor and the engine disagree on E(2026-12) for ${differ.length} payees, e.g. ` +
          differ.slice(0, 5).map((id) => `${id}: SQL ${bySql.get(id)?.toFixed(2) ?? '-'}, engine ${byEngine.get(id)?.toFixed(2) ?? '-'}`).join('; '),
      );
    }
    out.push({ step: `SQL floor = engine, to the cent, for all ${byEngine.size} payees`, rows: '-', seconds: 'yes', perSecond: '-', rss: '' });
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (opts.embedded) out.push(await embeddedYear(opts.seed));
  clearInterval(sampler);
  out.push({ step: 'peak RSS', rows: '-', seconds: `${(peakRss / 1024 / 1024).toFixed(0)} MB`, perSecond: '-' });
  for (const [i, w] of workers.entries()) {
    out.push({ step: `peak RSS, worker ${i + 1} (${w.shards()} shards)`, rows: '-', seconds: `${(peakRssOf(w.child.pid as number) / 1024).toFixed(0)} MB`, perSecond: '-' });
    w.child.kill('SIGTERM');
  }

  const store = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite';
  const fanOut = opts.workers ? `, calculation on pg-boss with ${opts.workers} extra worker process(es)` : '';
  process.stdout.write(`benchmark: ${opts.payees} payees, ${opts.bookings} booking rows, seed ${opts.seed}, ${store}${fanOut}, ${os.cpus().length} cores, node ${process.version}\n`);
  const w = [Math.max(...out.map((r) => r.step.length), 4), 8, 10, 10, 12];
  const fmt = (c: string[]) => `${c[0].padEnd(w[0])}  ${c[1].padStart(w[1])}  ${c[2].padStart(w[2])}  ${c[3].padStart(w[3])}  ${c[4].padStart(w[4])}`;
  process.stdout.write(
    `${fmt(['step', 'rows', 'seconds', 'rows/s', 'peak RSS MB'])}\n${out.map((r) => fmt([r.step, r.rows, r.seconds, r.perSecond, r.rss ?? ''])).join('\n')}\n`,
  );
}

/** The year of 1,000 payees x 60,000 booking rows on a fresh embedded store (PGlite, in this process). */
async function embeddedYear(seed: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-embedded-'));
  try {
    const generated = spawnSync(
      process.execPath,
      ['scripts/launch.js', 'src/cli/main', 'demo', 'generate', '--payees', '1000', '--bookings', '60000', '--seed', String(seed), '--out', dir, '--payroll-months', '0'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (generated.status !== 0) throw new Error(`demo generate failed (exit ${generated.status})`);
    const cfg = loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: path.join(dir, 'store') });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger: ['error'] });
    try {
      const actor = cliActor();
      for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
        await app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(path.join(dir, `${kind}.csv`)), actor);
      }
      const [, ms] = await timed(() => app.get(CalculationService).calculate('2026-12', actor));
      return { step: 'embedded store: calculate 2026-01..12, 1,000 payees', rows: '60000', seconds: seconds(ms), perSecond: (60000 / (ms / 1000)).toFixed(0) };
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
