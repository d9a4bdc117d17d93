import { types as pgTypes } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { Foundation1767225600000 } from '../../migrations/1767225600000-foundation';
import { AppConfig } from './env';
import { acquireEmbeddedLock } from './embedded-lock';
import { EXTRA_MIGRATIONS } from './schema-registry';

/**
 * No TypeORM entities: every table is read and written by its feature's repository in SQL (`*.repository.ts`), with
 * typed rows in and out. TypeORM gives the connection, transactions and migrations.
 */
export const ENTITIES: Function[] = [];

/** Listed explicitly (no globs) so ts-node, jest and compiled builds all find the same migrations. */
export const MIGRATIONS = [Foundation1767225600000, ...EXTRA_MIGRATIONS];

const PG_DATE_OID = 1082;
/**
 * `date` stays an ISO string: a JS Date would shift it by the process time zone. Given to each pool (not set on the
 * `pg` module, which would change every other client in the process).
 */
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_DATE_OID && format !== 'binary' ? (v: string) => v : pgTypes.getTypeParser(oid, format as 'text')) as typeof pgTypes.getTypeParser,
};

export function isEmbedded(cfg: AppConfig): boolean {
  return !cfg.databaseUrl;
}

export function dataSourceOptions(cfg: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['error'] as ('error')[],
  };
  if (cfg.databaseUrl) {
    // The role is a startup parameter of every pooled connection (the login user must be a member of it).
    const extra = { max: 10, types: PG_TYPES, ...(cfg.databaseRole ? { options: `-c role=${cfg.databaseRole}` } : {}) };
    return { type: 'postgres', url: cfg.databaseUrl, ...common, installExtensions: false, extra };
  }
  // Loaded lazily: the embedded driver pulls in PGlite's WASM, which a PostgreSQL deployment never needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGliteDriver } = require('typeorm-pglite') as typeof import('typeorm-pglite');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { types } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const driver = new PGliteDriver({
    dataDir: cfg.inMemory ? undefined : cfg.dataDir,
    parsers: { [types.DATE]: (v: string) => v },
  }).driver;
  return { type: 'postgres', driver, ...common, installExtensions: false } as DataSourceOptions;
}

/**
 * A data source that also lets go of what opening it took: the embedded store's PGlite instance and its lock file.
 * `destroy` is the one place a store is closed (Nest calls it on shutdown; the CLI and tests call it directly).
 */
class StoreDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly afterDestroy: () => Promise<void>,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      await super.destroy();
    } finally {
      await this.afterDestroy();
    }
  }
}

/** Opens the configured store, locks it when embedded, and brings the schema up to date. */
export async function openDataSource(cfg: AppConfig, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const release = isEmbedded(cfg) && !cfg.inMemory ? acquireEmbeddedLock(cfg.dataDir) : () => undefined;
  try {
    const migrate = opts.migrate !== false;
    // On PostgreSQL with a role (or an owner URL), migrations run as the owner on a connection of their own.
    const asOwner = !!cfg.databaseUrl && !!(cfg.databaseRole || cfg.migrationDatabaseUrl);
    if (migrate && asOwner) {
      // Migrations as the owner, on a connection of their own; the service's connections then work as its role.
      const owner = new DataSource(dataSourceOptions({ ...cfg, databaseUrl: cfg.migrationDatabaseUrl ?? cfg.databaseUrl, databaseRole: undefined }));
      await owner.initialize();
      try {
        await owner.runMigrations({ transaction: 'each' });
      } finally {
        await owner.destroy();
      }
    }
    const ds = new StoreDataSource(dataSourceOptions(cfg), async () => {
      try {
        if (isEmbedded(cfg)) {
          // typeorm-pglite keeps its PGlite in a module-level singleton that its driver does not close.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const { PGliteInstance } = require('typeorm-pglite/dist/pglite-instance');
          await PGliteInstance.close();
        }
      } finally {
        release();
      }
    });
    await ds.initialize();
    if (migrate && !asOwner) await ds.runMigrations({ transaction: 'each' });
    // The embedded store is one session: it takes the role once, after its migrations. Its bulk writes load a
    // blob of the in-process file system with COPY FROM a file, which that predefined role allows (PostgreSQL is
    // written with COPY FROM STDIN and needs no such right).
    if (!cfg.databaseUrl && cfg.databaseRole) {
      await ds.query(`GRANT pg_read_server_files TO ${cfg.databaseRole}`);
      await ds.query(`SET ROLE ${cfg.databaseRole}`);
    }
    return ds;
  } catch (e) {
    release();
    throw e;
  }
}
