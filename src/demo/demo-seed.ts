import { INestApplication, Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliActor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { CalculationService } from '../calculation/calculation.service';
import { IntakeKind } from '../core/intake/intake';
import { ImportsService } from '../imports/imports.service';
import { Db } from '../infra/db.service';

export const DEMO_DIR = path.resolve('demo');
export const DEMO_PERIOD = '2026-03';

/**
 * First start with DEMO=true on an empty store: import demo/*.csv, calculate through March 2026 and print one API
 * token per role so a new user can try every endpoint. Does nothing when the store already has reps.
 */
export async function seedDemo(app: INestApplication): Promise<void> {
  const logger = new Logger('Demo');
  const [{ n }] = await app.get(Db).query<{ n: string }>(`SELECT count(*)::text AS n FROM reps`);
  if (n !== '0') {
    logger.log('store already has data; demo data not loaded');
    return;
  }
  const actor = cliActor();
  const imports = app.get(ImportsService);
  for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
    const file = path.join(DEMO_DIR, `${kind}.csv`);
    const s = await imports.importFile(kind, `${kind}.csv`, fs.readFileSync(file), actor);
    logger.log(`imported demo ${kind}.csv: ${s.rows} rows`);
  }
  await app.get(CalculationService).calculate(DEMO_PERIOD, actor);
  const auth = app.get(AuthService);
  const users: [string, string | undefined][] = [
    ['admin', undefined],
    ['finance', undefined],
    ['auditor', undefined],
    ['manager', 'G1'],
    ['rep', 'A1'],
  ];
  const lines: string[] = [];
  for (const [role, repId] of users) {
    const u = await auth.createUser(actor, { role, repId, name: `demo-${role}` });
    lines.push(`  ${role.padEnd(8)} ${repId ?? '  '}  ${u.token}`);
  }
  // eslint-disable-next-line no-console
  console.log(`\nDemo data loaded and ${DEMO_PERIOD} calculated. API tokens (shown once):\n${lines.join('\n')}\n`);
}
