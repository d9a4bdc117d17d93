import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/demo-seed';
import { launchChromium, listenOnEphemeralPort, openTab, Screenshots, see, signIn, Tab } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The portal on the demo's first start (what `npm start` loads): finance sees January and February closed and March
 * open, with only March closable; the auditor sees a real accuracy trend (January 100%, February 20% of payouts
 * error-free, the figures reconciliation.int-spec.ts checks by hand) and the errors behind it.
 */
describe('the portal on the demo first start (headless chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let baseURL: string;
  let tokens: Record<string, string>;
  const tabs: Tab[] = [];
  const shots = new Screenshots();

  beforeAll(async () => {
    t = await startTestApp();
    const seeded = await seedDemo(t.app, () => undefined);
    tokens = Object.fromEntries(seeded!.tokens.map((x) => [x.role, x.token]));
    baseURL = await listenOnEphemeralPort(t.app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const x of tabs.splice(0)) await x.close();
    await browser?.close();
    await t?.close();
    if (process.env.PORTAL_SCREENSHOTS === 'keep') process.stdout.write(`demo screenshots: ${shots.dir}\n`);
    else fs.rmSync(shots.dir, { recursive: true, force: true });
  });

  async function tab(token: string): Promise<Page> {
    const tb = await openTab(browser, baseURL);
    tabs.push(tb);
    await signIn(tb.page, token);
    return tb.page;
  }

  it("finance sees the demo's close: January and February closed, March open and next to close", async () => {
    const page = await tab(tokens.finance);
    await see(page.locator('#view h1'), 'Close and imports');
    const row = (p: string) => page.locator('#periods-table tbody tr', { hasText: p });
    await see(row('2026-01'), /^2026-01\s+closed/);
    await see(row('2026-02'), /^2026-02\s+closed/);
    await see(row('2026-03'), /^2026-03\s+calculated/);
    expect(await page.getByRole('button', { name: 'Close 2026-03' }).isDisabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Close 2026-02' }).isDisabled()).toBe(true);
    await shots.page(page, 'demo-finance');
  });

  it('the auditor sees a real accuracy trend and the errors behind February', async () => {
    const page = await tab(tokens.auditor);
    await see(page.locator('#accuracy-count').first(), '20.00% (1 of 5 payouts error-free)');
    expect(await page.locator('#trend-table tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^2026-01\s+100\.00%\s+100\.00%\s+2\s+0\s+2$/),
      expect.stringMatching(/^2026-02\s+20\.00%\s+91\.61%\s+5\s+4\s+4$/),
    ]);
    const errors = await page.locator('#accuracy-errors tbody tr').allInnerTexts();
    expect(errors.map((e) => e.split('\t').slice(0, 2).join(' '))).toEqual(['G1 mismatched', 'M1 missing', 'N1 mismatched', 'N1 unexpected']);
    await shots.page(page, 'demo-auditor');
  });
});
