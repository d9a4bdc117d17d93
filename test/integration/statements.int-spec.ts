import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { Decimal, ZERO } from '../../src/core/money/decimal';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { StatementsService } from '../../src/statements/statements.service';
import { pdfText } from '../support/pdf-text';
import { startTestApp, TestApp } from '../support/test-app';

async function renderToBuffer(svc: StatementsService, period: string, repId: string): Promise<Buffer> {
  const view = await svc.view(period, repId);
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await svc.render(view, period, sink);
  return Buffer.concat(chunks);
}

/** Statements of the demo payees (all three golden plans), checked against the stored payouts, plus pagination. */
describe('PDF statements', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  let svc: StatementsService;

  beforeAll(async () => {
    t = await startTestApp();
    svc = t.app.get(StatementsService);
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) await imp(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`, 'utf8'));
    await t.app.get(PeriodsService).close('2026-01', actor);
    await t.app.get(PeriodsService).close('2026-02', actor);
    await imp('payroll', 'payroll.csv', 'rep_id,period,currency,amount,paid_date,reference\nA1,2026-02,USD,36000.00,2026-02-27,PR-1\nN1,2026-02,USD,2000.00,2026-02-27,PR-3\n');
    await t.app.get(CalculationService).calculate('2026-03', actor);
  });
  afterAll(async () => t?.close());

  it.each([
    ['A1', '2026-02', 'FINAL', '36,000.00 USD'],
    ['G1', '2026-02', 'FINAL', '8,505.00 EUR'],
    ['M1', '2026-02', 'FINAL', '2,100.00 USD'],
    ['N1', '2026-02', 'FINAL', '2,000.00 USD'],
    ['N1', '2026-03', 'DRAFT', '3,000.00 USD'],
    ['A1', '2026-03', 'DRAFT', '0.00 USD'],
  ])('%s %s: the printed lines, totals and quota equal the stored payout', async (repId, period, status, net) => {
    const view = await svc.view(period, repId);
    const [stored] = await t.app.get(CalculationService).payouts(period, new Set([repId]));
    expect(view.status).toBe(status);
    expect(view.netPayout).toBe(stored.payout);
    expect(view.netPayoutText).toBe(net);
    // the lines sum exactly to the net payout
    expect(view.lines.reduce((s, l) => s.plus(l.amount), ZERO).toFixed(2)).toBe(view.netPayout);
    const lines = await t.app.get(CalculationService).lines(period, repId);
    expect(view.lines.map((l) => l.amount)).toEqual(lines.map((l) => new Decimal(l.amount).toFixed(2)));

    const { text } = await pdfText(await renderToBuffer(svc, period, repId));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Net payout ${net}`);
    for (const l of view.lines) expect(flat).toContain(l.amountText);
    for (const [k, v] of view.totals) expect(flat).toContain(`${k} ${v}`);
    for (const [k, v] of view.quota) expect(flat).toContain(`${k} ${v}`.replace(/\s+/g, ' '));
    // the printed line amounts add up to the printed net payout
    const printed = view.lines.map((l) => l.amountText.replace(/ [A-Z]{3}$/, '').replace(/,/g, ''));
    expect(printed.reduce((s, a) => s.plus(a), ZERO).toFixed(2)).toBe(net.replace(/ [A-Z]{3}$/, '').replace(/,/g, ''));
  });

  it("shows the ramp step in words and the payroll check for N1's first full month", async () => {
    const view = await svc.view('2026-02', 'N1');
    expect(view.rampSchedule.slice(0, 3)).toEqual([
      '2026-02: tenure month 1: 25% of full monthly quota, 13 of 28 days active = 11,607.14 USD',
      '2026-03: tenure month 2: 50% of full monthly quota = 50,000.00 USD',
      '2026-04: tenure month 3: 75% of full monthly quota = 75,000.00 USD',
    ]);
    expect(view.quota).toContainEqual(['Effective quota (after ramp and proration)', '936,607.14 USD']);
    expect(view.verification).toContainEqual(['Payroll paid (PR-3, 2026-02-27)', '2,000.00 USD']);
    expect(view.verification).toContainEqual(['Reconciliation', 'matched']);
    expect(view.lines.map((l) => [l.kind, l.amountText])).toEqual([['Draw', '2,000.00 USD']]);
  });

  it('attainment for the period, quarter to date and year to date (ae year window; am quarter window)', async () => {
    const ae = await svc.view('2026-02', 'A1');
    expect(ae.attainment.map((a) => [a.label, a.credit, a.quota, a.pct])).toEqual([
      ['Period 2026-02', '600,000.00 USD', '100,000.00 USD', '600.00%'],
      ['Quarter to date (2026-Q1)', '720,000.00 USD', '300,000.00 USD', '240.00%'],
      ["Year to date (2026, the plan's measurement window)", '720,000.00 USD', '1,200,000.00 USD', '60.00%'],
    ]);
    const am = await svc.view('2026-02', 'M1');
    expect(am.attainment.map((a) => [a.label, a.credit, a.quota, a.pct])).toEqual([
      ['Period 2026-02', '30,000.00 USD', '31,111.11 USD', '96.43%'], // Qq 100,000 x 28/90 days
      ["Quarter to date (2026-Q1, the plan's measurement window)", '70,000.00 USD', '100,000.00 USD', '70.00%'],
      ['Year to date (1 quarter)', '70,000.00 USD', '100,000.00 USD', '70.00%'],
    ]);
  });

  it('tells computed from paid by payroll, prints the base rate and a mid-year target; a reversal is no attainment', async () => {
    const ae = await svc.view('2026-02', 'A1');
    // January 6,500 + February 36,000 computed; payroll reported only February's 36,000
    expect(ae.ytd).toContainEqual(['Computed payable year to date (2 months)', '42,500.00 USD']);
    expect(ae.ytd).toContainEqual(['Paid by payroll year to date', '36,000.00 USD']);
    expect(ae.ytd).toContainEqual(['Base rate (V / Q)', '10.00% of credit']); // 120,000 / 1,200,000
    expect(ae.ytd.map(([k]) => k)).not.toContain('Target variable for 2026-01-01 to 2026-12-31');
    const flat = (await pdfText(await renderToBuffer(svc, '2026-02', 'A1'))).text.replace(/\s+/g, ' ');
    expect(flat).toContain('Paid by payroll year to date 36,000.00 USD');
    expect(flat).toContain('Base rate (V / Q) 10.00% of credit');
    // the tier bar labels every band's start, the end of the last band (250%) and the capped stretch past it
    expect(flat).toMatch(/0% 50% 100% 150% 250% cap/);
    expect(flat).toContain('you: 60.00%');
    // N1, hired 16 February: 319 of 365 days x 120,000 = 104,876.71
    expect((await svc.view('2026-02', 'N1')).ytd).toContainEqual(['Target variable for 2026-02-16 to 2026-12-31', '104,876.71 USD']);
    // G1 has no quota of their own; their statement shows the team's: A1 720,000 of 1,200,000 (year), N1 0 of
    // 936,607.14 (year, ramped from 16 February), M1 70,000 of 100,000 (Q1): 790,000 of 2,236,607.14 = 35.32%
    const g1 = await svc.view('2026-02', 'G1');
    expect(g1.ytd).toContainEqual(['Base rate (V / Q)', 'n/a (no quota)']);
    expect(g1.quota).toContainEqual(['Annual quota', "none of their own: paid on the team's results"]);
    expect(g1.attainment).toEqual([
      {
        label: 'Team: 3 direct reports paid in USD, their quota windows',
        credit: '790,000.00 USD',
        quota: '2,236,607.14 USD',
        pct: '35.32%',
        // the same figures for a program: exact decimal strings and the currency
        creditAmount: '790000',
        quotaAmount: '2236607.142857142857142857142857142857143',
        currency: 'USD',
      },
    ]);
    // a ramp schedule reads month runs under one rule as one line
    expect(ae.rampSchedule).toEqual(['2026-01 to 2026-12: tenure months 8-19: 100% of full monthly quota = 100,000.00 USD each']);
    expect((await svc.view('2026-02', 'N1')).rampSchedule.slice(3)).toEqual(['2026-05 to 2026-12: tenure months 4-11: 100% of full monthly quota = 100,000.00 USD each']);
    // March: B1's cancellation takes 120,000 of credit back; the period shows a reversal, not -120%
    const march = await svc.view('2026-03', 'A1');
    expect(march.attainment[0]).toMatchObject({ label: 'Period 2026-03', credit: '-120,000.00 USD', quota: '100,000.00 USD', pct: 'n/a (credit reversed)', creditAmount: '-120000', currency: 'USD' });
    // every formatted amount of the quota, totals and year-to-date blocks is also there as a decimal string (A1: V 120,000; Q 1,200,000)
    expect(march.figures.filter((f) => ['Annual quota', 'Target variable', 'OTE (base + target variable)'].includes(f.label))).toEqual([
      { label: 'Annual quota', amount: '1200000', currency: 'USD' },
      { label: 'Target variable', amount: '120000', currency: 'USD' },
      { label: 'OTE (base + target variable)', amount: '230000', currency: 'USD' },
    ]);
    expect(march.ytd).toContainEqual(['Paid by payroll year to date', '36,000.00 USD']);
  });

  it('manager statement: overrides name the report and booking and convert at the booked-date rate', async () => {
    const view = await svc.view('2026-02', 'G1');
    expect(view.lines.map((l) => [l.kind, l.amountText])).toEqual([
      ['Override', '8,100.00 EUR'], // B2 600,000 USD x 0.9 x 1.5%
      ['Override', '405.00 EUR'], // ME1 30,000 USD x 0.9 x 1.5%
    ]);
    expect(view.lines.find((l) => l.detail.includes('booking B2'))?.detail).toContain('report A1');
    expect(view.lines.find((l) => l.detail.includes('booking B2'))?.detail).toContain('FX 0.9 (2026-01-01)');
  });

  it('renders byte-identical PDFs for the same closed period', async () => {
    const a = await renderToBuffer(svc, '2026-02', 'A1');
    const b = await renderToBuffer(svc, '2026-02', 'A1');
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('writes one file per payee with the CLI naming, and renders a page to PNG', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-st-'));
    const files = await svc.writeAll('2026-02', dir);
    expect(files.map((f) => path.basename(f))).toEqual(['A1-2026-02.pdf', 'G1-2026-02.pdf', 'M1-2026-02.pdf', 'N1-2026-02.pdf']);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', files[0], path.join(dir, 'page')]);
    const png = fs.readdirSync(dir).find((f) => f.endsWith('.png')) as string;
    expect(fs.readFileSync(path.join(dir, png)).subarray(1, 4).toString()).toBe('PNG');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a 300-line statement paginates with the table header on every page', async () => {
    const rows = ['booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date'];
    for (let i = 1; i <= 300; i++) rows.push(`BULK${String(i).padStart(3, '0')},A1,100,CB${i},new,CORE,${1000 + i}.50,USD,12,2026-03-${String(1 + (i % 28)).padStart(2, '0')},`);
    await imp('bookings', 'bulk.csv', rows.join('\n'));
    await t.app.get(CalculationService).calculate('2026-03', actor);
    const view = await svc.view('2026-03', 'A1');
    expect(view.lines.length).toBeGreaterThanOrEqual(300);
    const { text, pages, pageTexts } = await pdfText(await renderToBuffer(svc, '2026-03', 'A1'));
    expect(pages).toBeGreaterThan(5);
    // every page that shows a line shows the table's header row above it
    const withLines = pageTexts.filter((p) => /booking BULK\d{3}/.test(p));
    expect(withLines.length).toBeGreaterThan(5);
    for (const p of withLines) expect(p).toContain('What and why');
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Net payout ${view.netPayoutText}`);
    expect(view.lines.reduce((s, l) => s.plus(l.amount), ZERO).toFixed(2)).toBe(view.netPayout);
  });
});
