import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../infra/env';

/** Boots the same modules as the HTTP service, without HTTP, against the same database configuration. */
export async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const cfg = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
