import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccountingService } from '../../src/accounting/accounting.service';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { seedDemo } from '../../src/demo/demo-seed';
import { loadConfig } from '../../src/infra/env';
import { PeriodsService } from '../../src/periods/periods.service';
import { importDemo, startTestApp, TestApp } from '../support/test-app';

/**
 * Commission expense accounting on the demo (both stores), every figure worked out by hand from the demo's files:
 *
 * January: A1 earns 6,000.00 USD commission and a 500.00 USD SPIF on B1 (new PLATFORM, 24 months); G1 earns a 1.5%
 * override on B1 (1,620.00 EUR: 108,000 EUR credited) and on MR1 (540.00 EUR, a 12-month renewal: expensed under the
 * practical expedient). 24-month costs are capitalised: 6,000 / 24 = 250.00; 500 / 24 = 20.8333 → 20.83 (the last
 * month 500 − 23 × 20.83 = 20.91); 1,620 / 24 = 67.50.
 *
 * March: B1 is cancelled on 20 March, within the clawback window: A1 is clawed back 6,000 + 500, G1 1,620. After
 * March's amortisation B1's schedules hold 6,000 − 3 × 250 = 5,250.00, 500 − 3 × 20.83 = 437.51 and 1,620 − 3 × 67.50
 * = 1,417.50: the clawbacks take all of it (reductions), the rest of each clawback (750.00, 62.49, 202.50) reverses
 * expense, and the cancellation writes off what is left of the schedules and their reductions (net 0). MR2 (a 24-month
 * renewal booked 1 March) adds M1's 900.00 USD commission (37.50 a month) and G1's 216.00 EUR override (9.00 a month).
 */
describe('commission expense accounting on the demo', () => {
  let t: TestApp;
  let accounting: AccountingService;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.app, () => undefined);
    accounting = t.app.get(AccountingService);
  });
  afterAll(async () => t?.close());

  const figures = (r: { currency: string; opening: string; additions: string; reductions: string; amortisation: string; writeOffs: string; closing: string; current: string; nonCurrent: string }) => [
    r.currency,
    r.opening,
    r.additions,
    r.reductions,
    r.amortisation,
    r.writeOffs,
    r.closing,
    r.current,
    r.nonCurrent,
  ];

  it('the demo closes January and February; January capitalises the 24-month costs and amortises their first month', async () => {
    const jan = await accounting.period('2026-01');
    //                 currency  opening  additions  reductions amortisation write-offs closing   current (12 months) non-current
    expect(jan.byCurrency.map(figures)).toEqual([
      ['EUR', '0.00', '1620.00', '0.00', '67.50', '0.00', '1552.50', '810.00', '742.50'],
      ['USD', '0.00', '6500.00', '0.00', '270.83', '0.00', '6229.17', '3249.96', '2979.21'],
    ]);
    // EUR at 1.1 (2026-01-01, the latest rate on or before 2026-01-31): 1,782.00; 74.25; 891.00
    expect(figures(jan.reporting)).toEqual(['USD', '0.00', '8282.00', '0.00', '345.08', '0.00', '7936.92', '4140.96', '3795.96']);
    expect(jan.checks.every((c) => c.ok)).toBe(true);
    expect([jan.byCurrency.map((r) => r.ties), jan.reporting.ties]).toEqual([[true, true], true]);
    const feb = await accounting.period('2026-02');
    expect(feb.byCurrency.map((r) => [r.currency, r.opening, r.closing])).toEqual([
      ['EUR', '1552.50', '1485.00'],
      ['USD', '6229.17', '5958.34'],
    ]);
  });

  it('the schedules name their line, booking and basis', async () => {
    const list = await accounting.schedules({ period: '2026-01' });
    expect(list.map((s) => [s.repId, s.bookingId, s.lineKind, s.currency, s.cost, s.months, s.monthly, s.lastMonth, s.basis, s.remaining, s.remainingAfter])).toEqual([
      ['A1', 'B1', 'commission', 'USD', '6000.00', 24, '250.00', '250.00', 'term', '5500.00', '2026-02'],
      ['A1', 'B1', 'spiff', 'USD', '500.00', 24, '20.83', '20.91', 'term', '458.34', '2026-02'],
      ['G1', 'B1', 'override', 'EUR', '1620.00', 24, '67.50', '67.50', 'term', '1485.00', '2026-02'],
    ]);
    expect(list[0].note).toBe('capitalised: amortised over the contract term of 24 months from 2026-01');
  });

  it("January's journal: balanced debit/credit rows per currency with their amount in USD", async () => {
    const j = await accounting.journal('2026-01');
    expect(j.balanced).toBe(true);
    expect(j.rows.map((r) => [r.entry, r.account, r.currency, r.debit, r.credit, r.reportingDebit, r.reportingCredit])).toEqual([
      ['capitalise', '1460', 'EUR', '1620.00', '', '1782.00', ''],
      ['capitalise', '2150', 'EUR', '', '1620.00', '', '1782.00'],
      ['expense', '6150', 'EUR', '540.00', '', '594.00', ''], // MR1's override: 2,160 of lines − 1,620 capitalised
      ['expense', '2150', 'EUR', '', '540.00', '', '594.00'],
      ['amortise', '6160', 'EUR', '67.50', '', '74.25', ''],
      ['amortise', '1460', 'EUR', '', '67.50', '', '74.25'],
      ['capitalise', '1460', 'USD', '6500.00', '', '6500.00', ''],
      ['capitalise', '2150', 'USD', '', '6500.00', '', '6500.00'],
      ['amortise', '6160', 'USD', '270.83', '', '270.83', ''],
      ['amortise', '1460', 'USD', '', '270.83', '', '270.83'],
    ]);
  });

  it('March: the clawbacks of cancelled B1 take its asset, MR2 adds a new one', async () => {
    await t.app.get(PeriodsService).close('2026-03', cliActor(), { acknowledgments: 'warn' });
    const mar = await accounting.period('2026-03');
    expect(mar.byCurrency.map(figures)).toEqual([
      ['EUR', '1485.00', '216.00', '-1417.50', '76.50', '0.00', '207.00', '108.00', '99.00'],
      ['USD', '5958.34', '900.00', '-5687.51', '308.33', '0.00', '862.50', '450.00', '412.50'],
    ]);
    expect(mar.checks.map((c) => [c.name, c.ok])).toEqual([
      ['asset EUR', true],
      ['payable EUR', true],
      ['asset USD', true],
      ['payable USD', true],
    ]);
    const b1 = await accounting.schedules({ bookingId: 'B1', repId: 'A1' });
    expect(b1.map((s) => [s.treatment, s.cost, s.startPeriod, s.months, s.monthly, s.lastMonth, s.writtenOffIn, s.writeOff, s.remaining])).toEqual([
      ['capitalised', '6000.00', '2026-01', 24, '250.00', '250.00', '2026-03', '5250.00', '0.00'],
      ['capitalised', '500.00', '2026-01', 24, '20.83', '20.91', '2026-03', '437.51', '0.00'],
      ['reduction', '-5250.00', '2026-04', 21, '-250.00', '-250.00', '2026-03', '-5250.00', '0.00'],
      ['reduction', '-437.51', '2026-04', 21, '-20.83', '-20.91', '2026-03', '-437.51', '0.00'],
    ]);
    expect(b1[2].note).toBe('clawback reduces the asset of schedule 1 by 5250 over its 21 remaining months; booking B1 is cancelled, so what is left of both is written off in 2026-03');
    // USD lines of March add up to 5,300.00 (what payroll pays): 900 capitalised, 5,687.51 out of the asset, the rest expense
    const j = await accounting.journal('2026-03');
    expect(j.rows.filter((r) => r.currency === 'USD' && r.debit).map((r) => [r.entry, r.account, r.debit])).toEqual([
      ['capitalise', '1460', '900.00'],
      ['expense', '6150', '10087.51'],
      ['reduce', '2150', '5687.51'],
      ['amortise', '6160', '308.33'],
    ]);
    expect(j.balanced).toBe(true);
  });

  it('the close records what its accounting did in the audit trail', async () => {
    const [e] = await t.query<{ after: { accounting: unknown } | string }>(`SELECT after FROM audit_events WHERE action = 'period.close' AND entity_id = '2026-03'`);
    const after = typeof e.after === 'string' ? JSON.parse(e.after) : e.after;
    // MR2's two schedules and B1's three reductions; B1's three schedules and their three reductions written off
    expect(after.accounting).toEqual([{ period: '2026-03', schedules: 5, writeOffs: 6 }]);
  });

  it('over HTTP: finance reads the journal as CSV; a rep may not; an open period has no accounting', async () => {
    const finance = await t.tokenFor('finance');
    const csv = await t.http().get('/accounting/periods/2026-01/journal?format=csv').set('Authorization', `Bearer ${finance}`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('period,entry,account,account_name,description,currency,debit,credit,reporting_currency,reporting_debit,reporting_credit');
    expect(csv.text.split('\n')[1]).toBe('2026-01,capitalise,1460,Capitalised contract costs,commission costs of obtaining contracts capitalised,EUR,1620.00,,USD,1782.00,');
    const rep = await t.tokenFor('rep', 'A1');
    await t.http().get('/accounting/schedules').set('Authorization', `Bearer ${rep}`).expect(403);
    const open = await t.http().get('/accounting/periods/2026-04').set('Authorization', `Bearer ${finance}`).expect(409);
    expect(open.body.message).toBe('period 2026-04 is open; the accounting covers closed periods only');
  });

  it("nobody changes a schedule: the service's role may not, and the tables refuse it to their owner too", async () => {
    // the service works as commission_app, which may only read and insert; the triggers stop everyone else
    await expect(t.query(`UPDATE cost_schedules SET cost = 1 WHERE id = 1`)).rejects.toThrow(/permission denied|append-only/);
    await expect(t.query(`DELETE FROM cost_write_offs`)).rejects.toThrow(/permission denied|append-only/);
    const triggers = await t.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgname LIKE 'cost_%_append_only' ORDER BY tgname`);
    expect(triggers.map((x) => x.tgname)).toEqual(['cost_periods_append_only', 'cost_schedules_append_only', 'cost_write_offs_append_only']);
  });
});

/**
 * A store whose periods were closed before the accounting existed: `accounting catch-up` runs it for them, once
 * (the close of January is played by an earlier version: approved by the service, closed in SQL without accounting).
 */
describe('catching up periods closed before the accounting existed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await importDemo(t.app);
    await t.app.get(CalculationService).calculate('2026-01', cliActor());
    await t.app.get(PeriodsService).approve('2026-01', cliActor());
    await t.query(`UPDATE periods SET status = 'closed', closed_at = now(), closed_by = 'an earlier version' WHERE period = '2026-01'`);
  });
  afterAll(async () => t?.close());

  it('January has no accounting until the catch-up runs it; a second catch-up finds nothing to do', async () => {
    const accounting = t.app.get(AccountingService);
    await expect(accounting.period('2026-01')).rejects.toThrow('period 2026-01 is closed but its accounting has not run yet; it runs with the next close');
    expect(await accounting.catchUp(cliActor())).toEqual([{ period: '2026-01', schedules: 3, writeOffs: 0 }]);
    expect((await accounting.period('2026-01')).byCurrency.map((r) => [r.currency, r.closing])).toEqual([
      ['EUR', '1552.50'],
      ['USD', '6229.17'],
    ]);
    expect(await accounting.catchUp(cliActor())).toEqual([]);
    const events = await t.query<{ action: string }>(`SELECT action FROM audit_events WHERE action = 'accounting.catch_up'`);
    expect(events).toHaveLength(1);
  });
});

describe('ACCOUNTING_POLICY', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('is read with the configuration: what it sets over the defaults', () => {
    const cfg = loadConfig({ ACCOUNTING_POLICY: file('ok.json', JSON.stringify({ practicalExpedient: false, expectedLifeMonths: { PLATFORM: 48 }, accounts: { asset: { code: '1461', name: 'Contract costs' } } })) });
    expect(cfg.accountingPolicy.practicalExpedient).toBe(false);
    expect(cfg.accountingPolicy.expectedLifeMonths).toEqual({ PLATFORM: 48 });
    expect(cfg.accountingPolicy.accounts.asset).toEqual({ code: '1461', name: 'Contract costs' });
    expect(cfg.accountingPolicy.accounts.payable).toEqual({ code: '2150', name: 'Commissions payable' });
  });

  it('a bad file stops the start, naming the file and each JSON path', () => {
    const bad = file('bad.json', JSON.stringify({ practicalExpedient: 'yes', expectedLifeMonths: { PLATFORM: 0 } }));
    expect(() => loadConfig({ ACCOUNTING_POLICY: bad })).toThrow(`invalid configuration: ACCOUNTING_POLICY: ${bad}: $.practicalExpedient: must be boolean; $.expectedLifeMonths.PLATFORM: must be >= 1`);
    expect(() => loadConfig({ ACCOUNTING_POLICY: path.join(dir, 'missing.json') })).toThrow(`ACCOUNTING_POLICY: ${path.join(dir, 'missing.json')}: cannot read it (ENOENT)`);
    expect(() => loadConfig({ ACCOUNTING_POLICY: file('syntax.json', '{\n  "practicalExpedient": true,\n}') })).toThrow(/syntax\.json: line 3, column 1: invalid JSON/);
  });
});
