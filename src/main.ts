import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createHttpApp } from './http-app';
import { loadConfig } from './infra/env';
import { seedDemo } from './demo/demo-seed';

async function bootstrap(): Promise<void> {
  const cfg = loadConfig();
  const app = await createHttpApp(cfg);
  if (cfg.demo) {
    await app.init(); // loads the plans before the demo data is calculated
    await seedDemo(app);
  }
  await app.listen(cfg.port);
  Logger.log(`listening on http://localhost:${cfg.port} (API docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
