import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { seedDemo } from '../../src/demo/demo-seed';
import { runCliProcess } from '../support/cli-process';
import { cliStore } from '../support/test-config';

/**
 * `cli reconcile` for people, on the demo's first start (January and February closed; February's payroll has three
 * errors, checked by hand in reconciliation.int-spec.ts): the errors first, grouped by kind, each with its fix.
 */
describe('cli reconcile', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const store = await cliStore('ce-cli-reconcile-');
    env = store.env;
    cleanup = store.cleanup;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(store.cfg), { logger: false });
    try {
      await seedDemo(app, () => undefined);
    } finally {
      await app.close();
    }
  });
  afterAll(async () => cleanup?.());

  it('lists the errors first, by kind, with the fix each needs; --errors-only leaves out the rest', async () => {
    const res = await runCliProcess(['reconcile', '--period', '2026-02', '--errors-only'], env);
    expect(res.stderr).toBe('');
    expect(res.stdout.split('\n').slice(0, 2)).toEqual([
      'reconciliation 2026-02: 1 matched, 2 mismatched, 1 missing, 1 unexpected',
      'commission accuracy: 20.00% of payouts (1/5), 91.61% by amount (errors 4149.50 of 49455.50 USD, in USD at rates of 2026-02-28)',
    ]);
    expect(res.stdout).toContain(
      [
        '4 error(s), by kind, with the fix each needs:',
        '  missing (1):',
        '    M1: computed 2100.00, paid -, USD; fix: pay 2100.00 USD to M1 in the next payroll run',
        '  wrong amount (1):',
        '    G1 (PR-0202): computed 8505.00, paid 8550.00, difference 45.00, EUR (error 49.50 USD); fix: recover 45.00 EUR overpaid to G1 (from the next payroll run)',
        '  paid twice (2):',
        '    N1 (PR-0203): computed 2000.00, paid 4000.00, difference 2000.00, USD; fix: recover the duplicate payment of 2000.00 USD from N1',
        "    N1 (PR-0204): computed -, paid 2000.00, USD; fix: the second record of N1's payment: its amount counts in the row above",
      ].join('\n'),
    );
    expect(res.stdout).not.toContain('matched (');
  });
});
