// Browser tests of the public site: every public page in German and English, at 320 px and
// 1280 px width, with zero axe-core violations of the WCAG 2.1 A and AA rules; the skip
// link and the language switch work with the keyboard; no request leaves the machine.
// Screenshots go to tests/browser/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startDemo, chromiumOptions } from './server.mjs';

const artifacts = new URL('./artifacts/', import.meta.url).pathname;
let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch(chromiumOptions);
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'server stops cleanly on SIGTERM');
});

async function publicPaths() {
  const get = async (p) => (await fetch(server.base + p)).json();
  const home = await get('/index.json');
  const press = await get('/presse.json');
  const paths = ['/', '/presse', '/leistungen', '/kontakt', '/vorsicht-betrug', '/impressum',
    '/datenschutz', '/barrierefreiheit', '/gibt-es-nicht'];
  for (const n of [...home.pinned, ...home.others, ...home.archived]) {
    paths.push(n.href, n.history_href);
    const notice = await get(n.href + '.json');
    for (const v of notice.notice.variants) paths.push(v.href);
  }
  for (const w of press.weeks) paths.push(w.href);
  const all = [];
  for (const p of [...new Set(paths)]) all.push(p, p === '/' ? '/en/' : '/en' + p);
  return all;
}

const fileName = (path, width) =>
  `${(path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home')}-${width}.png`;

test('every public page passes axe (WCAG 2.1 A/AA) at 320 and 1280 px', async () => {
  const paths = await publicPaths();
  assert.ok(paths.length > 30, `found ${paths.length} pages`);
  const failures = [];
  for (const width of [320, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const outside = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.base)) outside.push(r.url());
    });
    for (const path of paths) {
      const res = await page.goto(server.base + path);
      assert.ok(res.status() === 200 || (path.includes('gibt-es-nicht') && res.status() === 404),
        `${path}: ${res.status()}`);
      const scan = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      for (const v of scan.violations) {
        failures.push(`${width}px ${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
      }
      // At 320 px nothing may force horizontal scrolling (WCAG 1.4.10 reflow).
      if (width === 320) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) failures.push(`320px ${path}: content ${overflow}px wider than the viewport`);
      }
      await page.screenshot({ path: artifacts + fileName(path, width), fullPage: true });
    }
    assert.deepEqual(outside, [], 'no request may leave the server');
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('skip link and language switch work with the keyboard', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.base + '/kontakt');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.equal(focused, '#main');
  const skipVisible = await page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0);
  assert.ok(skipVisible, 'the focused skip link is visible');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
  await page.click('a[hreflang="en"][lang="en"]');
  assert.equal(new URL(page.url()).pathname, '/en/kontakt');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});

test('readable at 200 % zoom', async () => {
  const context = await browser.newContext({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(server.base + '/');
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `content ${overflow}px wider than the viewport at 200 % text`);
  await page.screenshot({ path: artifacts + 'home-zoom200.png', fullPage: true });
  await context.close();
});

test('print stylesheet hides navigation', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.base + '/');
  await page.emulateMedia({ media: 'print' });
  const navShown = await page.evaluate(() => getComputedStyle(document.querySelector('nav')).display);
  assert.equal(navShown, 'none');
  await context.close();
});
