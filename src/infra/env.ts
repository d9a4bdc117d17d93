import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { AccountingPolicy, DEFAULT_ACCOUNTING_POLICY } from '../core/accounting/accounting-policy';
import { MinorUnitOverrides, MinorUnits } from '../core/money/minor-units';
import { readAccountingPolicy } from './accounting-policy-file';

/** Runtime configuration, read once from the environment and validated at boot. */
export interface AppConfig {
  /** PostgreSQL URL; when absent the embedded PGlite store under dataDir is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Use an in-memory embedded store (tests). */
  inMemory: boolean;
  port: number;
  plansDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Load demo data on start when the store is empty. */
  demo: boolean;
  /** Payees per calculation shard (CALC_SHARD_SIZE): bounds the memory one shard needs. */
  calcShardSize: number;
  /** Booking credit rows a shard loads at most (CALC_SHARD_CREDITS): a manager's shard loads the reports' too. */
  calcShardCredits: number;
  /** CALC_QUEUE=pgboss: shards run as pg-boss jobs that `cli worker` processes (and the close itself) take. */
  calcQueue: 'inline' | 'pgboss';
  /** CALC_INCREMENTAL=false: always recalculate every payee (default true: only payees whose facts changed). */
  calcIncremental: boolean;
  /** CALC_THREADS: worker threads computing shards while the main thread reads and writes (default cores − 1; 0: none). */
  calcThreads: number;
  /** REPORTING_CURRENCY (ISO 4217 code, default USD): what figures adding money across payees are converted into. */
  reportingCurrency: string;
  /** CURRENCY_MINOR_UNITS ("XTS:3,ABC:0"): minor units beyond (or instead of) ISO 4217's for these codes. */
  currencyMinorUnits: MinorUnitOverrides;
  /** DOCS=false: no OpenAPI page (`/docs`, `/docs-json`). It lists every route and schema, never data. */
  docs: boolean;
  /** IMPORT_MAX_MB (default 200): the largest CSV body an import takes (413 above it). */
  importMaxMb: number;
  /** IMPORT_MAX_ERRORS (default 1000): how many problems a rejected import lists; the rest are only counted. */
  importMaxErrors: number;
  /**
   * DATABASE_ROLE (default commission_app, the role a migration creates): the role every connection works as once
   * migrations have run (as the login user, or MIGRATION_DATABASE_URL's). `none`: the login user's own rights.
   */
  databaseRole: string | undefined;
  /** MIGRATION_DATABASE_URL: the tables' owner, for migrations only (default DATABASE_URL). */
  migrationDatabaseUrl: string | undefined;
  /** ACK_REQUIRED=true: a close refuses while an assignment in effect has an unacknowledged plan document (default: warns). */
  ackRequired: boolean;
  /** ACCOUNTING_POLICY: a JSON file of the commission expense accounting policy, read and checked at start (default: the built-in policy). */
  accountingPolicy: AccountingPolicy;
}

/** The role that owns nothing, created by migration 1768262400000-app-role: what the service works as by default. */
export const APP_ROLE = 'commission_app';

export class ConfigError extends Error {}

let cached: AppConfig | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer 0..65535, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const logLevel = (env.LOG_LEVEL ?? 'log') as AppConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) problems.push(`LOG_LEVEL must be error|warn|log|debug, got "${env.LOG_LEVEL}"`);
  const calcShardSize = Number(env.CALC_SHARD_SIZE ?? '500');
  if (!Number.isInteger(calcShardSize) || calcShardSize < 1) problems.push(`CALC_SHARD_SIZE must be a positive integer, got "${env.CALC_SHARD_SIZE}"`);
  const calcShardCredits = Number(env.CALC_SHARD_CREDITS ?? '20000');
  if (!Number.isInteger(calcShardCredits) || calcShardCredits < 1) problems.push(`CALC_SHARD_CREDITS must be a positive integer, got "${env.CALC_SHARD_CREDITS}"`);
  const calcThreads = Number(env.CALC_THREADS ?? String(Math.max(0, availableParallelism() - 1)));
  if (!Number.isInteger(calcThreads) || calcThreads < 0 || calcThreads > 64) problems.push(`CALC_THREADS must be an integer 0..64, got "${env.CALC_THREADS}"`);
  const calcQueue = (env.CALC_QUEUE ?? 'inline') as AppConfig['calcQueue'];
  if (!['inline', 'pgboss'].includes(calcQueue)) problems.push(`CALC_QUEUE must be inline|pgboss, got "${env.CALC_QUEUE}"`);
  if (calcQueue === 'pgboss' && !databaseUrl) problems.push('CALC_QUEUE=pgboss needs DATABASE_URL (PostgreSQL): the embedded store is single-process');
  const reportingCurrency = env.REPORTING_CURRENCY ?? 'USD';
  if (!/^[A-Z]{3}$/.test(reportingCurrency)) problems.push(`REPORTING_CURRENCY must be an ISO 4217 code of three capital letters, got "${env.REPORTING_CURRENCY}"`);
  const importMaxMb = Number(env.IMPORT_MAX_MB ?? '200');
  if (!Number.isInteger(importMaxMb) || importMaxMb < 1 || importMaxMb > 2048) problems.push(`IMPORT_MAX_MB must be an integer 1..2048, got "${env.IMPORT_MAX_MB}"`);
  const importMaxErrors = Number(env.IMPORT_MAX_ERRORS ?? '1000');
  if (!Number.isInteger(importMaxErrors) || importMaxErrors < 1 || importMaxErrors > 100_000) {
    problems.push(`IMPORT_MAX_ERRORS must be an integer 1..100000, got "${env.IMPORT_MAX_ERRORS}"`);
  }
  const roleSetting = env.DATABASE_ROLE?.trim() || APP_ROLE;
  const databaseRole = roleSetting === 'none' ? undefined : roleSetting;
  if (databaseRole && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseRole)) problems.push(`DATABASE_ROLE must be a plain lowercase role name or none, got "${env.DATABASE_ROLE}"`);
  const migrationDatabaseUrl = env.MIGRATION_DATABASE_URL?.trim() || undefined;
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) problems.push('MIGRATION_DATABASE_URL must start with postgres:// or postgresql://');
  if (migrationDatabaseUrl && !databaseUrl) problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (PostgreSQL)');
  const minorUnits = MinorUnits.parse(env.CURRENCY_MINOR_UNITS);
  problems.push(...minorUnits.problems);
  let accountingPolicy = DEFAULT_ACCOUNTING_POLICY;
  try {
    accountingPolicy = readAccountingPolicy(env.ACCOUNTING_POLICY?.trim() ? path.resolve(env.ACCOUNTING_POLICY.trim()) : undefined);
  } catch (e) {
    problems.push(`ACCOUNTING_POLICY: ${(e as Error).message}`);
  }
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    inMemory: env.DATA_DIR === ':memory:',
    port,
    plansDir: path.resolve(env.PLANS_DIR ?? 'plans'),
    logLevel,
    demo: (env.DEMO ?? 'false') === 'true',
    calcShardSize,
    calcShardCredits,
    calcQueue,
    calcIncremental: (env.CALC_INCREMENTAL ?? 'true') !== 'false',
    calcThreads,
    reportingCurrency,
    currencyMinorUnits: minorUnits.overrides,
    docs: (env.DOCS ?? 'true') !== 'false',
    importMaxErrors,
    databaseRole,
    migrationDatabaseUrl,
    importMaxMb,
    ackRequired: (env.ACK_REQUIRED ?? 'false') === 'true',
    accountingPolicy,
  };
}

export function config(): AppConfig {
  return (cached ??= loadConfig());
}

export function resetConfigCache(): void {
  cached = undefined;
}
