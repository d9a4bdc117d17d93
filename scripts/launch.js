#!/usr/bin/env node
// Runs an entry point of the service (`src/main`, `src/cli/main`, `bench/run`) as compiled JavaScript from dist/,
// compiling first when any TypeScript source changed since the last build. Compiling on every call (ts-node) cost
// seconds per CLI command; a fresh build answers `periods` in well under a second. The first call after `npm install`
// (or after an edit) compiles incrementally; concurrent callers wait for one build behind a lock directory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.sources');
const LOCK = path.join(DIST, '.build-lock');
const SOURCES = ['src', 'migrations', 'bench'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** Every TypeScript source with its size and mtime: a build is fresh when this list is what it was built from. */
function fingerprint() {
  const h = crypto.createHash('sha1');
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) {
        const st = fs.statSync(p);
        h.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  for (const c of CONFIGS) {
    const st = fs.statSync(path.join(ROOT, c));
    h.update(`${c}:${st.size}:${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

function fresh(fp) {
  try {
    return fs.readFileSync(STAMP, 'utf8') === fp;
  } catch {
    return false;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function build(fp) {
  fs.mkdirSync(DIST, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // a lock left by a killed build (older than 5 minutes) is taken over
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`another build holds ${LOCK}; remove it if no build runs`);
      sleep(200);
      if (fresh(fp)) return;
    }
  }
  try {
    if (fresh(fingerprint())) return;
    process.stderr.write('compiling TypeScript to dist/ (once after an install or a change) ...\n');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', path.join(DIST, '.tsbuildinfo')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      // tsc still emits JavaScript on type errors (as ts-node's transpile-only did); say so once and carry on
      process.stderr.write(`${r.stdout}${r.stderr}type errors above (npm run typecheck); running the emitted JavaScript\n`);
      if (r.error || !fs.existsSync(path.join(DIST, 'src'))) process.exit(r.status ?? 1);
    }
    fs.writeFileSync(STAMP, fingerprint());
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/launch.js <src/main|src/cli/main|bench/run|--build> [args...]\n');
  process.exit(2);
}
const fp = fingerprint();
if (!fresh(fp)) build(fp);
if (entry === '--build') process.exit(0);
// the entry runs as the main module (require.main === module), with its own arguments, as if run directly
process.argv.splice(1, 2, path.join(DIST, `${entry}.js`));
require('node:module').runMain();
