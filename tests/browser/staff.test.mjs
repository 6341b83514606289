// Browser tests of the back office: an account set up from its one-time link (password
// and TOTP, the code computed here), sign-in with TOTP, a notice written in German and
// English with a preview, published and seen on the public site and in the feed, sign-out;
// every staff page with zero axe-core violations of WCAG 2.1 A/AA at 320 and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startDemo, chromiumOptions } from './server.mjs';

const artifacts = new URL('./artifacts/', import.meta.url).pathname;
const PASSWORD = 'Kraniche ziehen im Herbst 2021';
let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch(chromiumOptions);
});

after(async () => {
  await browser?.close();
  assert.equal(await server?.stop(), 0);
});

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), independent of the server's implementation.
function totp(secretBase32, at = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function axe(page, label, failures) {
  const scan = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of scan.violations) {
    failures.push(`${label}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) failures.push(`${label}: ${overflow}px wider than the viewport`);
}

test('set up an account, sign in with TOTP, and every staff page passes axe', async () => {
  const out = execFileSync(process.env.NB_BINARY ?? new URL('../../build-check/notbetrieb', import.meta.url).pathname,
    ['user', 'add', '--data', server.data, '--office', 'kranichmoor', '--role', 'admin', 'greta'], { encoding: 'utf8' });
  const link = out.match(/\/intern\/einrichten\/[A-Za-z0-9_-]{43}/)[0];
  const failures = [];
  for (const width of [1280, 320]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const path of ['/intern/anmelden', '/en/intern/anmelden']) {
      await page.goto(server.base + path);
      await axe(page, `${width}px ${path}`, failures);
      await page.screenshot({ path: `${artifacts}staff${path.replace(/\//g, '_')}-${width}.png`, fullPage: true });
    }
    if (width === 1280) {
      // Setup from the link: the form, then the recovery codes.
      await page.goto(server.base + link);
      await axe(page, `${width}px setup`, failures);
      await page.screenshot({ path: `${artifacts}staff_setup-${width}.png`, fullPage: true });
      const secret = (await page.textContent('code.secret')).trim();
      await page.fill('#password', PASSWORD);
      await page.fill('#password2', PASSWORD);
      await page.fill('#code', totp(secret));
      await page.click('button[type=submit]');
      assert.equal(await page.locator('ol.codes li').count(), 10);
      await axe(page, `${width}px recovery codes`, failures);
      test.secret = secret;
    }
    // Sign in with the next step's code (the setup used this step's). At 320 px the code of
    // the step before that one: refused however long the pages in between took, since a
    // later step was already used (and, after a minute, it is outside the window too).
    if (width === 1280) test.signedInAt = Date.now() / 1000 + 30;
    await page.goto(server.base + '/intern/anmelden');
    await page.fill('#name', 'greta');
    await page.fill('#password', PASSWORD);
    await page.fill('#code', totp(test.secret, width === 1280 ? test.signedInAt : test.signedInAt - 30));
    await page.click('button[type=submit]');
    if (width === 320) {
      // The step before was already passed by the step after: replay is refused.
      assert.equal(new URL(page.url()).pathname, '/intern/anmelden');
      await axe(page, `${width}px sign-in refused`, failures);
      await context.close();
      continue;
    }
    assert.equal(new URL(page.url()).pathname, '/intern/');
    assert.match(await page.textContent('main'), /greta|Sitzungen/);
    await axe(page, `${width}px overview`, failures);
    await page.screenshot({ path: `${artifacts}staff_home-${width}.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 900 });
    await axe(page, '320px overview', failures);
    // The other pages an admin reaches from the overview, at both widths.
    for (const path of ['/intern/journal', '/intern/betriebszustand', '/intern/meldungen',
      '/intern/meldungen/neu', '/intern/meldungen/it-sicherheitsvorfall/de',
      '/intern/meldungen/it-sicherheitsvorfall/de/versionen/1', '/intern/presse', '/intern/presse/neu', '/intern/leistungen',
      '/intern/leistungen/formulare', '/intern/seiten', '/intern/seiten/imprint/de',
      '/intern/seiten/imprint/de/versionen/1', '/en/intern/seiten/imprint/en',
      '/intern/zeiten', '/intern/zeiten/hauptamt', '/intern/einstellungen', '/intern/konten',
      '/intern/abteilungen', '/intern/abteilungen/neu', '/intern/abteilungen/hauptamt',
      '/intern/ansprechpersonen/neu', '/intern/ansprechpersonen/3', '/en/intern/abteilungen',
      '/en/intern/journal',
      '/en/intern/betriebszustand', '/en/intern/meldungen', '/en/intern/presse/neu']) {
      for (const w of [1280, 320]) {
        await page.setViewportSize({ width: w, height: 900 });
        const res = await page.goto(server.base + path);
        assert.equal(res.status(), 200, path);
        await axe(page, `${w}px ${path}`, failures);
        await page.screenshot({ path: `${artifacts}staff${path.replace(/\//g, '_')}-${w}.png`, fullPage: true });
      }
    }
    // A form sent with an error keeps what was typed and names the field.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.base + '/intern/betriebszustand');
    await page.fill('input[type=date]', '2021-13-40');
    await page.click('main button[type=submit]');
    await axe(page, '1280px state form with errors', failures);
    // A note with a line break is refused by the server: the error summary at the top has
    // the focus, names the wrong field and links to it.
    await page.goto(server.base + '/intern/betriebszustand');
    await page.fill('#note_de', 'eine\nzweite Zeile');
    await page.click('main button[type=submit]');
    await axe(page, '1280px state form with a server-side error', failures);
    const summary = page.locator('#error-summary');
    assert.equal((await summary.locator('h2').textContent()).trim(), 'Es gibt ein Problem');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary');
    const first = summary.locator('a').first();
    const target = (await first.getAttribute('href')).slice(1);
    assert.equal(await page.locator(`[id="${target}"]`).count(), 1, 'the link has a target');
    assert.equal((await first.textContent()).trim(),
                 (await page.locator(`[id="${target}-error"]`).textContent()).trim());
    // A notice with a slug the server refuses: the summary in English, and axe again.
    await page.goto(server.base + '/en/intern/meldungen/neu');
    await page.fill('#slug', 'Nicht Erlaubt');
    await page.fill('#title', 'Titel');
    await page.fill('#body', 'Text');
    await page.click('button[value=publish]');
    assert.equal((await summary.locator('h2').textContent()).trim(), 'There is a problem');
    assert.equal(await summary.locator('a[href="#slug"]').count(), 1);
    await axe(page, '1280px notice form with errors', failures);
    // Write a notice in German, preview it, publish it, add an English variant, and see
    // both on the public site and in the feed.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.base + '/intern/meldungen/neu');
    await axe(page, '1280px new notice', failures);
    await page.fill('#slug', 'trinkwasser');
    await page.selectOption('#lang', 'de');
    await page.fill('#title', 'Trinkwasser ist sicher');
    await page.fill('#body', '## Hinweis\n\nDas Wasser aus der Leitung können Sie **ohne Bedenken** trinken.');
    await page.click('button[value=preview]');
    assert.ok(await page.locator('strong', { hasText: 'ohne Bedenken' }).count() > 0, 'preview rendered');
    assert.equal((await fetch(server.base + '/meldung/trinkwasser')).status, 404, 'not public before publishing');
    await axe(page, '1280px notice preview', failures);
    await page.click('button[value=publish]');
    assert.equal(new URL(page.url()).pathname, '/intern/meldungen');
    await axe(page, '1280px notice list', failures);
    await page.goto(server.base + '/intern/meldungen/trinkwasser/en');
    await page.fill('#title', 'Tap water is safe');
    await page.fill('#body', 'You can drink the water from the tap **without concern**.');
    await page.click('button[value=publish]');
    let german = null;
    for (let i = 0; i < 100 && !(german && german.ok); i++) {
      german = await fetch(server.base + '/meldung/trinkwasser');
      if (!german.ok) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(german.ok, 'the notice is public within three seconds');
    await page.goto(server.base + '/meldung/trinkwasser');
    assert.equal((await page.textContent('h1')).trim(), 'Trinkwasser ist sicher');
    let english = '';
    for (let i = 0; i < 100 && !english.includes('Tap water is safe'); i++) {
      english = await (await fetch(server.base + '/en/meldung/trinkwasser')).text();
      if (!english.includes('Tap water is safe')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(english.includes('Tap water is safe'));
    const feed = await (await fetch(server.base + '/feed.atom')).text();
    assert.ok(feed.includes('Trinkwasser ist sicher') && feed.includes('Tap water is safe'));
    await page.goto(server.base + '/intern/');
    // Sign out with the keyboard-reachable button.
    await page.click('header form button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/intern/anmelden');
    await context.close();
  }
  assert.deepEqual(failures, []);
});
