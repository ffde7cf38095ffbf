// Sessions: protected pages send an anonymous visitor to sign in and back; signing out ends the session
// on the server (a copied cookie is useless afterwards); the session cookie is HttpOnly and SameSite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, clickAndWait, register, signOut, uniqueEmail, demoAccount, pathOf, BASE_URL } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a protected page sends the visitor to sign in, then back to it', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await page.goto('/manage/residency');
  assert.equal(pathOf(page), '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/manage/residency');
  const { email, password } = demoAccount('official');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await clickAndWait(page, page.locator('#login-submit'));
  assert.equal(pathOf(page), '/manage/residency');
  assert.match(await page.locator('main h1').innerText(), /Verify residents/);
  await page.context().close();
});

test('signing out ends the session on the server; cookies are HttpOnly and SameSite', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await register(page, { name: 'Cookie', email: uniqueEmail('cookie'), password: 'a long enough passphrase' });
  const cookies = await page.context().cookies(BASE_URL);
  const session = cookies.find((c) => c.name !== 'maeul_csrf' && c.name !== 'maeul_lang' && c.httpOnly && /sess/i.test(c.name));
  assert.ok(session, `a session cookie among ${cookies.map((c) => c.name).join(', ')}`);
  assert.ok(session.httpOnly, 'session cookie is HttpOnly');
  assert.ok(['Lax', 'Strict'].includes(session.sameSite), `session cookie SameSite=${session.sameSite}`);
  const csrf = cookies.find((c) => c.name === 'maeul_csrf');
  assert.ok(csrf?.httpOnly, 'CSRF cookie is HttpOnly');
  await signOut(page);
  await page.context().close();

  // Replaying the old cookie in a fresh browser must not sign anyone in.
  const replay = await newPage(browser, { lang: 'en' });
  await replay.context().addCookies([{ name: session.name, value: session.value, url: BASE_URL }]);
  await replay.goto('/account');
  assert.equal(pathOf(replay), '/login', 'the signed-out session cookie no longer opens /account');
  await replay.context().close();
});
