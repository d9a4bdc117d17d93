import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from './env';
import { APP_CONFIG } from './tokens';
import { isEmbedded } from './database';

/** A read: in a transaction's entity manager, or on its own. */
export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * The one way services write: `db.tx(fn)`. On PostgreSQL this is an ordinary transaction. The embedded store has a
 * single connection, so concurrent transactions would interleave on it; there we queue them behind a mutex.
 */
@Injectable()
export class Db {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.serialize = isEmbedded(cfg);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(fn);
    const run = this.queue.then(() => this.dataSource.transaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether the store answers (the health check). */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  /**
   * Where a repository reads: in the caller's transaction when it passes one (`em`), else on its own through
   * `query` (queued behind running transactions on the embedded store, so never call this without `em` inside one).
   */
  reader(em?: EntityManager): Query {
    return em ? (sql, params = []) => em.query(sql, params) : (sql, params = []) => this.query(sql, params);
  }

  /** Raw query outside a transaction (reads). Serialized behind running transactions on the embedded store. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.serialize) return this.dataSource.query(sql, params);
    const run = this.queue.then(() => this.dataSource.query(sql, params));
    this.queue = run.catch(() => undefined);
    return run as Promise<T[]>;
  }
}
