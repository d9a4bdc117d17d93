import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { createHttpApp } from './http-app';
import { loadConfig } from './infra/env';
import { seedDemo } from './demo/demo-seed';
import { ControlServer, startControlServer } from './cli/remote/control-server';

async function bootstrap(): Promise<void> {
  const cfg = loadConfig();
  const app = await createHttpApp(cfg);
  if (cfg.demo) {
    await app.init(); // loads the plans before the demo data is calculated
    await seedDemo(app);
  }
  await app.listen(cfg.port);
  Logger.log(`listening on http://localhost:${cfg.port} (API docs at /docs)`, 'Bootstrap');
  // the embedded store is this process's alone: CLI commands for it come through the control channel
  const control = cfg.databaseUrl || cfg.inMemory ? undefined : await startControlServer(app, cfg.dataDir, { log: (m) => Logger.log(m, 'Cli'), warn: (m) => Logger.warn(m, 'Cli') });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(app, signal, control));
}

/**
 * Graceful stop: no new connections or CLI commands; requests and commands in flight finish (a calculation or close is one transaction: it commits
 * or rolls back, never half), the calculation threads and the database close, then exit 0. A stop that hangs for 30 s
 * exits 1 and says so.
 */
async function stop(app: INestApplication, signal: string, control?: ControlServer): Promise<void> {
  const started = Date.now();
  Logger.log(`${signal}: stopping; requests in flight finish first (nothing new is accepted)`, 'Bootstrap');
  setTimeout(() => {
    Logger.error('not stopped after 30 s: exiting with work in flight rolled back by the database', 'Bootstrap');
    process.exit(1);
  }, 30_000).unref();
  await control?.close();
  await app.close();
  Logger.log(`stopped cleanly in ${Date.now() - started} ms: every request finished, the database is closed`, 'Bootstrap');
  process.exit(0);
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
