import { PeriodLifecycle } from '../../src/calculation/period-lifecycle.service';
import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { Decimal } from '../../src/core/money/decimal';
import { DisputesService } from '../../src/disputes/disputes.service';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Disputes over HTTP on the demo data (G1 manages A1, N1 and M1), with January and February closed, so March is the
 * first open period. A second team (manager G2 with report Z1, no plan) is added to show cross-team scoping.
 *
 * Demo figures this relies on (see calc-cli.e2e-spec): A1 in March earns −10,500.00 (B1's clawback and B2's
 * true-up) with no balance before: x = −10,500 → payout 0.00, balance 10,500.00. M1 in March: 2,300.00 payout.
 */
describe('disputes (HTTP)', () => {
  let t: TestApp;
  const actor = cliActor();
  const tok = {} as Record<'a1' | 'n1' | 'g1' | 'g2' | 'finance' | 'admin' | 'auditor', string>;

  const as = (who: keyof typeof tok) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${tok[who]}`),
    post: (path: string, body: object = {}) => t.http().post(path).set('Authorization', `Bearer ${tok[who]}`).send(body),
  });
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.app.get(Db).query<T>(sql, params);
  const payout = async (period: string, repId: string) => (await t.app.get(CalculationService).payouts(period, new Set([repId])))[0];
  const audit = (id: string) => q<{ action: string; actor: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
    `SELECT action, actor, before, after FROM audit_events WHERE entity_type = 'dispute' AND entity_id = $1 ORDER BY id`,
    [id],
  );

  let marchBefore: Awaited<ReturnType<typeof payout>>;
  let m1MarchBefore: Awaited<ReturnType<typeof payout>>;
  let payoutDispute: string; // A1's dispute on their February payout
  let lineDispute: string; // A1's dispute on line 1 of their February payout

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), actor);
    }
    await t.app.get(PeriodsService).close('2026-01', actor);
    await t.app.get(PeriodsService).close('2026-02', actor);
    await t.app.get(Db).tx((em) =>
      em.query(
        `INSERT INTO reps (rep_id, name, email, manager_id, role, hire_date, termination_date, currency) VALUES
           ('G2', 'Other Manager', 'g2@example.com', NULL, 'Manager', '2025-01-01', NULL, 'USD'),
           ('Z1', 'Other Rep', 'z1@example.com', 'G2', 'AE', '2025-01-01', NULL, 'USD')`,
      ),
    );
    await t.app.get(CalculationService).calculate('2026-03', actor);
    marchBefore = await payout('2026-03', 'A1');
    m1MarchBefore = await payout('2026-03', 'M1');
    tok.a1 = await t.tokenFor('rep', 'A1');
    tok.n1 = await t.tokenFor('rep', 'N1');
    tok.g1 = await t.tokenFor('manager', 'G1');
    tok.g2 = await t.tokenFor('manager', 'G2');
    tok.finance = await t.tokenFor('finance');
    tok.admin = await t.tokenFor('admin');
    tok.auditor = await t.tokenFor('auditor');
  });
  afterAll(async () => t?.close());

  it('the demo starting point: March is the first open period; A1 March payout 0.00 with balance 10500.00', async () => {
    expect(await t.app.get(PeriodsService).firstOpenPeriod()).toBe('2026-03');
    expect(marchBefore).toMatchObject({ earned: '-10500.00', balanceBefore: '0.00', draw: '0.00', payout: '0.00', balance: '10500.00' });
    expect(m1MarchBefore).toMatchObject({ earned: '2300.00', balanceBefore: '0.00', payout: '2300.00', balance: '0.00' });
  });

  describe('raising', () => {
    it('A1 raises a dispute on their February payout', async () => {
      const res = await as('a1').post('/disputes', { period: '2026-02', targetKind: 'payout', reasonCode: 'missing_credit', claimedAmount: '250.00', text: 'The C9 upsell is missing from February.' }).expect(201);
      expect(res.body).toMatchObject({
        repId: 'A1',
        period: '2026-02',
        targetKind: 'payout',
        targetRef: null,
        reasonCode: 'missing_credit',
        claimedAmount: '250.00',
        status: 'open',
        resolutionAmount: null,
        adjustmentId: null,
        raisedBy: 'user:rep:A1(rep)',
        reviewedAt: null,
        resolvedAt: null,
      });
      expect(res.body.raisedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      payoutDispute = res.body.id;
      const events = await audit(payoutDispute);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'dispute.raise', actor: 'user:rep:A1(rep)', before: null, after: { status: 'open', repId: 'A1', period: '2026-02', targetKind: 'payout', claimedAmount: '250.00', evidence: { payout: '36000.00', currency: 'USD' } } });
    });

    it('A1 raises on line 1 of that payout (a line number as a JSON number too); "tier" is filed as wrong_rate', async () => {
      const res = await as('a1').post('/disputes', { period: '2026-02', targetKind: 'line', targetRef: 1, reasonCode: 'tier', text: 'B2 should be in the accelerator tier' }).expect(201);
      expect(res.body).toMatchObject({ targetKind: 'line', targetRef: '1', reasonCode: 'wrong_rate', claimedAmount: null });
      lineDispute = res.body.id;
      expect((await audit(lineDispute))[0].after).toMatchObject({ evidence: { lineNo: 1, kind: 'commission', ref: 'B2', amount: '36000.00' } });
      const ramp = await as('a1').post('/disputes', { period: '2026-02', targetKind: 'booking', targetRef: 'B9', reasonCode: 'ramp', text: 'ramped quota is wrong' }).expect(201);
      expect(ramp.body).toMatchObject({ targetKind: 'booking', targetRef: 'B9', reasonCode: 'wrong_quota' });
    });

    it('finance raises on behalf of a rep (repId required); managers and auditors cannot raise', async () => {
      const res = await as('finance').post('/disputes', { repId: 'N1', period: '2026-02', targetKind: 'booking', targetRef: 'N-77', reasonCode: 'wrong_split', text: 'split 50/50 with A1' }).expect(201);
      expect(res.body).toMatchObject({ repId: 'N1', raisedBy: 'user:finance(finance)', targetRef: 'N-77' });
      expect((await as('finance').post('/disputes', { period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(400)).body.message).toMatch(/repId is required/);
      await as('g1').post('/disputes', { period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(403);
      await as('auditor').post('/disputes', { repId: 'A1', period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(403);
    });

    it('a rep only raises on their own data; a payout or line that does not exist is 404', async () => {
      await as('a1').post('/disputes', { repId: 'N1', period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(404);
      await as('a1').post('/disputes', { period: '2026-02', targetKind: 'line', targetRef: '99', reasonCode: 'other', text: 'x' }).expect(404);
      await as('a1').post('/disputes', { period: '2026-04', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(404); // not calculated
      await as('finance').post('/disputes', { repId: 'Z1', period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' }).expect(404); // no payout
      await as('finance').post('/disputes', { repId: 'NOBODY', period: '2026-02', targetKind: 'booking', targetRef: 'B1', reasonCode: 'other', text: 'x' }).expect(404);
    });

    it('validates the body: text, reason, period, amount with at most 2 decimals, targetRef per kind', async () => {
      const bad = async (body: object, message: RegExp) => expect((await as('a1').post('/disputes', body).expect(400)).body.message.toString()).toMatch(message);
      const ok = { period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'x' };
      await bad({ ...ok, text: undefined }, /text/);
      await bad({ ...ok, text: '   ' }, /text is required/);
      await bad({ ...ok, reasonCode: 'greed' }, /reasonCode must be one of/);
      await bad({ ...ok, period: '2026-13' }, /period/);
      await bad({ ...ok, claimedAmount: '1.234' }, /claimedAmount/);
      await bad({ ...ok, claimedAmount: 12.5 }, /claimedAmount/);
      await bad({ ...ok, targetRef: '3' }, /targetRef must be empty for a dispute on the whole payout/);
      await bad({ ...ok, targetKind: 'line', targetRef: 'first' }, /targetRef must be the line number/);
      await bad({ ...ok, targetKind: 'booking' }, /booking id/);
      await bad({ ...ok, status: 'upheld' }, /should not exist/);
    });
  });

  describe('visibility', () => {
    it('another rep cannot see it (404) nor list it; the rep, their manager and the back office can', async () => {
      await as('n1').get(`/disputes/${payoutDispute}`).expect(404);
      expect((await as('n1').get('/disputes').expect(200)).body.map((d: { repId: string }) => d.repId)).toEqual(['N1']);
      await as('g2').get(`/disputes/${payoutDispute}`).expect(404);
      expect((await as('g2').get('/disputes').expect(200)).body).toEqual([]);
      for (const who of ['a1', 'g1', 'finance', 'admin', 'auditor'] as const) {
        expect((await as(who).get(`/disputes/${payoutDispute}`).expect(200)).body).toMatchObject({ id: payoutDispute, repId: 'A1' });
      }
      await as('admin').get('/disputes/999999').expect(404);
      await as('admin').get('/disputes/not-a-number').expect(404);
    });

    it('lists filter by status and period', async () => {
      const ids = (r: { body: { id: string }[] }) => r.body.map((d) => d.id);
      expect(ids(await as('a1').get('/disputes?status=open&period=2026-02').expect(200))).toEqual(expect.arrayContaining([payoutDispute, lineDispute]));
      expect((await as('g1').get('/disputes?period=2026-01').expect(200)).body).toEqual([]);
      await as('g1').get('/disputes?status=closed').expect(400);
    });
  });

  describe('resolving', () => {
    it('a manager of another team cannot resolve (404); a rep or auditor cannot (403)', async () => {
      await as('g2').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00', note: 'x' }).expect(404);
      await as('g2').post(`/disputes/${payoutDispute}/reject`, { reason: 'x' }).expect(404);
      await as('g2').post(`/disputes/${payoutDispute}/review`).expect(404);
      await as('a1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00', note: 'x' }).expect(403);
      await as('auditor').post(`/disputes/${payoutDispute}/reject`, { reason: 'x' }).expect(403);
      expect((await as('admin').get(`/disputes/${payoutDispute}`)).body.status).toBe('open');
    });

    it('a manager does not resolve their own dispute (403)', async () => {
      const own = await as('finance').post('/disputes', { repId: 'G1', period: '2026-02', targetKind: 'payout', reasonCode: 'other', text: 'override rate' }).expect(201);
      await as('g1').post(`/disputes/${own.body.id}/reject`, { reason: 'no' }).expect(403);
      expect((await as('finance').post(`/disputes/${own.body.id}/reject`, { reason: 'the override rate is as planned' }).expect(200)).body.status).toBe('rejected');
    });

    it('G1 (A1’s manager) puts it in review; reviewing again is a conflict', async () => {
      const res = await as('g1').post(`/disputes/${payoutDispute}/review`).expect(200);
      expect(res.body).toMatchObject({ status: 'in_review', reviewedBy: 'user:manager:G1(manager)' });
      expect(res.body.reviewedAt).not.toBeNull();
      await as('g1').post(`/disputes/${payoutDispute}/review`).expect(409);
    });

    it('uphold needs a non-zero amount with at most 2 decimals and a note', async () => {
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '0.00', note: 'x' }).expect(400);
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.001', note: 'x' }).expect(400);
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: 250, note: 'x' }).expect(400);
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00' }).expect(400);
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00', note: '  ' }).expect(400);
      expect(await q(`SELECT id FROM adjustments`)).toEqual([]);
    });

    it('G1 upholds with 250.00: an adjustment in March (the first open period) linked to the dispute and February', async () => {
      const res = await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00', note: 'C9 upsell credited late' }).expect(200);
      expect(res.body).toMatchObject({
        id: payoutDispute,
        status: 'upheld',
        resolutionAmount: '250.00',
        resolutionNote: 'C9 upsell credited late',
        resolvedBy: 'user:manager:G1(manager)',
        adjustment: { period: '2026-03', amount: '250.00', originPeriod: '2026-02', originRef: `dispute:${payoutDispute}`, stale: true },
      });
      expect(res.body.adjustmentId).toBe(res.body.adjustment.id);
      const adjustments = await q(`SELECT id::text AS id, rep_id, period, amount::text AS amount, reason_code, note, origin_period, origin_ref, source, created_by FROM adjustments`);
      expect(adjustments).toEqual([
        {
          id: res.body.adjustmentId,
          rep_id: 'A1',
          period: '2026-03',
          amount: '250.00',
          reason_code: 'dispute',
          note: `dispute ${payoutDispute}: C9 upsell credited late`,
          origin_period: '2026-02',
          origin_ref: `dispute:${payoutDispute}`,
          source: 'dispute',
          created_by: 'user:manager:G1(manager)',
        },
      ]);
      expect((await t.app.get(PeriodLifecycle).status('2026-03')).stale).toBe(true);
    });

    it('a resolved dispute cannot be resolved again (409), and the database refuses to change it', async () => {
      await as('g1').post(`/disputes/${payoutDispute}/uphold`, { amount: '250.00', note: 'again' }).expect(409);
      await as('finance').post(`/disputes/${payoutDispute}/reject`, { reason: 'changed my mind' }).expect(409);
      await as('finance').post(`/disputes/${payoutDispute}/review`).expect(409);
      await expect(q(`UPDATE disputes SET resolution_amount = 1 WHERE id = $1`, [payoutDispute])).rejects.toThrow(/never changes/);
      // The service's role may not delete at all; the owner is stopped by the trigger (DELETE refused).
      await expect(q(`DELETE FROM disputes WHERE id = $1`, [payoutDispute])).rejects.toThrow(/DELETE refused|permission denied for table disputes/);
      expect(await q(`SELECT count(*)::int AS n FROM adjustments`)).toEqual([{ n: 1 }]);
    });

    it('calculating March shows an adjustment line of 250.00 for A1; x = −10,500 + 250 − 0 = −10,250, so the payout stays 0.00 and the balance owed falls by 250.00', async () => {
      await t.app.get(CalculationService).calculate('2026-03', actor);
      const lines = await t.app.get(CalculationService).lines('2026-03', 'A1');
      const adj = lines.filter((l) => l.kind === 'adjustment');
      expect(adj.map((l) => [l.amount, l.originPeriod])).toEqual([['250.00', '2026-02']]);
      expect(adj[0].description).toContain(`dispute:${payoutDispute}`);
      const after = await payout('2026-03', 'A1');
      // earned is unchanged (adjustments stay outside earnings); payout = max(x, draw 0, 0) = 0; balance = payout − x
      expect(after).toMatchObject({ earned: '-10500.00', balanceBefore: '0.00', draw: '0.00', payout: '0.00', balance: '10250.00' });
      const net = (p: { payout: string; balance: string }) => new Decimal(p.payout).minus(p.balance);
      expect(net(after).minus(net(marchBefore)).toFixed(2)).toBe('250.00'); // payout − balance owed rises by exactly 250.00
      expect(lines.find((l) => l.kind === 'negative_carried_forward')?.amount).toBe('10250.00');
    });

    it('where nothing absorbs it, the payout itself rises by exactly the upheld amount (M1: 2300.00 → 2425.50)', async () => {
      const d = await as('finance').post('/disputes', { repId: 'M1', period: '2026-02', targetKind: 'booking', targetRef: 'ME1', reasonCode: 'wrong_rate', text: 'renewal rate' }).expect(201);
      const up = await as('g1').post(`/disputes/${d.body.id}/uphold`, { amount: '125.50', note: 'renewal rate applies' }).expect(200);
      expect(up.body.adjustment).toMatchObject({ period: '2026-03', originRef: `dispute:${d.body.id}/booking:ME1` });
      await t.app.get(CalculationService).calculate('2026-03', actor);
      expect(await payout('2026-03', 'M1')).toMatchObject({ earned: '2300.00', payout: '2425.50', balance: '0.00' });
      expect((await t.app.get(CalculationService).lines('2026-03', 'M1')).filter((l) => l.kind === 'adjustment').map((l) => l.amount)).toEqual(['125.50']);
    });

    it('rejecting needs a reason; a rejected dispute is final', async () => {
      await as('g1').post(`/disputes/${lineDispute}/reject`, {}).expect(400);
      await as('g1').post(`/disputes/${lineDispute}/reject`, { reason: '   ' }).expect(400);
      const res = await as('g1').post(`/disputes/${lineDispute}/reject`, { reason: 'B2 is below the accelerator threshold' }).expect(200);
      expect(res.body).toMatchObject({ status: 'rejected', resolutionNote: 'B2 is below the accelerator threshold', resolutionAmount: null, adjustmentId: null, reviewedAt: null });
      await as('g1').post(`/disputes/${lineDispute}/uphold`, { amount: '10.00', note: 'x' }).expect(409);
    });

    it('two resolvers racing produce one resolution and at most one adjustment', async () => {
      const d = await as('a1').post('/disputes', { period: '2026-02', targetKind: 'payout', reasonCode: 'fx', text: 'race' }).expect(201);
      const results = await Promise.all([
        as('g1').post(`/disputes/${d.body.id}/uphold`, { amount: '10.00', note: 'manager' }),
        as('finance').post(`/disputes/${d.body.id}/uphold`, { amount: '20.00', note: 'finance' }),
        as('admin').post(`/disputes/${d.body.id}/reject`, { reason: 'admin' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const [row] = await q<{ status: string; adjustment_id: string | null }>(`SELECT status, adjustment_id::text AS adjustment_id FROM disputes WHERE id = $1`, [d.body.id]);
      const adjustments = await q<{ id: string }>(`SELECT id::text AS id FROM adjustments WHERE origin_ref = $1`, [`dispute:${d.body.id}`]);
      expect(adjustments.map((a) => a.id)).toEqual(row.status === 'upheld' ? [row.adjustment_id] : []);
      expect((await audit(d.body.id)).map((e) => e.action)).toEqual(['dispute.raise', `dispute.${row.status === 'upheld' ? 'uphold' : 'reject'}`]);
    });

    it('every state change wrote an audit event with before and after', async () => {
      expect((await audit(payoutDispute)).map((e) => [e.action, e.actor, e.before, e.after?.status])).toEqual([
        ['dispute.raise', 'user:rep:A1(rep)', null, 'open'],
        ['dispute.review', 'user:manager:G1(manager)', { status: 'open' }, 'in_review'],
        ['dispute.uphold', 'user:manager:G1(manager)', { status: 'in_review' }, 'upheld'],
      ]);
      const [uphold] = (await audit(payoutDispute)).filter((e) => e.action === 'dispute.uphold');
      expect(uphold.after).toMatchObject({ resolutionAmount: '250.00', adjustmentPeriod: '2026-03', originRef: `dispute:${payoutDispute}` });
      expect((await audit(lineDispute)).map((e) => [e.action, e.before, e.after?.status, e.after?.resolutionNote])).toEqual([
        ['dispute.raise', null, 'open', undefined],
        ['dispute.reject', { status: 'open' }, 'rejected', 'B2 is below the accelerator threshold'],
      ]);
      const adj = await q<{ after: Record<string, unknown> }>(`SELECT after FROM audit_events WHERE action = 'adjustment.create' ORDER BY id LIMIT 1`);
      expect(adj[0].after).toMatchObject({ repId: 'A1', period: '2026-03', amount: '250.00', reasonCode: 'dispute', originPeriod: '2026-02', originRef: `dispute:${payoutDispute}` });
    });
  });

  describe('stats', () => {
    it('January, with resolution times set by hand: 2 disputes over 3 statements; median = p90 = 36.00 h; upheld share 0', async () => {
      // January's current run has 3 payees (A1, G1, M1; N1 is hired in February). Two disputes written directly with
      // known times: one rejected after 36 h (5 Jan 00:00 → 6 Jan 12:00), one open.
      await q(
        `INSERT INTO disputes (rep_id, period, target_kind, reason_code, text, status, resolution_note, raised_by, raised_at, resolved_by, resolved_at)
         VALUES ('A1', '2026-01', 'payout', 'fx', 'rate', 'rejected', 'rate as published', 'test', '2026-01-05T00:00:00Z', 'test', '2026-01-06T12:00:00Z'),
                ('M1', '2026-01', 'payout', 'fx', 'rate', 'open', NULL, 'test', '2026-01-05T00:00:00Z', NULL, NULL)`,
      );
      const res = await as('finance').get('/disputes/stats?period=2026-01').expect(200);
      expect(res.body.period).toBe('2026-01');
      expect(res.body.scope).toBe('all');
      const { byReason, ...jan } = res.body.forPeriod;
      expect(jan).toEqual({
        count: 2,
        open: 1,
        inReview: 0,
        upheld: 0,
        rejected: 1,
        resolved: 1,
        statements: 3,
        perHundredStatements: '66.67',
        medianHoursToResolve: '36.00',
        p90HoursToResolve: '36.00',
        upheldShare: '0.0000',
      });
      expect(byReason.fx).toMatchObject({ count: 2, perHundredStatements: '66.67', medianHoursToResolve: '36.00' });
      expect(byReason.other).toMatchObject({ count: 0, perHundredStatements: '0.00', upheldShare: null });
    });

    it('February and overall, counted from what happened above', async () => {
      const res = await as('auditor').get('/disputes/stats?period=2026-02').expect(200);
      // February: A1 payout (upheld), A1 line (rejected), A1 booking B9 (open), N1 N-77 (open), G1 (rejected),
      // M1 ME1 (upheld), A1 race (1 resolved): 7 disputes over 4 statements (A1, G1, M1, N1).
      const feb = res.body.forPeriod;
      const upheldInRace = (await q<{ status: string }>(`SELECT status FROM disputes WHERE text = 'race'`))[0].status === 'upheld';
      expect(feb).toMatchObject({ count: 7, open: 2, inReview: 0, resolved: 5, statements: 4, perHundredStatements: '175.00', upheld: upheldInRace ? 3 : 2 });
      expect(feb.upheldShare).toBe(upheldInRace ? '0.6000' : '0.4000');
      expect(Number(feb.medianHoursToResolve)).toBeLessThan(1); // resolved within the test run
      expect(feb.byReason.wrong_quota).toMatchObject({ count: 1, open: 1, resolved: 0, upheldShare: null });
      // overall: 9 disputes; statements = payout rows of every current run: January 3 + February 4 + March 4 = 11
      expect(res.body.overall).toMatchObject({ count: 9, statements: 11, perHundredStatements: '81.82' });
    });

    it('a manager gets their team’s figures; reps may not ask', async () => {
      const g2 = (await as('g2').get('/disputes/stats?period=2026-02').expect(200)).body;
      expect(g2).toMatchObject({ scope: 'team', forPeriod: { count: 0, statements: 0, perHundredStatements: null }, overall: { count: 0, statements: 0 } });
      const g1 = (await as('g1').get('/disputes/stats').expect(200)).body;
      expect(g1).toMatchObject({ period: null, forPeriod: null, scope: 'team', overall: { count: 9, statements: 11 } });
      await as('a1').get('/disputes/stats?period=2026-02').expect(403);
      await as('finance').get('/disputes/stats?period=2026-1').expect(400);
    });

    it('the service answers the same as the endpoint', async () => {
      const s = await t.app.get(DisputesService).stats(actor, '2026-01');
      expect(s.forPeriod).toMatchObject({ count: 2, medianHoursToResolve: '36.00' });
    });
  });
});
