// The language follows Accept-Language, the header's switch changes <html lang> and the visible texts,
// and the choice is remembered across pages (a cookie) until switched back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, switchLanguage, htmlLang, pathOf, register, uniqueEmail, JONGNO,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const h1 = (page) => page.locator('main h1').first().innerText();
const nav = (page) => page.locator('nav.site-nav').innerText();

test('Accept-Language picks the first page\'s language', async () => {
  for (const [lang, title, signIn] of [['ko', /서울/, /로그인/], ['en', /Seoul/, /Sign in/]]) {
    const page = await newPage(browser, { lang });
    await visit(page, '/');
    assert.equal(await htmlLang(page), lang);
    assert.match(await h1(page), title);
    assert.match(await nav(page), signIn);
    await page.context().close();
  }
});

test('the language switch changes <html lang> and texts, and is remembered across pages', async () => {
  const page = await newPage(browser, { lang: 'ko' });
  await visit(page, `/scopes/${JONGNO}`);
  assert.equal(await htmlLang(page), 'ko');
  assert.match(await h1(page), /종로구/);
  const button = page.locator('button.lang-switch');
  assert.equal((await button.innerText()).trim(), 'English', 'the switch is labelled in the language it switches to');
  assert.equal(await button.getAttribute('lang'), 'en');

  await switchLanguage(page);
  assert.equal(pathOf(page), `/scopes/${JONGNO}`, 'the switch comes back to the same page');
  assert.equal(await htmlLang(page), 'en');
  assert.match(await h1(page), /Jongno-gu/);
  assert.doesNotMatch(await nav(page), /로그인/);
  assert.match(await nav(page), /Sign in/);
  assert.equal((await page.locator('button.lang-switch').innerText()).trim(), '한국어');

  // Remembered: other pages, reached by links and by typing the address, stay in English even though
  // the browser still asks for Korean.
  await clickAndWait(page, page.locator('a.brand'));
  assert.equal(pathOf(page), '/');
  assert.equal(await htmlLang(page), 'en');
  assert.match(await h1(page), /Seoul/);
  await visit(page, '/register');
  assert.equal(await htmlLang(page), 'en');
  assert.match(await h1(page), /^Register/);
  assert.match(await page.locator('label[for="password"]').innerText(), /Password/);
  await visit(page, '/no-such-page', 404);
  assert.equal(await htmlLang(page), 'en', 'the error page follows the chosen language');
  assert.match(await h1(page), /not found/i);

  // And back to Korean.
  await visit(page, '/login');
  await switchLanguage(page);
  assert.equal(pathOf(page), '/login');
  assert.equal(await htmlLang(page), 'ko');
  assert.match(await nav(page), /로그인/);
  await visit(page, '/');
  assert.equal(await htmlLang(page), 'ko');
  assert.match(await h1(page), /서울/);
  await page.context().close();
});

test('a signed-in user\'s switch is remembered across pages and on the account (for e-mails)', async () => {
  const user = { name: 'Lang tester', email: uniqueEmail('lang'), password: 'correct horse battery staple' };
  const page = await newPage(browser, { lang: 'en' });
  await register(page, user);
  assert.equal(await htmlLang(page), 'en');
  await switchLanguage(page);
  assert.equal(pathOf(page), '/account');
  assert.equal(await htmlLang(page), 'ko');
  assert.match(await h1(page), /내 계정/);
  await visit(page, `/scopes/${JONGNO}`);
  assert.equal(await htmlLang(page), 'ko');
  assert.match(await h1(page), /종로구/);
  const tokenResponse = await page.request.post('/api/v1/auth/token', { data: { email: user.email, password: user.password } });
  assert.equal(tokenResponse.status(), 201);
  const { token } = await tokenResponse.json();
  const me = await (await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).json();
  assert.equal(me.lang, 'ko', 'the account remembers the chosen language');
  await page.context().close();
});
