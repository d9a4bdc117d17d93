import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { cliActor } from '../auth/actor';
import { loadConfig } from '../infra/env';
import { withApp } from './cli-context';
import { out, session } from './cli-session';

/** Applies pending migrations on a data source and says what it did. */
async function migrate(ds: DataSource): Promise<void> {
  const applied = await ds.runMigrations({ transaction: 'each' });
  out(applied.length ? applied.map((m) => `applied ${m.name}\n`).join('') : 'schema is up to date\n');
}

export function registerCoreCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const lent = session().app;
      if (lent) {
        // the running service migrated its store when it started, through the one connection it holds
        const { DataSource: Source } = await import('typeorm');
        return migrate(lent.get(Source));
      }
      // As the owner: migrations create and alter tables, which the service's role may not.
      const { openDataSource } = await import('../infra/database');
      const cfg = loadConfig();
      const ds = await openDataSource({ ...cfg, databaseUrl: cfg.migrationDatabaseUrl ?? cfg.databaseUrl, databaseRole: undefined }, { migrate: false });
      try {
        await migrate(ds);
      } finally {
        await ds.destroy();
      }
    });

  const users = program.command('users').description('API users and tokens');
  users
    .command('create')
    .description('create a user and print its API token once')
    .requiredOption('--role <role>', 'admin | finance | manager | rep | auditor')
    .option('--rep <rep_id>', 'the rep this user is (required for rep and manager)')
    .option('--name <name>', 'display name')
    .action(async (opts: { role: string; rep?: string; name?: string }) => {
      await withApp(async (app) => {
        const { AuthService } = await import('../auth/auth.service');
        const user = await app.get(AuthService).createUser(cliActor(), { role: opts.role, repId: opts.rep, name: opts.name });
        out(`created ${user.role} user ${user.name} (${user.id})\ntoken: ${user.token}\n`);
      });
    });

  users
    .command('revoke')
    .description("revoke a user's API token (idempotent); the token then gets 401")
    .argument('<id>', 'user id (uuid), as printed by users create')
    .action(async (id: string) => {
      await withApp(async (app) => {
        const { AuthService } = await import('../auth/auth.service');
        const user = await app.get(AuthService).revokeUser(cliActor(), id);
        out(`revoked ${user.role} user ${user.name} (${user.id}) at ${user.revokedAt}\n`);
      });
    });
}
