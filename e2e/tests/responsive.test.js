// A phone-sized viewport (390×844): nothing wider than the screen, so no sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, visit, signIn, demoAccount, screenshot, JONGNO } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Elements sticking out to the right of the viewport, for the failure message. */
const overflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const culprits = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.closest('.visually-hidden') && !el.classList.contains('skip-link'))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
  return { scrollWidth: document.documentElement.scrollWidth, width, innerWidth: window.innerWidth, culprits };
});

for (const lang of ['ko', 'en']) {
  for (const [name, url] of [['home', '/'], ['district', `/scopes/${JONGNO}`], ['neighbourhood', `/scopes/${JONGNO}51500`], ['register', '/register']]) {
    test(`${name} (${lang}) fits a 390×844 phone without horizontal overflow`, async () => {
      const page = await newPage(browser, { lang, ...PHONE });
      await visit(page, url);
      const o = await overflow(page);
      assert.equal(o.width, 390, 'the page uses the device width (meta viewport)');
      assert.ok(o.scrollWidth <= o.width, `page is ${o.scrollWidth}px wide on a ${o.width}px screen; sticking out: ${o.culprits.join(', ')}`);
      if (name !== 'register' && lang === 'ko') await screenshot(page, `${name}-ko-phone`);
      await page.context().close();
    });
  }
}

// Signed in as the administrator the header has its most items (verify, administration, account, sign
// out, language); the admin page has wide tables, which must scroll inside their own box.
for (const lang of ['ko', 'en']) {
  test(`signed in as administrator (${lang}): header and /admin fit a 390×844 phone`, async () => {
    const page = await newPage(browser, { lang, ...PHONE });
    await signIn(page, demoAccount('administrator'));
    for (const url of ['/', '/admin', '/account']) {
      await visit(page, url);
      const o = await overflow(page);
      assert.ok(o.scrollWidth <= o.width, `${url}: page is ${o.scrollWidth}px wide on a ${o.width}px screen; sticking out: ${o.culprits.join(', ')}`);
    }
    await visit(page, '/admin');
    await screenshot(page, `admin-${lang}-phone`);
    await page.context().close();
  });
}
