// Keyboard use: the skip link is the first Tab stop, becomes visible when focused, and moves focus to
// <main>; focus is visible on the controls that follow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, visit, JONGNO } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, href: el.getAttribute('href'),
    text: el.textContent.trim(), visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight,
    outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0, shadow: cs.boxShadow !== 'none',
  };
});

for (const [lang, label] of [['ko', '본문 바로가기'], ['en', 'Skip to main content']]) {
  for (const url of ['/', `/scopes/${JONGNO}`, '/login']) {
    test(`${url} (${lang}): the skip link is the first Tab stop and moves focus to main`, async () => {
      const page = await newPage(browser, { lang });
      await visit(page, url);
      const before = await page.locator('.skip-link').boundingBox();
      assert.ok(!before || before.y + before.height <= 0, 'the skip link is off-screen until focused');

      await page.keyboard.press('Tab');
      const first = await active(page);
      assert.equal(first.tag, 'a', `first Tab stop is ${JSON.stringify(first)}`);
      assert.match(first.cls, /skip-link/);
      assert.equal(first.href, '#main');
      assert.equal(first.text, label);
      assert.ok(first.visible, 'the focused skip link is visible on screen');
      assert.ok(first.outline || first.shadow, 'the focused skip link shows a focus indicator');

      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      const main = await active(page);
      assert.equal(main.tag, 'main');
      assert.ok(page.url().endsWith('#main'));

      // The next Tab stop is inside main (skipping the header's navigation), with a visible focus ring.
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => document.activeElement.closest('main') !== null);
      assert.ok(next, 'after the skip link, Tab continues inside main');
      const ring = await active(page);
      assert.ok(ring.outline || ring.shadow, `focus is visible on ${JSON.stringify(ring)}`);
      await page.context().close();
    });
  }
}

test('the header menu is reachable by keyboard in order, each stop with a visible focus ring', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/');
  // Tab through the header until the language switch (the menu grows as capabilities are added, so
  // only the order of the known items is fixed).
  const stops = [];
  for (let i = 0; i < 25; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await active(page);
    stops.push(stop);
    if (/lang-switch/.test(stop.cls)) break;
  }
  const names = stops.map((s) => s.text.replace(/\s+/g, ' '));
  assert.deepEqual(names.slice(0, 3), ['Skip to main content', '마을maeul', 'Home'], `tab order: ${names.join(' | ')}`);
  assert.equal(names.at(-1), '한국어', `the language switch is reached by Tab: ${names.join(' | ')}`);
  assert.ok(names.indexOf('Sign in') > 2 && names.indexOf('Register') > names.indexOf('Sign in'), `tab order: ${names.join(' | ')}`);
  const inHeader = await page.evaluate(() => document.activeElement.closest('header.site-header') !== null);
  assert.ok(inHeader, 'every stop up to the language switch is in the header');
  for (const s of stops) assert.ok(s.outline || s.shadow, `no visible focus on ${s.text}`);

  // The language switch works from the keyboard.
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  await page.context().close();
});
