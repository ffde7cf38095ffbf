// Accessibility: axe-core runs in each page tested, in Korean and in English, and any violation of
// impact serious or critical fails the test (all of them are printed). Less severe findings are written
// to test-results/axe-<backend>.json for reading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  launch, newPage, visit, clickAndWait, register, signIn, signOut, uniqueEmail, demoAccount, htmlLang,
  seriousA11yViolations, formatViolations, RESULTS_DIR, BACKEND, JONGNO,
} from '../lib/harness.js';

let browser;
let resetPath = '/password/reset/unknown';
const report = [];
const resident = { name: '접근성 주민', email: uniqueEmail('a11y'), password: 'accessible passphrase 1' };

before(async () => {
  browser = await launch();
  // Something to show: a pending declaration in Jongno-gu (the official's queue has a table) and a
  // password-reset mail (the admin outbox has an entry).
  const page = await newPage(browser, { lang: 'en' });
  await register(page, resident);
  const code = await page.locator('#scope optgroup[label="Jongno-gu"] option').first().getAttribute('value');
  await page.selectOption('#scope', code);
  await clickAndWait(page, page.locator('#residency-submit'));
  await signOut(page);
  await visit(page, '/password/forgot');
  await page.fill('#email', resident.email);
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  await page.context().close();
  // The reset link, for checking the reset form (opening it does not use it up).
  const admin = await newPage(browser, { lang: 'en' });
  await signIn(admin, demoAccount('administrator'));
  await visit(admin, '/admin');
  const body = await admin.locator('article.mail', { hasText: resident.email }).locator('.mail-body').innerText();
  resetPath = new URL(body.match(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/)[0]).pathname;
  await admin.context().close();
});

after(async () => {
  await browser?.close();
  writeFileSync(path.join(RESULTS_DIR, `axe-${BACKEND}.json`), JSON.stringify(report, null, 2));
});

// [name, who is signed in, url, expected HTTP status, optional action before the check]
const PAGES = [
  ['home', null, '/', 200],
  ['city', null, '/scopes/11', 200],
  ['district', null, `/scopes/${JONGNO}`, 200],
  ['neighbourhood', null, `/scopes/${JONGNO}51500`, 200],
  ['register', null, '/register', 200],
  ['register with errors', null, '/register', 200, async (page) => {
    await page.fill('#email', 'nope');
    await page.fill('#password', 'short');
    await clickAndWait(page, page.locator('#register-submit'));
  }],
  ['login', null, '/login', 200],
  ['forgot password', null, '/password/forgot', 200],
  ['reset password', null, () => resetPath, 200],
  ['reset password, used or unknown link', null, '/password/reset/not-a-token', 200],
  ['error 404', null, '/scopes/99999', 404],
  ['error 403', 'resident', '/admin', 403],
  ['account', 'resident', '/account', 200],
  ['manage residency', 'official', '/manage/residency', 200],
  ['admin', 'administrator', '/admin', 200],
];

const credentials = (who) => (who === 'resident' ? resident : demoAccount(who));

for (const lang of ['ko', 'en']) {
  for (const [name, who, url, status, action] of PAGES) {
    test(`axe (${lang}): ${name} ${typeof url === 'function' ? '' : url}${who ? ` as ${who}` : ''} has no serious or critical violations`, async (t) => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, credentials(who));
      const target = typeof url === 'function' ? url() : url;
      await visit(page, target, status);
      if (action) await action(page);
      assert.equal(await htmlLang(page), lang);
      const { all, serious } = await seriousA11yViolations(page);
      report.push({ lang, page: name, url: target, who, violations: all });
      for (const v of all) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length} node(s))`);
      await page.context().close();
      assert.equal(serious.length, 0, `axe found serious/critical violations:\n${formatViolations(`${name} (${lang})`, serious)}`);
    });
  }
}
