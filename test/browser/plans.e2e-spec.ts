import { see } from '../support/browser';
import { demoPortal } from '../support/demo-portal';

/**
 * Plans as a comp admin lives them, in a real browser on the demo: the rep acknowledges their written plan; finance
 * sees who has not, edits a tier rate in the form, sees the change in words, saves a new version from March (the
 * open period), recalculates March and sees the new figure.
 */
describe('plans in the portal (headless chromium)', () => {
  const portal = demoPortal('plans');
  const { shots, tab } = portal;

  it("the rep sees their plan acknowledged in the demo, with the document to download", async () => {
    const page = await tab('rep', '#/pay');
    await see(page.locator('#plan-documents li').first(), /^ae-2026 v1, 2026-01-01 to 2026-12-31: acknowledged on \d{4}-\d\d-\d\dT[\d:.]+Z \(UTC\)/);
    await see(page.getByRole('button', { name: 'Download the ae-2026 v1 plan (PDF)' }), 'Download the ae-2026 v1 plan (PDF)');
    expect(await page.locator('#plan-documents button', { hasText: 'acknowledge' }).count()).toBe(0);
  });

  it('finance sees who has not acknowledged, edits a tier rate, saves a version from March, recalculates and sees the new figure', async () => {
    const page = await tab('finance', '#/plans');
    await see(page.locator('#view h1'), 'Plans');
    await see(page.locator('#acks-summary'), '2 of 4 acknowledged; pending: M1, N1.');
    await page.getByLabel('Plan', { exact: true }).selectOption('ae-2026');
    await see(page.locator('#plan-check'), /Valid \(content hash [0-9a-f]{12}\)\.\s*No change against the stored version\./);
    expect(await page.locator('#save-version').isDisabled()).toBe(true);

    const rate = page.getByLabel('Quota commission (marginal tiers, YTD), tier "below 50%", rate', { exact: true });
    expect(await rate.inputValue()).toBe('0.5');
    await rate.fill('0.6');
    await rate.press('Tab');
    await see(page.locator('#plan-changes'), 'Quota commission (marginal tiers, YTD), tier "below 50%", rate: 0.5 → 0.6');
    expect(await page.locator('#plan-json').inputValue()).toContain('"rate": "0.6"');

    // a value the schema refuses is named by its JSON path, and nothing can be saved
    await rate.fill('lots');
    await rate.press('Tab');
    await see(page.locator('#plan-problems'), /^components\[0\]\.tiers\[0\]\.rate: /);
    expect(await page.locator('#save-version').isDisabled()).toBe(true);
    await rate.fill('0.6');
    await rate.press('Tab');
    await see(page.locator('#plan-changes'), 'Quota commission (marginal tiers, YTD), tier "below 50%", rate: 0.5 → 0.6');

    expect(await page.getByLabel('In effect from').inputValue()).toBe('2026-03-01');
    await shots.page(page, 'plan-editor');
    await page.locator('#save-version').click();
    await see(page.locator('#saved'), /^Saved ae-2026 v2 \([0-9a-f]{12}\), in effect 2026-03-01 to 2026-12-31\.$/);

    await page.getByRole('button', { name: 'Recalculate 2026-03' }).click();
    // the demo's March was 0.00 EUR + 5300.00 USD (periods); the engine's figure with version 2 in effect from March
    await see(page.locator('#recalc-result'), /^Calculated 2026-03: run \d+, 4 payees, payouts 0\.00 EUR \+ 35,800\.00 USD \(\d+\.\d s\)$/);
    const [v2] = await portal.t().query<{ source_file: string }>(`SELECT source_file FROM plan_versions WHERE plan_id = 'ae-2026' AND version = 2`);
    expect(v2.source_file).toMatch(/^editor:/);
    await shots.page(page, 'plan-saved');
  });
});
