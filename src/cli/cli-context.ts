import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../infra/env';

/** Boots the same modules as the HTTP service, without HTTP, against the same database configuration. */
export async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const cfg = loadConfig();
  // The CLI's output is its own; the service's log lines show only for LOG_LEVEL=debug (timings of shards, threads).
  const logger: ('error' | 'warn' | 'log' | 'debug')[] = process.env.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'];
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger, abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
