import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

// The DOM globals that functions passed to page.evaluate() use in the browser. This project compiles without the DOM
// lib (it is a Node service); these module-scoped declarations keep those functions type-checked loosely, here only.
declare const document: any;
type HTMLInputElement = { type: string; labels?: { length: number } | null };
type HTMLElement = { offsetParent: unknown };

/** Debian's chromium (the CI installs it); playwright-core drives it, no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Starts the (initialised) app on an ephemeral port of the loopback interface; returns its base URL. */
export async function listenOnEphemeralPort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** A browser tab with what went wrong in it: uncaught exceptions and console errors (CSP violations among them). */
export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors other than the browser's own "Failed to load resource" lines for the 4xx answers the pages expect. */
  problems: string[];
  close(): Promise<void>;
}

export async function openTab(browser: Browser, baseURL: string): Promise<Tab> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  // no deadline of Playwright's own (30 s by default) on a wait, click or navigation: jest's limit per test bounds them,
  // so a loaded machine is slow, not failed
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems, close: () => context.close() };
}

/** Signs in through the form, with the keyboard: type the token, press Enter. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  const field = page.getByLabel('API token');
  await field.waitFor({ state: 'visible' });
  await field.focus();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('#who').waitFor({ state: 'visible' });
}

/** Every visible form control has a label (a <label for>, a wrapping label, or aria-label). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ([...document.querySelectorAll('input, select, textarea')] as any[])
      .filter((e) => (e as HTMLInputElement).type !== 'hidden' && (e as HTMLElement).offsetParent !== null)
      .filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
      .map((e) => String(e.outerHTML).slice(0, 120)) as string[],
  );
}

/**
 * Text whose contrast with its background is below WCAG AA (4.5:1; 3:1 for large text): every element with its own
 * visible text, its computed colour against the first opaque background up its ancestors. Returns the offenders.
 */
export async function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] === 1)) return c;
      }
      return [255, 255, 255];
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (!el.offsetParent && el.tagName !== 'BODY') continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || el.closest('svg')) continue;
      const fg = rgb(st.color);
      const bg = background(el);
      const l1 = lum(fg), l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));
    }
    return out;
  })()`);
}

// ---------------------------------------------------------------------------------------------------------------
// Screenshots: saved to a temp dir, then read back and checked (a real PNG, of a sensible size, showing the colours of
// the elements that must be there).
// ---------------------------------------------------------------------------------------------------------------

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  pixels: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes). */
export function decodePng(buf: Buffer): DecodedPng {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colorType = data[9];
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType})`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = line[x * bpp];
      out[(y * width + x) * 4 + 1] = line[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = line[x * bpp + 2];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, pixels: out };
}

/** How many pixels are within `tolerance` (per channel) of the colour "#rrggbb". */
export function countColour(png: DecodedPng, hex: string, tolerance = 24): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.pixels.length; i += 4) {
    if (Math.abs(png.pixels[i] - r) <= tolerance && Math.abs(png.pixels[i + 1] - g) <= tolerance && Math.abs(png.pixels[i + 2] - b) <= tolerance) n++;
  }
  return n;
}

/** Distinct colours (a blank or single-colour capture has 1 or 2). */
export function distinctColours(png: DecodedPng): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.pixels.length && seen.size < 10_000; i += 4) seen.add((png.pixels[i] << 16) | (png.pixels[i + 1] << 8) | png.pixels[i + 2]);
  return seen.size;
}

export class Screenshots {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-shots-'));
  readonly taken: string[] = [];

  /** A full-page screenshot, written to the temp dir and decoded back. */
  async page(page: Page, name: string): Promise<{ file: string; bytes: number; png: DecodedPng }> {
    const file = path.join(this.dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return this.read(file);
  }

  /** A screenshot of one element (it must be visible). */
  async element(page: Page, selector: string, name: string): Promise<{ file: string; bytes: number; png: DecodedPng }> {
    const file = path.join(this.dir, `${name}.png`);
    await page.locator(selector).first().screenshot({ path: file });
    return this.read(file);
  }

  private read(file: string): { file: string; bytes: number; png: DecodedPng } {
    this.taken.push(file);
    const buf = fs.readFileSync(file);
    return { file, bytes: buf.length, png: decodePng(buf) };
  }
}

/**
 * Waits until the element's text is (string) or matches (RegExp) what is expected; returns the text. It has no
 * deadline of its own (a loaded machine is slow, not wrong): jest's limit per test bounds it. So that a page that never
 * shows the figure is still diagnosed, every 10 s of waiting prints what the element shows instead.
 */
export async function see(locator: Locator, expected: string | RegExp): Promise<string> {
  const started = Date.now();
  let reported = 0;
  let last = '';
  for (;;) {
    try {
      last = await locator.innerText({ timeout: 1_000 });
    } catch {
      last = '';
    }
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return last;
    const waited = Math.floor((Date.now() - started) / 10_000);
    if (waited > reported) {
      reported = waited;
      process.stderr.write(`still waiting (${waited * 10} s) for ${locator} to show ${expected}; it shows ${JSON.stringify(last)}\n`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
