import * as fs from 'node:fs';
import { cliActor } from '../../src/auth/actor';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The monthly close on the demo data, in process through HTTP (and the services where HTTP has no route):
 * open → calculated → approved → closed, the refusals on the way, payroll export, manual adjustments, diff and verify.
 *
 * Demo payouts, worked out by hand (test/core/*, test/e2e/calc-cli.e2e-spec.ts):
 *   2026-01: A1 6500.00 USD (B1 120,000 ACV × 5% + 500 SPIF), G1 2160.00 EUR (160,000 × 0.9 × 1.5%),
 *            M1 0.00 (40% of the quarterly quota is below the 50% gate), N1 is hired in February (no payee).
 *   2026-02: A1 36000.00, G1 8505.00 (630,000 × 0.9 × 1.5%), M1 2100.00 (70% → 3% of 70,000), N1 2000.00 (draw).
 */
describe('period close lifecycle (HTTP + services)', () => {
  let t: TestApp;
  const actor = cliActor();
  const tok = {} as Record<'finance' | 'a1' | 'auditor', string>;
  const as = (who: keyof typeof tok) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${tok[who]}`),
    post: (path: string, body: object = {}) => t.http().post(path).set('Authorization', `Bearer ${tok[who]}`).send(body),
  });
  const finance = () => as('finance');
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.app.get(Db).query<T>(sql, params);
  const status = async (period: string) => (await finance().get(`/periods/${period}`).expect(200)).body.status as string;
  const payoutOf = async (period: string, repId: string) => {
    const res = await finance().get(`/periods/${period}/payouts/${repId}/lines`).expect(200);
    return res.body as { payout: { payout: string; runId: string }; lines: { kind: string; ref: string | null; amount: string; description: string; originPeriod: string | null }[] };
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), actor);
    }
    tok.finance = await t.tokenFor('finance');
    tok.auditor = await t.tokenFor('auditor');
    tok.a1 = await t.tokenFor('rep', 'A1');
  });
  afterAll(async () => t?.close());

  describe('2026-01: open → calculated → approved → closed', () => {
    it('an uncalculated period is open; approving it is refused (409), and so are export and verify', async () => {
      expect(await status('2026-01')).toBe('open');
      const approve = await finance().post('/periods/2026-01/approve').expect(409);
      expect(approve.body).toEqual({ error: 'CONFLICT', message: 'period 2026-01 is not calculated; calculate it before approving' });
      const exp = await finance().get('/periods/2026-01/payroll-export').expect(409);
      expect(exp.body).toMatchObject({ error: 'CONFLICT', message: 'period 2026-01 is open; only closed periods export to payroll' });
      const verify = await finance().get('/periods/2026-01/verify').expect(409);
      expect(verify.body.message).toBe('period 2026-01 is open; only closed periods are verified');
      expect(await q(`SELECT * FROM periods`)).toEqual([]);
    });

    it('calculating makes it calculated; it can be recalculated until approval; export is still refused', async () => {
      const first = await finance().post('/periods/2026-01/calculate').expect(200);
      expect(first.body.runs).toEqual([expect.objectContaining({ period: '2026-01', payees: 3, totals: [{ currency: 'EUR', amount: '2160.00' }, { currency: 'USD', amount: '6500.00' }] })]);
      expect(await status('2026-01')).toBe('calculated');
      const again = await finance().post('/periods/2026-01/calculate').expect(200);
      expect(again.body.runs[0].runId).not.toBe(first.body.runs[0].runId);
      expect(again.body.runs[0].resultHash).toBe(first.body.runs[0].resultHash);
      expect((await finance().get('/periods/2026-01/payroll-export').expect(409)).body.message).toBe('period 2026-01 is calculated; only closed periods export to payroll');
    });

    it('closing February before January is refused (409): periods close in order', async () => {
      const res = await finance().post('/periods/2026-02/close').expect(409);
      expect(res.body).toEqual({ error: 'CONFLICT', message: 'periods close in order: close 2026-01 (now calculated) before 2026-02' });
      expect(await status('2026-02')).toBe('open');
    });

    it('close --approved-only refuses a period that was not approved first', async () => {
      await expect(t.app.get(PeriodsService).close('2026-01', actor, { onlyIfApproved: true })).rejects.toThrow(
        'period 2026-01 is calculated; approve it before closing (or use close without --approved-only)',
      );
      expect(await status('2026-01')).toBe('calculated');
    });

    it('approval freezes the result: recalculation and adjustments are refused with PERIOD_LOCKED', async () => {
      const run = (await t.app.get(PeriodsService).get('2026-01')).runId;
      const res = await finance().post('/periods/2026-01/approve').expect(200);
      expect(res.body).toMatchObject({ period: '2026-01', status: 'approved', changed: true, runId: run, message: 'period 2026-01 approved', calculated: [] });
      const again = await finance().post('/periods/2026-01/approve').expect(200);
      expect(again.body).toMatchObject({ status: 'approved', changed: false, runId: run, message: 'period 2026-01 is already approved' });

      const calc = await finance().post('/periods/2026-01/calculate').expect(409);
      expect(calc.body).toEqual({ error: 'PERIOD_LOCKED', message: 'period 2026-01 is approved; its result is frozen until it is closed' });
      const adj = await finance().post('/periods/2026-01/adjustments', { repId: 'A1', amount: '100.00', reasonCode: 'correction', note: 'too late' }).expect(409);
      expect(adj.body).toEqual({ error: 'PERIOD_LOCKED', message: 'period 2026-01 is approved; adjustments go into an open period' });
      expect((await t.app.get(PeriodsService).get('2026-01')).runId).toBe(run);
      expect(await q(`SELECT count(*)::int AS n FROM adjustments`)).toEqual([{ n: 0 }]);
    });

    it('closes the approved run (the first period has no predecessor to wait for); closing again is a no-op that says so', async () => {
      const approved = await t.app.get(PeriodsService).get('2026-01');
      const res = await finance().post('/periods/2026-01/close').expect(200);
      expect(res.body).toEqual({
        period: '2026-01',
        status: 'closed',
        changed: true,
        runId: approved.runId,
        resultHash: approved.resultHash,
        message: 'period 2026-01 closed',
        calculated: [],
        // nobody has acknowledged a written plan in this data: the close goes ahead (ACK_REQUIRED is off) and says so
        warnings: ['3 of 3 assignment(s) in effect have an unacknowledged plan document: A1 (ae-2026 v1, assignment 2), G1 (mgr-2026 v1, assignment 1), M1 (am-2026 v1, assignment 4)'],
      });
      expect(await status('2025-12')).toBe('open'); // before the first assignment: no requirement on it

      const again = await finance().post('/periods/2026-01/close').expect(200);
      expect(again.body).toEqual({ ...res.body, changed: false, message: 'period 2026-01 is already closed; nothing to do', warnings: [] });
      const viaService = await t.app.get(PeriodsService).close('2026-01', actor);
      expect(viaService).toMatchObject({ changed: false, runId: approved.runId, resultHash: approved.resultHash });

      const events = await q<{ action: string; actor: string; after: Record<string, unknown> }>(
        `SELECT action, actor, after FROM audit_events WHERE entity_type = 'period' AND entity_id = '2026-01' AND action LIKE 'period.%' ORDER BY id`,
      );
      expect(events).toEqual([
        { action: 'period.approve', actor: 'user:finance(finance)', after: { status: 'approved', runId: approved.runId } },
        {
          action: 'period.close',
          actor: 'user:finance(finance)',
          // the close's commission cost accounting: B1's commission, SPIF and override (a 24-month term) become schedules
          after: { status: 'closed', runId: approved.runId, resultHash: approved.resultHash, accounting: [{ period: '2026-01', schedules: 3, writeOffs: 0 }] },
        },
      ]);
    });

    it('a closed period refuses recalculation and adjustments (PERIOD_LOCKED); approving it again changes nothing', async () => {
      const calc = await finance().post('/periods/2026-01/calculate').expect(409);
      expect(calc.body).toEqual({
        error: 'PERIOD_LOCKED',
        message: 'period 2026-01 is closed and never changes; late facts flow into the first open period as prior-period adjustments',
      });
      const adj = await finance().post('/periods/2026-01/adjustments', { repId: 'A1', amount: '100.00', reasonCode: 'correction', note: 'too late' }).expect(409);
      expect(adj.body).toEqual({ error: 'PERIOD_LOCKED', message: 'period 2026-01 is closed; adjustments go into an open period' });
      const approve = await finance().post('/periods/2026-01/approve').expect(200);
      expect(approve.body).toMatchObject({ status: 'closed', changed: false, message: 'period 2026-01 is already closed' });
    });

    it('exports the closed period: one row per payee with a non-zero payout (M1 earned 0.00 and is left out)', async () => {
      const res = await finance().get('/periods/2026-01/payroll-export').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="payroll-2026-01.csv"');
      expect(res.text).toBe(
        ['rep_id,period,currency,amount,reference', 'A1,2026-01,USD,6500.00,CE-2026-01-A1', 'G1,2026-01,EUR,2160.00,CE-2026-01-G1', ''].join('\n'),
      );
      expect((await payoutOf('2026-01', 'M1')).payout.payout).toBe('0.00');
    });

    it('verify recalculates the closed period from its stored inputs and reports a match', async () => {
      const run = await t.app.get(PeriodsService).get('2026-01');
      const res = await as('auditor').get('/periods/2026-01/verify').expect(200);
      expect(res.body).toEqual({
        period: '2026-01',
        runId: run.runId,
        matches: true,
        storedResultHash: run.resultHash,
        resultHash: run.resultHash,
        storedInputsHash: run.inputsHash,
        inputsHash: run.inputsHash,
        method: 'result hash',
      });
    });
  });

  describe('2026-02: a manual adjustment, diff, close, export', () => {
    let adjustmentId: string;
    let firstRun: string;

    it('calculates February (January stays closed and untouched)', async () => {
      const jan = await t.app.get(PeriodsService).get('2026-01');
      const res = await finance().post('/periods/2026-02/calculate').expect(200);
      expect(res.body.runs).toEqual([expect.objectContaining({ period: '2026-02', payees: 4, totals: [{ currency: 'EUR', amount: '8505.00' }, { currency: 'USD', amount: '40100.00' }] })]);
      firstRun = res.body.runs[0].runId;
      expect(await t.app.get(PeriodsService).get('2026-01')).toEqual(jan);
      const pay = (await finance().get('/periods/2026-02/payouts').expect(200)).body.payouts.map((p: { repId: string; payout: string }) => [p.repId, p.payout]);
      expect(pay).toEqual([
        ['A1', '36000.00'],
        ['G1', '8505.00'],
        ['M1', '2100.00'],
        ['N1', '2000.00'],
      ]);
    });

    it('rejects malformed adjustments (400) and unknown payees (404)', async () => {
      const base = { repId: 'M1', amount: '150.00', reasonCode: 'correction', note: 'missed renewal uplift' };
      expect((await finance().post('/periods/2026-02/adjustments', { ...base, amount: '0' }).expect(400)).body.error).toBe('INVALID_INPUT');
      expect((await finance().post('/periods/2026-02/adjustments', { ...base, amount: '1.005' }).expect(400)).body.error).toBe('INVALID_INPUT');
      expect((await finance().post('/periods/2026-02/adjustments', { ...base, reasonCode: 'because' }).expect(400)).body.error).toBe('INVALID_INPUT');
      expect((await finance().post('/periods/2026-02/adjustments', { ...base, note: '' }).expect(400)).body.error).toBe('INVALID_INPUT');
      expect((await finance().post('/periods/2026-02/adjustments', { ...base, repId: 'NOBODY' }).expect(404)).body.message).toBe('unknown rep_id "NOBODY"');
      expect(await q(`SELECT count(*)::int AS n FROM adjustments`)).toEqual([{ n: 0 }]);
    });

    it('adds a manual adjustment to the open period, with its author in the audit trail; the period goes stale', async () => {
      const res = await finance()
        .post('/periods/2026-02/adjustments', { repId: 'M1', amount: '150.00', reasonCode: 'correction', note: 'missed renewal uplift', originPeriod: '2026-01' })
        .expect(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^\d+$/), period: '2026-02', stale: true });
      adjustmentId = res.body.id;

      const listed = (await finance().get('/periods/2026-02/adjustments').expect(200)).body;
      expect(listed).toEqual([
        expect.objectContaining({ id: adjustmentId, repId: 'M1', amount: '150.00', reasonCode: 'correction', note: 'missed renewal uplift', originPeriod: '2026-01', source: 'manual', createdBy: 'user:finance(finance)' }),
      ]);
      const audit = await q(`SELECT actor, action, after FROM audit_events WHERE entity_type = 'adjustment' AND entity_id = $1`, [adjustmentId]);
      expect(audit).toEqual([
        {
          actor: 'user:finance(finance)',
          action: 'adjustment.create',
          after: { repId: 'M1', period: '2026-02', amount: '150.00', reasonCode: 'correction', note: 'missed renewal uplift', originPeriod: '2026-01', originRef: null },
        },
      ]);

      expect((await finance().get('/periods/2026-02').expect(200)).body).toMatchObject({ status: 'calculated', stale: true });
      // a stale result cannot be approved: it does not include the adjustment yet
      expect((await finance().post('/periods/2026-02/approve').expect(409)).body.message).toBe('period 2026-02 is stale; calculate it before approving');
    });

    it('after recalculation the adjustment is an `adjustment` line and changes the payout by exactly its amount', async () => {
      await finance().post('/periods/2026-02/calculate').expect(200);
      const m1 = await payoutOf('2026-02', 'M1');
      expect(m1.payout.payout).toBe('2250.00');
      expect(m1.lines.filter((l) => l.kind === 'adjustment')).toEqual([
        expect.objectContaining({
          kind: 'adjustment',
          ref: `adj:${adjustmentId}`,
          amount: '150.00',
          originPeriod: '2026-01',
          description: `adjustment ${adjustmentId} (correction) for 2026-01: missed renewal uplift`,
        }),
      ]);
      expect(m1.lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0)).toBe(225000); // lines sum to the payout
      for (const [rep, amount] of [['A1', '36000.00'], ['G1', '8505.00'], ['N1', '2000.00']]) expect((await payoutOf('2026-02', rep)).payout.payout).toBe(amount);
    });

    it('diff shows exactly that payee and that line', async () => {
      const res = await finance().get('/periods/2026-02/diff').expect(200);
      expect(res.body).toEqual({
        period: '2026-02',
        fromRunId: firstRun,
        toRunId: (await t.app.get(PeriodsService).get('2026-02')).runId,
        payees: [{ repId: 'M1', currency: 'USD', before: '2100.00', after: '2250.00', change: '150.00' }],
        lines: [
          {
            repId: 'M1',
            key: `|adj:${adjustmentId}`,
            kind: 'adjustment',
            description: `adjustment ${adjustmentId} (correction) for 2026-01: missed renewal uplift`,
            currency: 'USD',
            before: '0.00',
            after: '150.00',
            change: '150.00',
          },
        ],
      });
    });

    it('closes February, refuses adjustments into it afterwards, exports it and verifies it', async () => {
      const current = await t.app.get(PeriodsService).get('2026-02');
      const res = await finance().post('/periods/2026-02/close').expect(200);
      expect(res.body).toMatchObject({ status: 'closed', changed: true, runId: current.runId, resultHash: current.resultHash, calculated: [] });

      const adj = await finance().post('/periods/2026-02/adjustments', { repId: 'M1', amount: '-150.00', reasonCode: 'correction', note: 'undo' }).expect(409);
      expect(adj.body.error).toBe('PERIOD_LOCKED');

      const csv = (await finance().get('/periods/2026-02/payroll-export').expect(200)).text;
      expect(csv).toBe(
        [
          'rep_id,period,currency,amount,reference',
          'A1,2026-02,USD,36000.00,CE-2026-02-A1',
          'G1,2026-02,EUR,8505.00,CE-2026-02-G1',
          'M1,2026-02,USD,2250.00,CE-2026-02-M1',
          'N1,2026-02,USD,2000.00,CE-2026-02-N1',
          '',
        ].join('\n'),
      );
      const jan = (await finance().get('/periods/2026-01/payroll-export').expect(200)).text;
      const refs = [...csv.split('\n').slice(1, -1), ...jan.split('\n').slice(1, -1)].map((l) => l.split(',')[4]);
      expect(new Set(refs).size).toBe(refs.length); // unique per payee and period

      for (const p of ['2026-01', '2026-02']) expect((await finance().get(`/periods/${p}/verify`).expect(200)).body.matches).toBe(true);
      expect((await finance().get('/periods').expect(200)).body.map((p: { period: string; status: string }) => [p.period, p.status])).toEqual([
        ['2026-01', 'closed'],
        ['2026-02', 'closed'],
      ]);
    });

    it('a rep reads only their own lines', async () => {
      const own = await as('a1').get('/periods/2026-02/payouts/A1/lines').expect(200);
      expect(own.body.payout).toMatchObject({ repId: 'A1', payout: '36000.00' });
      expect(own.body.lines.map((l: { kind: string; ref: string }) => [l.kind, l.ref])).toEqual([['commission', 'B2']]);
      await as('a1').get('/periods/2026-02/payouts/M1/lines').expect(404);
      await as('a1').get('/periods/2026-02/payouts/G1/lines').expect(404);
      const list = await as('a1').get('/periods/2026-02/payouts').expect(200);
      expect(list.body.payouts.map((p: { repId: string }) => p.repId)).toEqual(['A1']);
    });
  });
});
