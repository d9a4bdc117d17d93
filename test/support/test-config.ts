import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppConfig, loadConfig } from '../../src/infra/env';

/**
 * A fresh store per test file: an in-memory PGlite by default, or a throwaway PostgreSQL database when
 * DATABASE_URL is set (the CI runs the suite both ways).
 */
export async function freshStoreConfig(): Promise<{ cfg: AppConfig; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    return { cfg: { ...loadConfig({ ...process.env, DATA_DIR: ':memory:', DATABASE_URL: '' }), inMemory: true }, drop: async () => undefined };
  }
  const name = `ce_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    cfg: loadConfig({ ...process.env, DATABASE_URL: url.toString() }),
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A store that CLI child processes can open too: an embedded store in a temp directory (on disk, not in memory), or a
 * throwaway PostgreSQL database when DATABASE_URL is set. `env` is what the child processes need to find it.
 */
export async function cliStore(prefix: string): Promise<{ cfg: AppConfig; env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const store = await freshStoreConfig();
    return { cfg: store.cfg, env: { DATABASE_URL: store.cfg.databaseUrl! }, cleanup: store.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    cfg: { ...loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: dir }), inMemory: false },
    env: { DATABASE_URL: '', DATA_DIR: dir },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
