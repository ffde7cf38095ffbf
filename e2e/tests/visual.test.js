// Visual details a screenshot review found, checked so they stay fixed: header controls styled as the
// stylesheet intends (the sign-out button as a link, the language switch as a pill, neither as a primary
// button), and words in tables not broken in the middle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, visit, register, signIn, uniqueEmail, demoAccount, screenshot } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const style = (locator) => locator.evaluate((el) => {
  const cs = getComputedStyle(el);
  return { background: cs.backgroundColor, padding: cs.padding, radius: cs.borderTopLeftRadius, color: cs.color };
});

test('header: "sign out" looks like a link and the language switch like a pill, not like primary buttons', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await register(page, { name: 'Looks', email: uniqueEmail('looks'), password: 'a long enough passphrase' });
  const primary = await style(page.locator('#residency-submit'));
  const signOut = await style(page.locator('form[action="/logout"] button.link-button'));
  const lang = await style(page.locator('button.lang-switch'));
  await page.context().close();
  // maeul.css: .link-button { background: none; padding: 0 } and .lang-switch { background: var(--wash);
  // border-radius: 999px } — overridden today by the more specific `button[type="submit"]` rule.
  assert.equal(signOut.background, 'rgba(0, 0, 0, 0)', `sign-out button background ${signOut.background} (primary buttons: ${primary.background})`);
  assert.equal(signOut.padding, '0px', `sign-out button padding ${signOut.padding}`);
  assert.notEqual(lang.background, primary.background, `language switch has the primary button's background ${lang.background}`);
  assert.equal(lang.radius, '999px', `language switch corner radius ${lang.radius}`);
});

/** Words (Latin of 4+ letters, Hangul of 2+ syllables) in table cells that are split across lines. */
const brokenWords = (page) => page.evaluate(() => {
  const out = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      for (const m of node.textContent.matchAll(/[A-Za-z]{4,}|[\uAC00-\uD7A3]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) out.push(`"${m[0]}" in <${cell.tagName.toLowerCase()}> spans ${lines.size} lines`);
      }
    }
  }
  return [...new Set(out)];
});

test('tables do not break words in the middle (manage residency on a desktop, admin on a phone)', async () => {
  const resident = { name: 'Table Check', email: uniqueEmail('table'), password: 'a long enough passphrase' };
  const page = await newPage(browser, { lang: 'en' });
  await register(page, resident);
  const code = await page.locator('#scope optgroup[label="Jongno-gu"] option').first().getAttribute('value');
  await page.selectOption('#scope', code);
  await Promise.all([page.waitForNavigation(), page.click('#residency-submit')]);
  await page.context().close();

  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  await visit(official, '/manage/residency');
  const desktop = await brokenWords(official);
  await screenshot(official, 'manage-residency-words');
  await official.context().close();

  const admin = await newPage(browser, { lang: 'ko', viewport: { width: 390, height: 844 }, isMobile: true });
  await signIn(admin, demoAccount('administrator'));
  await visit(admin, '/admin');
  const phone = await brokenWords(admin);
  await admin.context().close();

  assert.deepEqual({ manageDesktop: desktop, adminPhone: phone }, { manageDesktop: [], adminPhone: [] }, 'words broken across lines in table cells');
});
