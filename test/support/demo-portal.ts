import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/demo-seed';
import { launchChromium, listenOnEphemeralPort, openTab, Screenshots, signIn, Tab } from './browser';
import { startTestApp, TestApp } from './test-app';

/**
 * The portal on the demo's first start, for a browser spec: registers the beforeAll that boots the app, loads the demo
 * (as `npm start` does) and launches Chromium, and the afterAll that closes all of it. `tab(role, hash)` signs the
 * role's demo token in on a fresh tab. Screenshots are kept with PORTAL_SCREENSHOTS=keep.
 */
export function demoPortal(name: string): { t: () => TestApp; shots: Screenshots; tab: (role: string, hash?: string) => Promise<Page> } {
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
    if (process.env.PORTAL_SCREENSHOTS === 'keep') process.stdout.write(`${name} screenshots: ${shots.dir}\n`);
    else fs.rmSync(shots.dir, { recursive: true, force: true });
  });
  return {
    t: () => t,
    shots,
    async tab(role, hash = '') {
      const tb = await openTab(browser, baseURL);
      tabs.push(tb);
      await signIn(tb.page, tokens[role]);
      if (hash) await tb.page.goto(`/${hash}`);
      return tb.page;
    },
  };
}
