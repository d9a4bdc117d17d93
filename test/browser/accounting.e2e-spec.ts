import { see } from '../support/browser';
import { demoPortal } from '../support/demo-portal';

/**
 * Commission accounting in a real browser on the demo: finance and the auditor read the roll-forward of the latest
 * closed period (February), its checks and the schedules January produced; a rep has no such page. The figures are
 * the ones contract-costs.int-spec.ts works out by hand.
 */
describe('commission accounting in the portal (headless chromium)', () => {
  const portal = demoPortal('accounting');
  const { shots, tab } = portal;

  it('finance sees February: opening, amortisation and closing per currency and in USD, every check tying', async () => {
    const page = await tab('finance', '#/accounting');
    await see(page.locator('#view h1'), 'Commission accounting');
    await see(page.locator('#roll-forward-table caption'), 'Roll-forward 2026-02');
    const rows = page.locator('#roll-forward-table tbody tr');
    await see(rows.nth(0), /^EUR\s*1,552\.50 EUR\s*0\.00 EUR\s*0\.00 EUR\s*67\.50 EUR\s*0\.00 EUR\s*1,485\.00 EUR\s*810\.00 EUR\s*675\.00 EUR$/);
    await see(rows.nth(1), /^USD\s*6,229\.17 USD\s*0\.00 USD\s*0\.00 USD\s*270\.83 USD\s*0\.00 USD\s*5,958\.34 USD\s*3,249\.96 USD\s*2,708\.38 USD$/);
    await see(rows.nth(2), /^USD \(reporting\)/);
    expect(await page.locator('#accounting-checks li', { hasText: 'does not tie' }).count()).toBe(0);
    expect(await page.locator('#accounting-checks li', { hasText: 'ties' }).count()).toBe(4);
    await see(page.locator('#schedules-table tbody'), 'This close capitalised nothing: every cost was expensed when incurred.');

    await page.getByLabel('Closed period').selectOption('2026-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await see(page.locator('#roll-forward-table caption'), 'Roll-forward 2026-01');
    await see(page.locator('#schedules-table tbody tr').first(), /^1\s*A1\s*B1\s*commission \(line 1\)\s*6,000\.00 USD\s*24 from 2026-01\s*250\.00 USD/);
    await shots.page(page, 'accounting');
  });

  it('the auditor has the page; a rep does not', async () => {
    const auditor = await tab('auditor', '#/accounting');
    await see(auditor.locator('#roll-forward-table caption'), 'Roll-forward 2026-02');
    const rep = await tab('rep', '#/pay');
    await see(rep.locator('#view h1'), /./);
    expect(await rep.locator('#nav-list a', { hasText: 'Accounting' }).count()).toBe(0);
  });
});
