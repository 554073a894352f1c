import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO, UPDATE_GOLDEN } from '../helpers/tree.js';
import { SECRET_VALUE, SHOP_PHASES, writeFixture } from './view-fixture.js';

/**
 * The page of `kubemin view` in a real browser: Debian's headless Chromium (.ci/run installs it),
 * driven by playwright-core, opening the written file by its file:// URL as a developer would.
 */
const CHROMIUM = '/usr/bin/chromium';

let browser: Browser;
let page: Page;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  const dir = writeFixture();
  const r = await cli(['view', '.', '--out', 'page.html'], dir);
  expect(r.code).toBe(0);
  url = pathToFileURL(join(dir, 'page.html')).href;
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage();
  page.on('request', (req) => void requests.push(req.url()));
  await page.goto(url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The aria-labels of the phase nodes of an app's graph, in document order. */
const phaseLabels = (app: string): Promise<string[]> => page.$$eval(`#app-${app} svg a.phase`, (nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));

describe('kubemin view in Chromium', () => {
  it("has a heading per app, and the graph's phase nodes in workflow order, top to bottom", async () => {
    expect(await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))).toEqual(['books', 'shop']);
    const labels = await phaseLabels('shop');
    expect(labels.map((l) => /^Phase (\d+) of 4: ([^.]+)\./.exec(l)?.slice(1).join(' '))).toEqual(SHOP_PHASES.map((name, i) => `${i + 1} ${name}`));
    const tops = await page.$$eval('#app-shop svg a.phase', (nodes) => nodes.map((n) => n.getBoundingClientRect().top));
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    // The same, in words, for a screen reader.
    expect(await page.$$eval('#app-shop ol.phases > li > h4', (hs) => hs.map((h) => h.textContent))).toEqual(SHOP_PHASES.map((n, i) => `${i + 1}. ${n}`));
  });

  it('Tab moves focus across the phase nodes; Enter goes to the phase in the list', async () => {
    await page.goto(url);
    const focused: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      const active = page.locator(':focus');
      focused.push((await active.getAttribute('aria-label')) ?? (await active.textContent()) ?? '');
    }
    // The nav's two links, then books' one phase, then shop's four.
    expect(focused).toEqual(['books', 'shop', ...(await phaseLabels('books')), ...(await phaseLabels('shop'))]);
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#app-shop--4');
    expect(await page.$eval(':target h4', (h) => h.textContent)).toBe('4. frontend');
  });

  it('requests nothing but the file itself', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.replace(/#.*/, '')))).toEqual(new Set([url]));
  });

  it('has no Secret value in the DOM', async () => {
    const html = await page.content();
    expect(html).toContain('db-auth');
    expect(html).not.toContain(SECRET_VALUE);
    expect(await page.locator('body').innerText()).not.toContain(SECRET_VALUE);
  });

  it('renders the example shop app (docs/view.png with UPDATE_GOLDEN=1)', async () => {
    const dir = tempDir('kubemin-view-shop-');
    const out = join(dir, 'shop.html');
    expect((await cli(['view', join(REPO, 'examples/shop'), '--out', out], REPO)).code).toBe(0);
    const shop = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await shop.goto(pathToFileURL(out).href);
    const png = join(dir, 'view.png');
    // The app's heading and its graph (the lists below it are long).
    const top = (await shop.locator('#app-shop h2').boundingBox())!;
    const figure = (await shop.locator('#app-shop figure').boundingBox())!;
    await shop.screenshot({ path: png, fullPage: true, clip: { x: 0, y: top.y - 16, width: 900, height: figure.y + figure.height - top.y + 32 } });
    await shop.close();
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    if (UPDATE_GOLDEN) copyFileSync(png, join(REPO, 'docs/view.png'));
  });
});
