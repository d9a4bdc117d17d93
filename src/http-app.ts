import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './infra/env';
import { AllExceptionsFilter } from './infra/exception.filter';

/** Builds the HTTP application (used by main.ts and by the e2e tests). */
export async function createHttpApp(cfg: AppConfig, opts: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(cfg), {
    logger: opts.logger === false ? false : undefined,
    bufferLogs: false,
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Commission engine')
      .setDescription('Comp plans, calculation, payouts, reconciliation. Money is always a decimal string.')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc);
  Logger.log(`store: ${cfg.databaseUrl ? 'PostgreSQL' : cfg.inMemory ? 'embedded (in memory)' : `embedded (${cfg.dataDir})`}`, 'Bootstrap');
  return app;
}
