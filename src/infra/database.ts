import { types as pgTypes } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { Foundation1767225600000 } from '../../migrations/1767225600000-foundation';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { UserEntity } from '../auth/user.entity';
import { BookingCreditEntity } from '../bookings/booking-credit.entity';
import { BookingVersionEntity } from '../bookings/booking-version.entity';
import { FxRateEntity } from '../fx/fx-rate.entity';
import { ImportBatchEntity } from '../imports/import-batch.entity';
import { PlanAssignmentEntity } from '../plans/plan-assignment.entity';
import { PlanVersionEntity } from '../plans/plan-version.entity';
import { RepEntity } from '../reps/rep.entity';
import { AppConfig } from './env';
import { acquireEmbeddedLock } from './embedded-lock';
import { EXTRA_ENTITIES, EXTRA_MIGRATIONS } from './schema-registry';

export const ENTITIES = [
  RepEntity,
  PlanVersionEntity,
  PlanAssignmentEntity,
  ImportBatchEntity,
  BookingVersionEntity,
  BookingCreditEntity,
  FxRateEntity,
  UserEntity,
  AuditEventEntity,
  ...EXTRA_ENTITIES,
];

/** Listed explicitly (no globs) so ts-node, jest and compiled builds all find the same migrations. */
export const MIGRATIONS = [Foundation1767225600000, ...EXTRA_MIGRATIONS];

const PG_DATE_OID = 1082;
// `date` stays an ISO string: a JS Date would shift it by the process time zone.
pgTypes.setTypeParser(PG_DATE_OID, (v: string) => v);

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
    return { type: 'postgres', url: cfg.databaseUrl, ...common, installExtensions: false, extra: { max: 10 } };
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

/** Opens the configured store, locks it when embedded, and brings the schema up to date. */
export async function openDataSource(cfg: AppConfig, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const release = isEmbedded(cfg) && !cfg.inMemory ? acquireEmbeddedLock(cfg.dataDir) : () => undefined;
  try {
    const ds = new DataSource(dataSourceOptions(cfg));
    await ds.initialize();
    if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
    const destroy = ds.destroy.bind(ds);
    ds.destroy = async () => {
      try {
        await destroy();
        if (isEmbedded(cfg)) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const { PGliteInstance } = require('typeorm-pglite/dist/pglite-instance');
          await PGliteInstance.close();
        }
      } finally {
        release();
      }
    };
    return ds;
  } catch (e) {
    release();
    throw e;
  }
}
