import { ConsoleLogger, INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './infra/env';
import { AllExceptionsFilter } from './infra/exception.filter';
import { securityHeaders } from './infra/security-headers';
import { bodyErrors, bodyGate, refuseNul } from './infra/body-gate';
import { AuthService } from './auth/auth.service';

/**
 * Structured logs: one JSON object per line (timestamp, level, context, message) unless LOG_FORMAT=pretty, which
 * a developer on a terminal gets by default.
 */
export function appLogger(cfg: AppConfig): ConsoleLogger {
  const pretty = (process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
  const levels = { error: ['error', 'fatal'], warn: ['error', 'fatal', 'warn'], log: ['error', 'fatal', 'warn', 'log'], debug: ['error', 'fatal', 'warn', 'log', 'debug'] } as const;
  return new IsoTimeLogger({ json: !pretty, colors: pretty, logLevels: [...levels[cfg.logLevel]] });
}

/** JSON log lines with the time as ISO 8601 in UTC ("2026-12-02T21:25:03.916Z"), which people and log tools read. */
class IsoTimeLogger extends ConsoleLogger {
  protected override getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]): ReturnType<ConsoleLogger['getJsonLogObject']> {
    return { ...super.getJsonLogObject(message, options), timestamp: new Date().toISOString() } as unknown as ReturnType<ConsoleLogger['getJsonLogObject']>;
  }
}

/** Builds the HTTP application (used by main.ts and by the e2e tests). */
export async function createHttpApp(cfg: AppConfig, opts: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(cfg), {
    logger: opts.logger === false ? false : appLogger(cfg),
    bufferLogs: false,
    abortOnError: false,
    // the parsers are registered below, after the gate that authenticates before a body is read
    bodyParser: false,
  });
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(securityHeaders);
  const auth = app.get(AuthService);
  express.use(bodyGate((token) => auth.authenticate(token)));
  const limits = { json: '1mb', csv: `${cfg.importMaxMb}mb` };
  express.useBodyParser('json', { limit: limits.json });
  // CSV imports may arrive as a raw text/csv body (POST /imports/:kind); kept as bytes for the sha256 and UTF-8 check.
  express.useBodyParser('raw', { type: 'text/csv', limit: limits.csv });
  express.use(bodyErrors(limits));
  express.use(refuseNul);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new AllExceptionsFilter());
  // SIGTERM and SIGINT are main.ts's: it stops the app gracefully, says so and exits 0 (Nest's own hooks re-raise the
  // signal, which ends the process with 143 and no word on the work in flight)
  if (cfg.docs) {
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Commission engine')
        .setDescription('Comp plans, calculation, payouts, reconciliation. Money is always a decimal string.')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, doc);
  }
  Logger.log(`store: ${cfg.databaseUrl ? 'PostgreSQL' : cfg.inMemory ? 'embedded (in memory)' : `embedded (${cfg.dataDir})`}`, 'Bootstrap');
  return app;
}
