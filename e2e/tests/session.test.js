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

// Where a form sends the browser afterwards (`next` on sign-in, `back` on the language switch) must stay
// on this site however the path is disguised: URL parsers drop tabs and newlines, so "/\t/evil.example"
// is read as "//evil.example", another host.
test('redirect targets after sign-in and the language switch stay on this site', async () => {
  const page = await newPage(browser, { lang: 'en' });
  const { email, password } = demoAccount('resident');
  const disguised = ['//evil.example/x', '/\\evil.example/x', '/\t/evil.example/x', '/\n/evil.example/x', 'https://evil.example/x'];
  const problems = [];
  const check = (what, response) => {
    const location = response.headers().location;
    if (response.status() !== 303 || !location) {
      problems.push(`${what} → HTTP ${response.status()} (expected a 303 redirect within the site)`);
      return;
    }
    const to = new URL(location, BASE_URL);
    if (to.origin !== BASE_URL) problems.push(`${what} → Location ${JSON.stringify(location)}, which a browser reads as ${to.href}`);
  };
  for (const target of disguised) {
    await page.goto('/login');
    const csrf = await page.locator('main input[name="_csrf"]').inputValue();
    check(`POST /login next=${JSON.stringify(target)}`,
      await page.request.post('/login', { form: { _csrf: csrf, email, password, next: target }, maxRedirects: 0 }));
    check(`POST /lang back=${JSON.stringify(target)}`,
      await page.request.post('/lang', { form: { _csrf: csrf, lang: 'ko', back: target }, maxRedirects: 0 }));
    await page.context().clearCookies();
  }
  await page.context().close();
  assert.deepEqual(problems, [], 'redirect targets not kept on the site');
});
