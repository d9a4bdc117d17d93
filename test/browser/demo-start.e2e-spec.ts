import { see } from '../support/browser';
import { demoPortal } from '../support/demo-portal';

/**
 * The portal on the demo's first start (what `npm start` loads): finance sees January and February closed and March
 * open, with only March closable; the auditor sees a real accuracy trend (January 100%, February 20% of payouts
 * error-free, the figures reconciliation.int-spec.ts checks by hand) and the errors behind it.
 */
describe('the portal on the demo first start (headless chromium)', () => {
  const portal = demoPortal('demo');
  const { shots, tab } = portal;

  it("finance sees the demo's close: January and February closed, March open and next to close", async () => {
    const page = await tab('finance');
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
    const page = await tab('auditor');
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
