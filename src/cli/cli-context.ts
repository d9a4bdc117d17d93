import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '../infra/env';
import { session } from './cli-session';

/**
 * Boots the same modules as the HTTP service, without HTTP, against the same database configuration; inside a
 * running service (a forwarded command) the service's own application is used. Nest and the modules load only here,
 * so commands that need no store (`--help`, `plans validate`, `demo generate`) start at once.
 */
export async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const lent = session().app;
  if (lent) return fn(lent);
  const cfg = loadConfig();
  const [{ NestFactory }, { AppModule }] = await Promise.all([import('@nestjs/core'), import('../app.module')]);
  // The CLI's output is its own; the service's log lines show only for LOG_LEVEL=debug (timings of shards, threads).
  const logger: ('error' | 'warn' | 'log' | 'debug')[] = process.env.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'];
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger, abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
