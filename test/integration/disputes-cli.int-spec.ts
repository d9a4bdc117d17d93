import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import { AppModule } from '../../src/app.module';
import { Actor, cliActor } from '../../src/auth/actor';
import { IntakeKind } from '../../src/core/intake/intake';
import { DisputesService } from '../../src/disputes/disputes.service';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { runCliProcess } from '../support/cli-process';
import { cliStore } from '../support/test-config';

/**
 * `cli disputes list | uphold | reject` in separate processes (the CLI acts as admin). The store is prepared in
 * process first: demo data, January and February closed, two disputes raised by the reps themselves.
 */
describe('cli disputes', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let payoutDispute: string;
  let bookingDispute: string;

  beforeAll(async () => {
    const store = await cliStore('ce-cli-disputes-');
    const cfg = store.cfg;
    env = store.env;
    cleanup = store.cleanup;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { logger: false });
    try {
      const admin = cliActor();
      for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
        await app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), admin);
      }
      await app.get(PeriodsService).close('2026-01', admin);
      await app.get(PeriodsService).close('2026-02', admin);
      const rep = (repId: string): Actor => ({ userId: null, role: 'rep', repId, label: `test:${repId}` });
      const disputes = app.get(DisputesService);
      payoutDispute = (await disputes.raise(rep('A1'), { period: '2026-02', targetKind: 'payout', reasonCode: 'missing_credit', claimedAmount: '250.00', text: 'C9 is missing' })).id;
      bookingDispute = (await disputes.raise(rep('M1'), { period: '2026-02', targetKind: 'booking', targetRef: 'ME1', reasonCode: 'rate', text: 'wrong\trate' })).id;
    } finally {
      await app.close();
    }
  });
  afterAll(async () => cleanup?.());

  const cli = (...args: string[]) => runCliProcess(args, env);

  it('lists disputes with filters', async () => {
    const res = await cli('disputes', 'list', '--period', '2026-02');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id\trep_id\tperiod\ttarget\treason\tclaimed\tstatus\tresolution\tadjustment\traised_at\ttext');
    expect(lines[1].split('\t')).toEqual([payoutDispute, 'A1', '2026-02', 'payout', 'missing_credit', '250.00', 'open', '', '', expect.stringMatching(/^2\d{3}-/), 'C9 is missing']);
    expect(lines[2].split('\t')).toEqual([bookingDispute, 'M1', '2026-02', 'booking:ME1', 'wrong_rate', '', 'open', '', '', expect.any(String), 'wrong rate']);
    expect(lines[3]).toBe('2 dispute(s)');
    expect((await cli('disputes', 'list', '--period', '2026-01')).stdout).toMatch(/\n0 dispute\(s\)\n$/);
  });

  it('upholds: an adjustment of the amount in the first open period (March), linked to the dispute', async () => {
    const res = await cli('disputes', 'uphold', payoutDispute, '--amount', '250.00', '--note', 'credited late');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      new RegExp(
        `^dispute ${payoutDispute} \\(A1, 2026-02, payout, missing_credit\\): upheld 250\\.00, adjustment (\\d+): credited late\\n` +
          `adjustment \\1 of 250\\.00 booked into 2026-03 \\(origin 2026-02, dispute:${payoutDispute}\\)\\n$`,
      ),
    );
  });

  it('rejects with a reason; a resolved dispute is refused; bad input exits non-zero', async () => {
    const res = await cli('disputes', 'reject', bookingDispute, '--reason', 'renewal rate as planned');
    expect(res).toMatchObject({ code: 0, stdout: `dispute ${bookingDispute} (M1, 2026-02, booking ME1, wrong_rate): rejected: renewal rate as planned\n` });
    const again = await cli('disputes', 'reject', payoutDispute, '--reason', 'no');
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: `error: dispute ${payoutDispute} is already upheld; a resolved dispute never changes\n` });
    const missing = await cli('disputes', 'reject', bookingDispute);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/required option '--reason <text>'/);
    const upheld = await cli('disputes', 'list', '--status', 'upheld', '--format', 'json');
    expect(JSON.parse(upheld.stdout).map((d: { id: string; status: string; resolutionAmount: string }) => [d.id, d.status, d.resolutionAmount])).toEqual([[payoutDispute, 'upheld', '250.00']]);
  });
});
