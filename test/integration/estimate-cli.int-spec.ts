import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../../src/app.module';
import { cliActor } from '../../src/auth/actor';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { runCliProcess } from '../support/cli-process';
import { cliStore } from '../support/test-config';

/**
 * `cli estimate` in a separate process, on the demo data with January and February closed (March open). Hand check
 * (see estimates.int-spec.ts): A1's March today earns -10,500.00; W1 (50,000 USD of CORE on 2026-03-10) adds 5,000.00
 * at 10%, and cancelling the renewal R1 on 2026-03-25 takes its 2,000.00: -7,500.00 with both.
 */
describe('cli estimate', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cli-estimate-deals-'));
    const store = await cliStore('ce-cli-estimate-');
    const cfg = store.cfg;
    env = store.env;
    cleanup = store.cleanup;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger: false });
    try {
      for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
        await app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), cliActor());
      }
      await app.get(PeriodsService).close('2026-01', cliActor());
      await app.get(PeriodsService).close('2026-02', cliActor());
    } finally {
      await app.close();
    }
  });
  afterAll(async () => {
    await cleanup?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('estimates deals from a bookings.csv file and a cancellation, and prints the changed lines', async () => {
    const deals = path.join(dir, 'deals.csv');
    fs.writeFileSync(deals, 'booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\nW1,A1,100,C9,new,CORE,50000,USD,12,2026-03-10,\n');
    const res = await runCliProcess(['estimate', '--rep', 'A1', '--deals', deals, '--cancel', 'R1@2026-03-25', '--through', '2026-03'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = res.stdout.split('\n');
    expect(out[0]).toMatch(/^estimate for A1 \(USD\) as of 2\d{3}-\d\d-\d\dT.*Z; open period 2026-03$/);
    expect(out).toContain('2026-03\testimate\t-10500.00\t-7500.00\t0.00\t0.00\t0.00');
    expect(out).toContain("lines of 2026-03 with the what-if (* = new or changed, - = today's line the what-if removes):");
    expect(out.filter((l) => l.startsWith('- '))).toEqual([expect.stringMatching(/^- commission\tR1\t2000\.00 USD\tRenewal commission 2%: booking R1/)]);
    expect(out.find((l) => l.startsWith('* ') && l.includes('W1'))).toMatch(/^\* commission\tW1\t5000\.00 USD\t.*tier 2 \(50-100%\): 50,000\.00 USD at 10%/);
  });

  it("prints a payee's dashboard: standing, next tier, months, computed vs paid", async () => {
    const res = await runCliProcess(['dashboard', '--rep', 'A1'], env);
    expect(res.stderr).toBe('');
    const out = res.stdout.split('\n');
    expect(out[0]).toMatch(/^dashboard of A1 \(USD\) as of 2026-03-31; open period 2026-03$/);
    expect(out).toContain('A1 Ada Exec: Quota commission (marginal tiers, YTD), window 2026: credit 600000.00 of quota 1200000.00 USD = 50.00% (pace 24.66%)');
    expect(out).toContain('  next: accelerator 100-150% from 100.00% at 1200000.00 USD: 600000.00 USD to go');
    expect(out).toContain('2026-03\testimate\t-10500.00\t0.00\t');
  });

  it('refuses a malformed deal before anything runs', async () => {
    const res = await runCliProcess(['estimate', '--rep', 'A1', '--deal', 'amount=5000,colour=red'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: --deal "amount=5000,colour=red": "colour=red" is not key=value with a key among amount, bookedDate, bookingId, cancelledDate, currency, /);
  });
});
