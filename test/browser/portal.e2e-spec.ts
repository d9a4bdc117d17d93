import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { countColour, distinctColours, launchChromium, see, listenOnEphemeralPort, lowContrastText, openTab, Screenshots, signIn, Tab, unlabelledControls } from '../support/browser';
import { REPO_ROOT } from '../support/cli-process';
import { pdfText } from '../support/pdf-text';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * The portal in a real browser (Debian's chromium, driven by playwright-core), on the real app and a real store.
 *
 * One story over the demo data (G1 manages A1, N1 and M1): January is closed and paid exactly (accuracy 100%),
 * February is calculated. (1) The rep A1 downloads the January statement, reads the lines and their traces and
 * disputes line 1. (2) Their manager G1 looks at the evidence and upholds 250.00: an adjustment lands in February,
 * the first open period. (3) Finance recalculates February (the diff shows the adjustment), approves and closes it,
 * imports payroll (a bad file first: the row-level errors show in the page) and reconciles. (4) The auditor sees
 * January's accuracy fall from 100% to 50% because of the upheld dispute, the trend, the KPIs against their
 * thresholds and the audit trail, and verifies February. Then the pages' role checks: what the API refuses, the
 * pages do not show.
 */

// The DOM globals that functions passed to page.evaluate() use in the browser (this project compiles without the DOM lib).
declare const document: any;
declare const sessionStorage: any;
declare function getComputedStyle(element: unknown): { outlineStyle: string };
type Element = unknown;

const PAYROLL_HEADER = 'rep_id,period,currency,amount,paid_date,reference';
const BLUE = '#0b4f9c'; // count series and accent
const ORANGE = '#b33c00'; // amount series
const RED = '#a4161a'; // error border

describe('web portal (headless chromium)', () => {
  let t: TestApp;
  let baseURL: string;
  let browser: Browser;
  const tokens: Record<'rep' | 'manager' | 'finance' | 'auditor', string> = { rep: '', manager: '', finance: '', auditor: '' };
  const shots = new Screenshots();
  const tabs: Tab[] = [];
  let baselineJanuary = '';

  /** Payroll paid exactly what the closed period says (from the payroll export), on the 5th of the next month. */
  async function exactPayroll(period: string): Promise<string> {
    const rows = await t.app.get(PeriodsService).exportRows(period);
    return [PAYROLL_HEADER, ...rows.map((r) => `${r.repId},${r.period},${r.currency},${r.amount},${period}-28,${r.reference}`)].join('\n') + '\n';
  }

  async function tab(token: string): Promise<Page> {
    const tb = await openTab(browser, baseURL);
    tabs.push(tb);
    await signIn(tb.page, token);
    return tb.page;
  }

  const text = (page: Page, selector: string) => see(page.locator(selector).first(), /./);

  beforeAll(async () => {
    t = await startTestApp();
    const actor = cliActor();
    const imports = t.app.get(ImportsService);
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      await imports.importFile(kind, `${kind}.csv`, fs.readFileSync(path.join(REPO_ROOT, 'demo', `${kind}.csv`)), actor);
    }
    await t.app.get(CalculationService).calculate('2026-02', actor);
    await t.app.get(PeriodsService).close('2026-01', actor);
    await imports.importFile('payroll', 'payroll-2026-01.csv', Buffer.from(await exactPayroll('2026-01')), actor);
    tokens.rep = await t.tokenFor('rep', 'A1');
    tokens.manager = await t.tokenFor('manager', 'G1');
    tokens.finance = await t.tokenFor('finance');
    tokens.auditor = await t.tokenFor('auditor');
    baseURL = await listenOnEphemeralPort(t.app);
    browser = await launchChromium();
  });

  afterEach(async () => {
    // no uncaught exception and no console error (CSP violations included) in any tab of the test
    const problems = tabs.flatMap((x) => x.problems);
    for (const x of tabs.splice(0)) await x.close();
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    // PORTAL_SCREENSHOTS=keep leaves them for a look (the path is printed)
    if (process.env.PORTAL_SCREENSHOTS === 'keep') process.stdout.write(`portal screenshots: ${shots.dir}\n`);
    else fs.rmSync(shots.dir, { recursive: true, force: true });
  });

  it('serves the portal at / (public files, the API unchanged) with a strict content security policy', async () => {
    const res = await fetch(`${baseURL}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<script type="module" src="/portal/app.js">');
    expect((await fetch(`${baseURL}/portal/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${baseURL}/portal/..%2Fportal.controller.ts`)).status).toBe(404);
    expect((await fetch(`${baseURL}/periods`)).status).toBe(401);
  });

  it('before anything happens, the auditor sees January paid exactly: accuracy 100%', async () => {
    const page = await tab(tokens.auditor);
    await see(page.locator('#view h1'), 'Accuracy and audit');
    baselineJanuary = await text(page, '#accuracy-count');
    expect(baselineJanuary).toBe('100.00% (2 of 2 payouts error-free)');
  });

  it("(0) the rep's home: where they stand, earnings against target, and what a deal would pay", async () => {
    const page = await tab(tokens.rep);
    await see(page.locator('#view h1'), 'Where I stand: Ada Exec (A1)');
    expect(await page.locator('#nav a').allInnerTexts()).toEqual(['Where I stand', 'My pay']);
    // February is open: 720,000 of 1,200,000 (60%), tier 50-100%, the accelerator 480,000 away; pace 59 of 365 days
    const standing = page.locator('#standing-body');
    await see(standing, /credit 720,000\.00 USD of a quota of 1,200,000\.00 USD, 60\.00% attained/);
    await see(standing, /A steady pace would be at 16\.16% of the quota by now/);
    await see(standing, /Next tier: accelerator 100-150% from 100\.00%, at 1,200,000\.00 USD of credit: 480,000\.00 USD to go/);
    await see(standing, /Paid by payroll: 6,500\.00 USD/);
    expect(await page.locator('#me-gauge').getAttribute('aria-label')).toBe('Attainment 60.00%; a steady pace would be at 16.16% on this date.');
    await see(page.locator('#me-months tbody tr', { hasText: '2026-02' }), /2026-02\s+estimate \(open\)\s+36,000\.00 USD/);
    // what-if: 100,000 USD of CORE on 20 February fills 720k..820k at 10% (2 x the base rate of 5%): 10,000 more
    await page.getByLabel('Deal amount').fill('100000.00');
    await page.getByLabel('Product').fill('CORE');
    await page.getByLabel('Booked on').fill('2026-02-20');
    await page.getByRole('button', { name: 'Estimate' }).click();
    await see(page.locator('#what-if-result .outcome'), /with the deal .*\(10,000\.00 USD\)/);
    await see(page.locator('#what-if-result table').first(), /^2026-02: today 36,000\.00 USD earned, with the deal 46,000\.00 USD.*changed\s+Quota commission \(marginal tiers, YTD\): booking what-if-1\s+10,000\.00 USD/s);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await lowContrastText(page)).toEqual([]);
    await shots.page(page, '0-rep-home-what-if');
    // what if B2 (600,000, booked 10 February) were cancelled on 25 February instead: February earns nothing
    // (E(Feb) = B1's 6,000 + its SPIF 500 = E(Jan))
    await page.getByLabel('Deal amount').fill('');
    await page.getByLabel('And/or cancel booking (id)').fill('B2');
    await page.getByLabel('Cancelled on').fill('2026-02-25');
    await page.getByRole('button', { name: 'Estimate' }).click();
    await see(page.locator('#what-if-result table').first(), /^2026-02: today 36,000\.00 USD earned, with B2 cancelled 0\.00 USD.*removed\s+Quota commission \(marginal tiers, YTD\): booking B2\s+36,000\.00 USD/s);
    await shots.page(page, '0-rep-home-cancellation');
    // on a phone (390 px wide), nothing is cut off: the page does not scroll sideways
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shots.page(page, '0-rep-home-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('(1) the rep signs in, sees their periods, downloads the statement, reads the traces and disputes a line', async () => {
    const page = await tab(tokens.rep);
    // the token is in this tab's sessionStorage, never in the URL
    expect(page.url()).not.toContain(tokens.rep);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(tokens.rep);
    await see(page.locator('#view h1'), 'Where I stand: Ada Exec (A1)');
    await page.getByRole('link', { name: 'My pay' }).click();
    await see(page.locator('#view h1'), 'My pay: Ada Exec (A1)');

    // periods with payout, status and reconciliation status
    const jan = page.locator('#periods-table tbody tr', { hasText: '2026-01' });
    await see(jan, /2026-01\s+closed\s+6,500\.00 USD\s+6,500\.00 USD on 2026-01-28\s+matched/);
    await see(page.locator('#periods-table tbody tr', { hasText: '2026-02' }), /calculated.*not reconciled \(period not closed\)/s);

    // the statement PDF, fetched with the Authorization header and saved through a Blob link
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the 2026-01 statement (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe('A1-2026-01.pdf');
    expect(download.url()).toMatch(/^blob:/);
    const pdf = fs.readFileSync((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text: pdfWords } = await pdfText(pdf);
    expect(pdfWords).toContain('Ada Exec');
    expect(pdfWords).toContain('FINAL');
    await see(page.locator('#download-status').first(), /Downloaded A1-2026-01\.pdf: FINAL/);

    // the lines of January with their traces
    await page.getByRole('link', { name: 'Lines and traces for 2026-01' }).click();
    await page.locator('#lines-table').waitFor();
    expect(page.url()).toMatch(/#\/pay\/A1\/2026-01$/);
    const line1 = page.locator('#lines-table tbody tr').first();
    await see(line1, /booking B1 v1.*rule new-and-expansion-credit.*ACV 120,000\.00 USD.*tier 1 \(below 50%\): 120,000\.00 USD at 5%/s);
    await line1.getByText('Full trace of line 1').click();
    await expect(line1.locator('dl').innerText()).resolves.toContain('positionAfter');

    // a dispute on line 1, with the keyboard where it matters
    await page.getByRole('button', { name: 'Dispute line 1' }).click();
    await expect(page.locator('#dispute-target').inputValue()).resolves.toBe('line:1');
    await page.getByLabel('Reason').selectOption('wrong_rate');
    await page.getByLabel('Amount you think is owed (optional)').fill('250.00');
    await page.getByLabel('Explain what is wrong').fill('B1 should pay the 50-100% tier rate: my quota was set too high.');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Raise dispute' }).focus();
    await page.keyboard.press('Enter');
    await see(page.locator('#dispute-result'), /^Dispute #\d+ raised on line 1 of 2026-01 \(status open\)\.$/);
    await see(page.locator('#disputes-table tbody tr').first(), /2026-01\s+line 1\s+Wrong rate or tier\s+250\.00\s+open/);

    // and one on a booking they say is missing from January
    await page.getByLabel('What is wrong?').selectOption('booking');
    await page.getByLabel('Missing booking id').fill('B99');
    await page.getByLabel('Reason').selectOption('missing_credit');
    await page.getByLabel('Explain what is wrong').fill('B99 (customer C9) closed on 30 January and is not on my statement.');
    await page.getByRole('button', { name: 'Raise dispute' }).click();
    await see(page.locator('#dispute-result'), /^Dispute #\d+ raised on missing booking B99 of 2026-01 \(status open\)\.$/);
    await see(page.locator('#disputes-table tbody tr').nth(1), /2026-01\s+missing booking B99\s+Missing credit\s+–\s+open/);

    expect(await lowContrastText(page)).toEqual([]);
    const shot = await shots.page(page, '1-rep-lines-and-dispute');
    expect(shot.bytes).toBeGreaterThan(20_000);
    expect(shot.png.width).toBe(1280);
    expect(distinctColours(shot.png)).toBeGreaterThan(50);
    expect(countColour(shot.png, BLUE)).toBeGreaterThan(1000); // header bar and buttons
    for (const sel of ['#periods-table', '#lines-table', '#dispute-form', '#disputes-table']) expect(await page.locator(sel).isVisible()).toBe(true);

    // signing out removes the token from the tab
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([]);
    expect(await page.locator('#periods-table').count()).toBe(0);
  });

  it('(2) the manager sees the team, the dispute with its evidence, and upholds it with an amount', async () => {
    const page = await tab(tokens.manager);
    await see(page.locator('#view h1'), 'Where I stand: Grace Manager (G1)');
    expect(await page.locator('#nav a').allInnerTexts()).toEqual(['Where I stand', 'My pay', 'My team']);
    await see(page.locator('#team-standing'), /Team attainment \(USD\)/);
    await see(page.locator('#team-standing-table tbody tr', { hasText: 'Ada Exec (A1)' }), /60\.00%\s+16\.16%\s+50-100%\s+42,500\.00 USD\s+35\.42%/);
    // what would A1's 100,000 USD deal on 20 February pay G1? The override: 100,000 x 0.9 (EUR per USD then) x 1.5%
    await page.getByLabel('Deal amount').fill('100000.00');
    await page.getByLabel("Deal's currency").fill('USD');
    await page.getByLabel('Product').fill('CORE');
    await page.getByLabel('Credited to').selectOption('A1');
    await page.getByLabel('Booked on').fill('2026-02-20');
    await page.getByRole('button', { name: 'Estimate' }).click();
    await see(page.locator('#what-if-result table').first(), /^2026-02: today 8,505\.00 EUR earned, with the deal 9,855\.00 EUR.*changed\s+Team override 1\.5%: booking what-if-1 by A1\s+1,350\.00 EUR/s);
    await shots.page(page, '2-manager-home');
    await page.getByRole('link', { name: 'My team' }).click();
    await see(page.locator('#view h1'), 'My team');

    // the team's attainment and payouts (February, the latest calculated period)
    const rows = page.locator('#attainment-table tbody tr');
    await page.locator('#attainment-table').waitFor();
    expect(await rows.count()).toBe(4);
    await see(page.locator('#attainment-table tbody tr', { hasText: 'Ada Exec (A1)' }), /ae-2026\s+2026\s+720,000\.00 USD\s+1,200,000\.00 USD\s+60\.00%/);
    expect(await page.locator('#attainment-table caption').innerText()).toBe('Attainment and payouts, 2026-02');

    // the queue: A1's dispute with its evidence (booking, plan rule, trace)
    const card = page.locator('article.card', { hasText: 'Ada Exec (A1), 2026-01, line 1' });
    await see(card.locator('h3'), /^Dispute #\d+: Ada Exec \(A1\), 2026-01, line 1$/);
    await card.getByRole('button', { name: 'Show evidence' }).click();
    const evidence = card.locator('.evidence');
    await evidence.locator('table').first().waitFor();
    const ev = await evidence.innerText();
    expect(ev).toContain('Trace of line 1');
    expect(ev).toMatch(/rule new-and-expansion-credit/);
    expect(ev).toContain('Versions of booking B1');
    expect(ev).toMatch(/C1\s+new\s+PLATFORM\s+240,000\.00 USD\s+24 months\s+2026-01-15\s+2026-03-20\s+A1 100%/);
    expect(ev).toContain('Plan ae-2026 v1 (Account Executive 2026)');
    expect(ev).toContain('Crediting rule new-and-expansion-credit');
    expect(ev).toContain('Component quota-commission: Quota commission (marginal tiers, YTD)');
    await expect(card.getByRole('button', { name: 'Hide evidence' }).getAttribute('aria-expanded')).resolves.toBe('true');
    const cardShot = await shots.element(page, 'article.card', '2-manager-dispute-evidence');
    expect(cardShot.png.width).toBeGreaterThan(600);
    expect(cardShot.png.height).toBeGreaterThan(400);
    expect(await unlabelledControls(page)).toEqual([]);

    // review, then uphold with 250.00
    await card.getByRole('button', { name: 'Start review' }).click();
    const reviewed = page.locator('article.card', { hasText: 'Ada Exec (A1), 2026-01, line 1' });
    await see(reviewed.locator('dl').first(), /Status\s+in review/);
    await reviewed.getByLabel('Amount to pay').fill('250.00');
    await reviewed.getByLabel('Note').fill('Quota was keyed in twice; pay the difference.');
    await reviewed.getByRole('button', { name: 'Uphold' }).click();
    await see(page.locator('#queue-result'), /^Dispute #\d+ upheld: 250\.00 will be paid as an adjustment in 2026-02\.$/);
    await see(page.locator('#resolved-table tbody tr').first(), /Ada Exec \(A1\)\s+2026-01\s+line 1\s+upheld\s+upheld: 250\.00: Quota was keyed in twice/);

    // the missing booking: we have no such booking; rejected with a reason
    const missing = page.locator('article.card', { hasText: 'missing booking B99' });
    await missing.getByRole('button', { name: 'Show evidence' }).click();
    await see(missing.locator('.evidence'), /Booking B99 is not in the imported bookings\./);
    await missing.getByLabel('Reason for rejecting').fill('B99 was booked on 2 February: it counts in February.');
    await missing.getByRole('button', { name: 'Reject' }).click();
    await see(page.locator('#queue-result'), /^Dispute #\d+ rejected\.$/);
    await see(page.locator('#resolved-table tbody tr').nth(1), /missing booking B99\s+rejected\s+rejected: B99 was booked on 2 February/);
    expect(await page.locator('#queue-body').innerText()).toContain('Nothing waiting.');

    expect(await lowContrastText(page)).toEqual([]);
    const shot = await shots.page(page, '2-manager-queue');
    expect(shot.bytes).toBeGreaterThan(20_000);
    expect(await page.locator('#attainment-table').isVisible()).toBe(true);
  });

  it('(3) finance recalculates, approves and closes February: the adjustment appears; imports show row errors; payroll reconciles', async () => {
    const page = await tab(tokens.finance);
    await see(page.locator('#view h1'), 'Close and imports');
    const feb = () => page.locator('#periods-table tbody tr', { hasText: '2026-02' });
    await see(feb(), /calculated\s+stale: recalculate/);
    // periods close in order: January is closed, so February is the only one whose Close is enabled
    expect(await page.getByRole('button', { name: 'Close 2026-01' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Close 2026-02' }).isDisabled()).toBe(false);
    for (const later of await page.locator('#periods-table tbody tr').filter({ hasNotText: /2026-0[12]/ }).all()) {
      expect(await later.locator('button[data-action="close"]').isDisabled()).toBe(true);
      expect(await later.locator('button[data-action="close"]').getAttribute('title')).toBe('periods close in order: 2026-02 first');
    }

    // calculate, with the progress visible while the request runs (held back a moment so that it can be seen)
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/periods/2026-02/calculate', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Calculate 2026-02' }).click();
    const progress = page.locator('#lifecycle-job progress');
    await progress.waitFor({ state: 'visible' });
    await expect(page.locator('#lifecycle-job [role=status]').getAttribute('aria-busy')).resolves.toBe('true');
    expect(await page.getByRole('button', { name: 'Approve 2026-02' }).isDisabled()).toBe(true);
    await shots.element(page, '#lifecycle-job', '3-finance-progress');
    release();
    await see(page.locator('#lifecycle-job .job-result'), /^Calculated 2026-02: run \d+, 4 payees, payouts [\d,]+\.\d\d EUR \+ [\d,]+\.\d\d USD \(\d+\.\d s\)$/);
    await page.unroute('**/periods/2026-02/calculate');

    // the diff since the last calculation: A1's adjustment line, +250.00, and the adjustment itself
    await page.locator('#diff-lines').waitFor();
    await see(page.locator('#diff-payees tbody tr', { hasText: 'A1' }), /A1\s+[\d,]+\.\d\d USD\s+[\d,]+\.\d\d USD\s+250\.00 USD$/);
    // the changed line in words (no raw window keys), with its currency
    await see(page.locator('#diff-lines tbody tr', { hasText: 'adjustment' }), /^A1\s+adjustment\s+adjustment \d+ \(dispute\) for 2026-01, dispute:\d+\/line:1: dispute \d+: .*\s0\.00 USD\s+250\.00 USD\s+250\.00 USD$/s);
    expect(await page.locator('#diff-lines').innerText()).not.toMatch(/@v\d+:|\|/);
    await see(page.locator('#adjustments-table tbody tr').first(), /A1\s+250\.00\s+dispute\s+2026-01 \(dispute:\d+\/line:1\)/);

    // approve, then close (with a confirmation step)
    await page.getByRole('button', { name: 'Approve 2026-02' }).click();
    await see(page.locator('#lifecycle-job .job-result'), /^period 2026-02 approved/);
    await page.getByRole('button', { name: 'Close 2026-02' }).click();
    await page.getByRole('button', { name: 'Yes, close 2026-02' }).click();
    await see(page.locator('#lifecycle-job .job-result'), /^period 2026-02 closed/);
    // the periods table was rebuilt: keyboard focus is on the outcome, not lost to the page body
    // (focus moves once the rebuilt table is in place: polled, as `see` does, so a loaded machine does not fail it)
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } | null } }).document.activeElement?.className ?? '');
    for (const deadline = Date.now() + 5000; !(await focused()).includes('job-result') && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(await focused()).toContain('job-result');
    await see(feb(), /closed/);
    await see(page.locator('#reconciliation-table tbody tr', { hasText: '2026-02' }), /2026-02\s+0\s+0\s+0\s+4\s+0\s+0\.00%/);

    // an import with bad rows: rejected whole, every problem listed by line and column in the page
    const bad = [PAYROLL_HEADER, 'ZZ9,2026-02,USD,10.00,2026-03-05,CE-2026-02-ZZ9', 'A1,2026-02,USD,12.345,2026-03-05,CE-2026-02-A1', 'G1,2026-13,EUR,1.00,2026-03-05,CE-2026-02-G1'].join('\n') + '\n';
    await page.getByLabel('File type').selectOption('payroll');
    await page.getByLabel('CSV file').setInputFiles({ name: 'payroll-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import' }).click();
    const errors = page.locator('#import-errors');
    await errors.waitFor();
    await see(page.locator('#import-result .error'), /Rejected \(422\): payroll-bad\.csv rejected, nothing was imported: 3 errors on 3 lines/);
    await see(errors.locator('caption'), 'Row-level errors in payroll-bad.csv');
    const errorRows = await errors.locator('tbody tr').allInnerTexts();
    expect(errorRows).toHaveLength(3);
    expect(errorRows[0]).toMatch(/^2\s+rep_id\s+unknown rep "ZZ9"/);
    expect(errorRows[1]).toMatch(/^3\s+amount\s+/);
    expect(errorRows[2]).toMatch(/^4\s+period\s+/);
    const errShot = await shots.element(page, '#import-result', '3-finance-import-errors');
    expect(countColour(errShot.png, RED)).toBeGreaterThan(100);

    // the corrected file: payroll paid February exactly; the reconciliation view says so
    await page.getByLabel('CSV file').setInputFiles({ name: 'payroll-2026-02.csv', mimeType: 'text/csv', buffer: Buffer.from(await exactPayroll('2026-02')) });
    await page.getByRole('button', { name: 'Import' }).click();
    await see(page.locator('#import-result .notice'), /^Imported payroll-2026-02\.csv \(payroll\): 4 rows: 4 payroll records, 4 created, 0 changed, 0 unchanged \(batch \d+\)\.$/);
    await see(page.locator('#reconciliation-table tbody tr', { hasText: '2026-02' }), /2026-02\s+4\s+4\s+0\s+0\s+0\s+100\.00%/);
    await page.getByRole('button', { name: 'Reconciliation of 2026-01' }).click();
    await see(page.locator('#reconciliation-rows tbody tr', { hasText: 'A1' }), /A1\s+matched error\s+6,500\.00 USD\s+6,500\.00 USD.*later correction 250\.00 \(dispute/s);
    // money of different currencies is never added: the periods show their payouts per currency
    await see(page.locator('#lifecycle tbody tr', { hasText: '2026-01' }), /2026-01\s+closed\s+\d+\s+3\s+2,160\.00 EUR \+ 6,500\.00 USD/);
    await shots.element(page, '#lifecycle', '3-finance-periods');
    await shots.element(page, '#reconciliation', '3-finance-reconciliation');
    expect(await unlabelledControls(page)).toEqual([]);

    expect(await lowContrastText(page)).toEqual([]);

    // the adjustment line is in February's lines for A1
    await page.goto('/#/pay/A1/2026-02');
    await page.locator('#lines-table').waitFor();
    await see(page.locator('#lines-table tbody tr', { hasText: 'adjustment' }), /adjustment\s+.*dispute.*\(belongs to 2026-01\).*250\.00 USD/s);
    const shot = await shots.page(page, '3-finance-adjustment-line');
    expect(shot.bytes).toBeGreaterThan(20_000);
  });

  it('(4) the auditor sees January’s accuracy change, the trend, the KPIs against thresholds, the audit trail, and verifies February', async () => {
    const page = await tab(tokens.auditor);
    // the latest closed period first: February, paid exactly
    await see(page.locator('#accuracy-count').first(), '100.00% (4 of 4 payouts error-free)');
    await page.getByLabel('Closed period').first().selectOption('2026-01');
    await page.locator('#accuracy-form').getByRole('button', { name: 'Show' }).click();
    await see(page.locator('#accuracy-out h3'), 'Accuracy 2026-01');
    const january = await text(page, '#accuracy-count');
    expect(january).toBe('50.00% (1 of 2 payouts error-free)');
    expect(january).not.toBe(baselineJanuary);
    // payroll paid A1 what the close said: the upheld dispute makes A1 an error in the count and shows beside the
    // amount rate ("later corrections"), not in it
    await see(page.locator('#accuracy-dollar').first(), /^100\.00% \(Σ error 0\.00 USD of Σ\|payout\| 8,876\.00 USD, in USD at rates of 2026-01-31\)/);
    const errorRows = await page.locator('#accuracy-errors tbody tr').allInnerTexts();
    expect(errorRows).toHaveLength(1);
    expect(errorRows[0]).toMatch(/A1\s+matched\s+6,500\.00 USD\s+6,500\.00 USD\s+0\.00 USD\s+250\.00 USD\s+later correction 250\.00 \(dispute adj:\d+ \(dispute:\d+\/line:1\), paid in 2026-02\)\s+G1\s+ae-2026/);

    // the trend: an SVG chart and the same figures as a table
    const chart = page.locator('svg#trend-chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('circle').count()).toBe(2);
    expect(await chart.locator('rect').count()).toBe(2);
    expect(await chart.getAttribute('role')).toBe('img');
    await expect(chart.locator('desc').textContent()).resolves.toBe('2026-01: count 50.00%, amount 100.00%; 2026-02: count 100.00%, amount 100.00%');
    expect(await page.locator('#trend-table tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^2026-01\s+50\.00%\s+100\.00%\s+2\s+1\s+2$/),
      expect.stringMatching(/^2026-02\s+100\.00%\s+100\.00%\s+4\s+0\s+4$/),
    ]);
    const chartShot = await shots.element(page, 'svg#trend-chart', '4-auditor-trend-chart');
    expect(chartShot.png.width).toBe(640);
    expect(countColour(chartShot.png, BLUE)).toBeGreaterThan(100);
    expect(countColour(chartShot.png, ORANGE)).toBeGreaterThan(100);

    // the KPI dictionary with each KPI's status against its threshold, for January
    await page.getByLabel('Period', { exact: true }).selectOption('2026-01');
    await page.locator('#kpi-form').getByRole('button', { name: 'Show' }).click();
    await see(page.locator('#kpi-table caption'), 'KPIs for 2026-01');
    await see(page.locator('#kpi-table tbody tr', { hasText: 'Commission accuracy rate (count)' }), /50\.00%\s+breach.*≥ 100%\s+finance\s+per close\s+finance reviews every error/s);
    await see(page.locator('#kpi-table tbody tr', { hasText: 'Commission accuracy rate (amount)' }), /100\.00%\s+ok Σ error 0\.00 of 8876\.00 in USD at rates of 2026-01-31\s+≥ 99\.5%/s);
    expect(await page.locator('#kpi-table tbody tr').count()).toBeGreaterThanOrEqual(10);

    // the audit trail, newest first, filterable
    const codes = () => page.locator('#audit-table tbody tr td:nth-child(3) code').allInnerTexts();
    for (const a of ['dispute.raise', 'dispute.review', 'dispute.uphold', 'adjustment.create', 'period.approve', 'period.close']) expect(await codes()).toContain(a);
    // in words, at a time with its zone
    await see(page.locator('#audit-table tbody tr', { hasText: 'period.close' }).first(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+user:\S*\(finance\)\s+closed a period period\.close\s+period 2026-02/);
    await page.getByLabel('What (action or its first part)').fill('dispute');
    await page.getByRole('button', { name: 'Filter' }).click();
    await see(page.locator('#audit-table tbody'), /^(?![\s\S]*period\.close)[\s\S]*dispute\.reject[\s\S]*dispute\.raise/);
    expect(await codes()).toEqual(['dispute.reject', 'dispute.uphold', 'dispute.review', 'dispute.raise', 'dispute.raise']);
    // the same events as CSV, for a spreadsheet
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('audit-events.csv');
    const csvLines = fs.readFileSync((await csv.path()) as string, 'utf8').trimEnd().split('\n');
    expect(csvLines[0]).toBe('id,occurred_at,actor,action,action_text,entity_type,entity_id,before,after,request_id');
    expect(csvLines.slice(1).map((l) => l.split(',')[3])).toEqual(['dispute.reject', 'dispute.uphold', 'dispute.review', 'dispute.raise', 'dispute.raise']);

    // verify February: MATCH
    await page.locator('#verify-form').getByLabel('Closed period').selectOption('2026-02');
    await page.getByRole('button', { name: 'Verify' }).click();
    await see(page.locator('#verify-result'), /^MATCH: 2026-02 \(run \d+\) recalculates to the stored result/);
    expect(await unlabelledControls(page)).toEqual([]);

    expect(await lowContrastText(page)).toEqual([]);
    const shot = await shots.page(page, '4-auditor');
    expect(shot.bytes).toBeGreaterThan(30_000);
    for (const sel of ['#accuracy-errors', '#trend-chart', '#kpi-table', '#audit-table', '#verify-result']) expect(await page.locator(sel).isVisible()).toBe(true);
  });

  it('role checks hold in the pages as in the API: what the API refuses, the page does not show', async () => {
    const rep = await tab(tokens.rep);
    for (const [hash, path] of [
      ['#/finance', '/reconciliation'],
      ['#/audit', '/reconciliation'],
      ['#/team', '/disputes/stats'],
    ]) {
      await rep.goto(`/${hash}`);
      const error = rep.locator('#page-error');
      await error.waitFor();
      await see(error, new RegExp(`^Forbidden \\(403\\) Your role may not use this page\\. Nothing is shown\\.\\s+The server answered GET ${path.replace('/', '\\/')}: role rep may not GET`));
      expect(await rep.locator('table').count()).toBe(0);
    }
    expect(await lowContrastText(rep)).toEqual([]);
    const forbidden = await shots.page(rep, '5-rep-on-team-page-forbidden');
    expect(countColour(forbidden.png, RED)).toBeGreaterThan(200);
    expect(await rep.locator('#page-error').isVisible()).toBe(true);
    // another payee's pay: 404, as in the API (ids cannot be probed)
    await rep.goto('/#/pay/G1');
    await see(rep.locator('#page-error'), /^Not found \(404\)/);
    expect(await rep.locator('table').count()).toBe(0);
    await rep.goto('/#/pay/A1/2026-02');
    await rep.locator('#lines-table').waitFor();

    const manager = await tab(tokens.manager);
    for (const hash of ['#/finance', '#/audit']) {
      await manager.goto(`/${hash}`);
      await see(manager.locator('#page-error'), /^Forbidden \(403\)/);
      expect(await manager.locator('table').count()).toBe(0);
    }
    await manager.goto('/#/pay/M1'); // a report: allowed
    await see(manager.locator('#view h1'), 'Pay of Mia Accounts (M1)');
    await manager.goto('/#/pay/NOBODY');
    await see(manager.locator('#page-error'), /^Not found \(404\)/);

    // finance reads accuracy but not the audit trail: that one section says so, the rest shows
    const finance = await tab(tokens.finance);
    await finance.goto('/#/audit');
    await see(finance.locator('#audit-out .error'), /^Forbidden \(403\): role finance may not GET \/audit-events/);
    expect(await finance.locator('#trend-table').isVisible()).toBe(true);

    // a revoked or made-up token: back to sign-in with a message
    const stranger = await openTab(browser, baseURL);
    tabs.push(stranger);
    await stranger.page.goto('/');
    await stranger.page.getByLabel('API token').fill('ce_00000000_not-a-token');
    await stranger.page.getByRole('button', { name: 'Sign in' }).click();
    await see(stranger.page.locator('#signin-error'), 'That token was not accepted (invalid or revoked).');
    // the sign-in page shows no Sign out button (its block is hidden, whatever its display style)
    expect(await stranger.page.locator('#sign-out').isVisible()).toBe(false);
    expect(await stranger.page.evaluate(() => Object.values(sessionStorage))).toEqual([]);
  });

  it('formats money and rates as strings (never through JavaScript numbers)', async () => {
    const tb = await openTab(browser, baseURL);
    tabs.push(tb);
    await tb.page.goto('/');
    // a string, so that the compiler leaves the browser's dynamic import() alone
    const out = await tb.page.evaluate(`(async () => {
      const ui = await import('/portal/ui.js');
      return [
        ui.round('2.005', 2),
        ui.round('-0.004', 2),
        ui.round('999.995', 2),
        ui.round('97.1131639722863741339491916859122401847575', 2),
        ui.round('12345678901234567890.125', 2),
        ui.group('-1234567.50'),
        ui.group('12345678901234567890.13'),
        ui.money('48605', 'USD'),
        ui.money('-0.001', 'EUR'),
        ui.rateAsPct('0.075'),
        ui.rateAsPct('1.5'),
        ui.rateAsPct('0.05'),
      ];
    })()`);
    expect(out).toEqual(['2.01', '0.00', '1000.00', '97.11', '12345678901234567890.13', '-1,234,567.50', '12,345,678,901,234,567,890.13', '48,605.00 USD', '0.00 EUR', '7.5%', '150%', '5%']);
  });

  it('is keyboard-operable from the top: the skip link, then the navigation', async () => {
    const page = await tab(tokens.auditor);
    await page.locator('#trend-chart').waitFor();
    // The page finishes loading first (its title takes the focus when it has), and it is the tab in front: focus
    // rings (:focus-visible) follow the keyboard only in the focused tab, and other tests leave tabs open.
    await page.waitForLoadState('networkidle');
    // the page is rendered when its title holds the focus; a walk started before that loses the focus to the title
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await page.bringToFront();
    // from the top of the page: the first Tab stop after the brand is the navigation, and before it the skip link
    await page.locator('.brand').click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Accuracy and audit');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(await page.locator('.skip').isVisible()).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // forms work from the keyboard: choose a period and show its KPIs without the mouse
    await page.locator('#kpi-period').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await see(page.locator('#kpi-table caption'), 'KPIs for 2026-01');
    expect(shots.taken.length).toBeGreaterThanOrEqual(8);
  });
});
