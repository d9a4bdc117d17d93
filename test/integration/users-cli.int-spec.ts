import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataSource } from '../../src/infra/database';
import { AppConfig, loadConfig } from '../../src/infra/env';
import { runCliProcess } from '../support/cli-process';
import { freshStoreConfig } from '../support/test-config';

/** `cli users create` / `cli users revoke` as separate processes, on the embedded store or on PostgreSQL. */
describe('cli users revoke', () => {
  let cfg: AppConfig;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const store = await freshStoreConfig();
      cfg = store.cfg;
      env = { DATABASE_URL: cfg.databaseUrl! };
      cleanup = store.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cli-users-'));
      cfg = { ...loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: dir }), inMemory: false };
      env = { DATABASE_URL: '', DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => cleanup?.());

  it('revokes a user created by the CLI, audits it, and is idempotent; unknown ids fail', async () => {
    const created = await runCliProcess(['users', 'create', '--role', 'auditor', '--name', 'cli-auditor'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const id = created.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1];
    expect(id).toBeDefined();

    const revoked = await runCliProcess(['users', 'revoke', id!], env);
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^revoked auditor user cli-auditor \\(${id}\\) at \\d{4}-\\d\\d-\\d\\dT`));

    const again = await runCliProcess(['users', 'revoke', id!], env);
    expect(again.code).toBe(0);

    const unknown = await runCliProcess(['users', 'revoke', randomUUID()], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: user [0-9a-f-]{36} not found/);

    const ds = await openDataSource(cfg);
    try {
      const [user] = await ds.query(`SELECT revoked_at FROM users WHERE id = $1`, [id]);
      expect(user.revoked_at).not.toBeNull();
      const events = await ds.query(`SELECT action, actor FROM audit_events WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id`, [id]);
      expect(events.map((e: { action: string }) => e.action)).toEqual(['user.create', 'user.revoke']);
      expect(events[1].actor).toMatch(/^cli:/);
    } finally {
      await ds.destroy();
    }
  });
});
