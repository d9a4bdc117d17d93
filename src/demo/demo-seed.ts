import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Actor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import type { Role } from '../auth/role';
import { CalculationService } from '../calculation/calculation.service';
import { IntakeKind } from '../core/intake/intake';
import { DisputesService } from '../disputes/disputes.service';
import { ImportsService } from '../imports/imports.service';
import { PeriodsService } from '../periods/periods.service';
import { PlanDocumentsService } from '../plan-documents/plan-documents.service';
import { RepsRepository } from '../reps/reps.repository';

export const DEMO_DIR = path.resolve('demo');
/** The open period the demo leaves: January and February are closed and paid. */
export const DEMO_PERIOD = '2026-03';
export const DEMO_CLOSED = ['2026-01', '2026-02'] as const;

/** Who the demo's load is in the audit trail: the demo itself, not whoever ran `npm start`. */
export const DEMO_ACTOR: Actor = { userId: null, role: 'admin', repId: null, label: 'demo:seed' };

export interface DemoSeedResult {
  /** One token per role (shown once; only their sha256 is stored). */
  tokens: { role: string; repId: string | null; token: string }[];
  disputeId: string;
}

/**
 * First start with DEMO=true on an empty store: the whole monthly loop, so every role has something to look at.
 * Imports demo/*.csv; closes January and February; imports what payroll paid for them (demo/payroll.csv: January
 * exactly, February with three errors: G1 paid 45.00 EUR too much, N1 paid twice, M1 not paid; the reconciliation
 * test checks these figures by hand); calculates March (open); A1 raises a dispute on February; one API token per
 * role. Returns null, and loads nothing, when the store already has reps.
 */
export async function seedDemo(app: INestApplication | INestApplicationContext, log: (text: string) => void = (t) => process.stdout.write(t)): Promise<DemoSeedResult | null> {
  const logger = new Logger('Demo');
  if (await app.get(RepsRepository).any()) {
    logger.log('store already has data; demo data not loaded. To get an API token: npm run cli -- users create --role finance --name you (or --role rep --rep A1)');
    return null;
  }
  const imports = app.get(ImportsService);
  for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
    const s = await imports.importFile(kind, `${kind}.csv`, fs.readFileSync(path.join(DEMO_DIR, `${kind}.csv`)), DEMO_ACTOR);
    logger.log(`imported demo ${kind}.csv: ${s.rows} rows`);
  }
  const auth = app.get(AuthService);
  const users: [string, string | null][] = [
    ['admin', null],
    ['finance', null],
    ['auditor', null],
    ['manager', 'G1'],
    ['rep', 'A1'],
  ];
  const tokens: DemoSeedResult['tokens'] = [];
  for (const [role, repId] of users) {
    const u = await auth.createUser(DEMO_ACTOR, { role, repId: repId ?? undefined, name: `demo-${role}` });
    tokens.push({ role, repId, token: u.token });
    // the two payees with a login acknowledge their plan documents; N1 and M1 have not (the KPI shows them pending)
    if (repId) {
      const documents = app.get(PlanDocumentsService);
      const payee: Actor = { userId: u.id, role: role as Role, repId, label: `demo:${repId}` };
      for (const d of await documents.list(payee)) if (d.repId === repId) await documents.acknowledge(payee, d.assignmentId, { client: 'demo seed' });
    }
  }
  for (const p of DEMO_CLOSED) {
    // the demo closes whatever ACK_REQUIRED says: its point is a closed history to look at (the close warns)
    const o = await app.get(PeriodsService).close(p, DEMO_ACTOR, { acknowledgments: 'warn' });
    logger.log(`closed ${p}${o.warnings.length ? ` (warning: ${o.warnings.join('; ')})` : ''}`);
  }
  const payroll = await imports.importFile('payroll', 'payroll.csv', fs.readFileSync(path.join(DEMO_DIR, 'payroll.csv')), DEMO_ACTOR);
  logger.log(`imported demo payroll.csv: ${payroll.rows} rows`);
  await app.get(CalculationService).calculate(DEMO_PERIOD, DEMO_ACTOR);
  const dispute = await app.get(DisputesService).raise(
    { userId: null, role: 'rep', repId: 'A1', label: 'demo:A1' },
    { period: '2026-02', targetKind: 'payout', reasonCode: 'missing_credit', claimedAmount: '250.00', text: 'The C9 deal I closed on 26 February is not on my February statement.' },
  );
  const first: Record<string, string> = {
    finance: 'Close and imports: January and February are closed; reconcile February (3 payroll errors), then calculate and close March; Plans: M1 and N1 have not acknowledged their written plan',
    auditor: 'Accuracy and audit: February 20% of payouts error-free against January 100%, the errors behind it, the audit trail',
    manager: "Where I stand: the team's attainment; My team: A1's open dispute on February to review",
    rep: "Where I stand: attainment, pace and the next tier; what a deal would pay; My pay: the statements",
    admin: 'every page',
  };
  const lines = tokens.map((t) => `  ${t.role.padEnd(8)} ${(t.repId ?? '').padEnd(3)} ${t.token}\n             first: ${first[t.role]}`);
  log(
    `\nDemo loaded: January and February 2026 closed and paid (payroll with 3 errors), March open, one dispute raised.\n` +
      `API tokens (shown once; later: npm run cli -- users create --role R [--rep ID]):\n${lines.join('\n')}\n\n`,
  );
  return { tokens, disputeId: dispute.id };
}
