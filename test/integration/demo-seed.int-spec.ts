import { DEMO_ACTOR, seedDemo } from '../../src/demo/demo-seed';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `npm start` on an empty store (DEMO=true): the demo closes January and February, imports what payroll paid, opens
 * March and raises a dispute, so each role has something to look at on first start. The payroll figures are the ones
 * reconciliation.int-spec.ts checks by hand (February: G1 45.00 EUR too much, N1 paid twice, M1 missing).
 */
describe('the demo on first start', () => {
  let t: TestApp;
  let printed = '';
  let seeded: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    t = await startTestApp();
    seeded = await seedDemo(t.app, (text) => (printed += text));
  });
  afterAll(async () => t?.close());

  it('closes January and February and leaves March calculated and open', async () => {
    const rows = await t.query<{ period: string; status: string }>(`SELECT period, status FROM periods ORDER BY period`);
    expect(rows.map((r) => [r.period.trim(), r.status])).toEqual([
      ['2026-01', 'closed'],
      ['2026-02', 'closed'],
      ['2026-03', 'calculated'],
    ]);
  });

  it('gives the auditor a real accuracy trend: January 100%, February 1 payout of 5 error-free', async () => {
    const recon = t.app.get(ReconciliationService);
    const jan = await recon.reconcile('2026-01');
    expect([jan.accuracy.errorFreePayouts, jan.accuracy.totalPayouts, jan.accuracy.countRatePct]).toEqual([2, 2, '100']);
    const feb = await recon.reconcile('2026-02');
    expect([feb.accuracy.errorFreePayouts, feb.accuracy.totalPayouts, feb.accuracy.countRatePct, feb.accuracy.sumAbsError]).toEqual([1, 5, '20', '4149.50']);
    expect(feb.rows.filter((r) => r.status !== 'matched').map((r) => [r.repId, r.status])).toEqual([
      ['G1', 'mismatched'],
      ['M1', 'missing'],
      ['N1', 'mismatched'],
      ['N1', 'unexpected'],
    ]);
  });

  it("raises A1's dispute on February for the manager's queue", async () => {
    const d = await t.query<{ id: string; rep_id: string; period: string; status: string; reason_code: string }>(`SELECT id::text AS id, rep_id, period, status, reason_code FROM disputes`);
    expect(d.map((x) => [x.id, x.rep_id, x.period.trim(), x.status, x.reason_code])).toEqual([[seeded!.disputeId, 'A1', '2026-02', 'open', 'missing_credit']]);
  });

  it('prints one working token per role with what to look at first, and records the load as the demo', async () => {
    expect(seeded!.tokens.map((x) => [x.role, x.repId])).toEqual([
      ['admin', null],
      ['finance', null],
      ['auditor', null],
      ['manager', 'G1'],
      ['rep', 'A1'],
    ]);
    for (const { role, token } of seeded!.tokens) {
      const me = await t.http().get('/me').set('Authorization', `Bearer ${token}`);
      expect([me.status, me.body.role]).toEqual([200, role]);
      expect(printed).toContain(token);
    }
    expect(printed).toContain('first: Accuracy and audit: February 20% of payouts error-free');
    const actors = await t.query<{ actor: string }>(`SELECT DISTINCT actor FROM audit_events ORDER BY actor`);
    // A1 and G1 acknowledge their plan documents in the demo as themselves
    expect(actors.map((a) => a.actor)).toEqual(['demo:A1', 'demo:G1', DEMO_ACTOR.label, 'service:plan-files']);
  });

  it('loads nothing on a store that has data', async () => {
    expect(await seedDemo(t.app, () => undefined)).toBeNull();
  });
});
