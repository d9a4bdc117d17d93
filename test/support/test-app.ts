import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import request from 'supertest';
import { cliActor } from '../../src/auth/actor';
import { AuthService } from '../../src/auth/auth.service';
import { Role } from '../../src/auth/role';
import { IntakeKind } from '../../src/core/intake/intake';
import { createHttpApp } from '../../src/http-app';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { AppConfig } from '../../src/infra/env';
import { freshStoreConfig } from './test-config';

export interface TestApp {
  app: INestApplication;
  cfg: AppConfig;
  http: () => ReturnType<typeof request>;
  tokenFor(role: Role, repId?: string): Promise<string>;
  /** A read of the store, to check what a request wrote (or did not). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The real HTTP app on a fresh real store (PGlite or PostgreSQL). Nothing is mocked. */
export async function startTestApp(overrides: Partial<AppConfig> | ((fresh: AppConfig) => Partial<AppConfig>) = {}): Promise<TestApp> {
  const fresh = await freshStoreConfig();
  const cfg = { ...fresh.cfg, ...(typeof overrides === 'function' ? overrides(fresh.cfg) : overrides) };
  const drop = fresh.drop;
  const app = await createHttpApp(cfg, { logger: false });
  await app.init();
  return {
    app,
    cfg,
    http: () => request(app.getHttpServer()),
    async tokenFor(role, repId) {
      const u = await app.get(AuthService).createUser(cliActor(), { role, repId });
      return u.token;
    },
    query: <T>(sql: string, params?: unknown[]) => app.get(Db).query<T>(sql, params),
    async close() {
      await app.close();
      await drop();
    },
  };
}

/** Imports the demo's reps, assignments, FX rates and bookings (demo/), as the CLI user. */
export async function importDemo(app: INestApplication): Promise<void> {
  for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
    await app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), cliActor());
  }
}
