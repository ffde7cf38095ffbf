// Bad input: forms re-render with field-level messages (aria-invalid, described by the message), keep
// what was typed except passwords, and change nothing on the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, visit, clickAndWait, register, trySignIn, uniqueEmail, pathOf, screenshot } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function fieldError(page, id) {
  const input = page.locator(`#${id}`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `#${id} is marked aria-invalid`);
  const describedBy = (await input.getAttribute('aria-describedby') ?? '').split(/\s+/);
  const errorId = describedBy.find((d) => d.endsWith('-error'));
  assert.ok(errorId, `#${id} is described by its error message (aria-describedby="${describedBy.join(' ')}")`);
  const message = page.locator(`#${errorId}`);
  assert.ok(await message.isVisible(), `#${errorId} is visible`);
  return (await message.innerText()).trim();
}

for (const [lang, tooShort, mismatch] of [
  ['en', /at least 10 characters/, /differ/],
  ['ko', /10자/, /다릅니다|일치하지/],
]) {
  test(`register (${lang}): short password and mismatched confirmation are refused field by field; no account is created`, async () => {
    const email = uniqueEmail(`bad-${lang}`);
    const page = await newPage(browser, { lang });
    await visit(page, '/register');
    await page.fill('#display_name', 'Too Short');
    await page.fill('#email', email);
    await page.fill('#password', 'short');
    await page.fill('#password_confirm', 'shorter');
    const response = await clickAndWait(page, page.locator('#register-submit'));
    assert.equal(response.status(), 422);
    assert.equal(pathOf(page), '/register');
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'not signed in');
    assert.ok(await page.locator('[role="alert"]').isVisible(), 'a summary notice is announced');
    assert.match(await fieldError(page, 'password'), tooShort);
    assert.match(await fieldError(page, 'password_confirm'), mismatch);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), null, 'the valid e-mail is not marked');
    assert.equal(await page.locator('#display_name').getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('#email').inputValue(), email, 'what was typed is kept');
    assert.equal(await page.locator('#display_name').inputValue(), 'Too Short');
    assert.equal(await page.locator('#password').inputValue(), '', 'passwords are not echoed back');
    if (lang === 'en') await screenshot(page, 'register-errors-en');
    await page.context().close();

    // No account exists: signing in fails, and the same address can still register.
    const check = await newPage(browser, { lang });
    const attempt = await trySignIn(check, { email, password: 'short' });
    assert.equal(attempt.status, 401);
    await register(check, { name: 'Now Valid', email, password: 'a long enough passphrase' });
    await check.context().close();
  });
}

test('register: empty name and a malformed e-mail are refused with messages', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/register');
  await page.fill('#email', 'not-an-address');
  await page.fill('#password', 'a long enough passphrase');
  await page.fill('#password_confirm', 'a long enough passphrase');
  const response = await clickAndWait(page, page.locator('#register-submit'));
  assert.equal(response.status(), 422);
  assert.match(await fieldError(page, 'display_name'), /required/);
  assert.match(await fieldError(page, 'email'), /not a valid e-mail/);
  await page.context().close();
});

test('register: an e-mail already in use is refused on the e-mail field', async () => {
  const email = uniqueEmail('dup');
  const first = await newPage(browser, { lang: 'en' });
  await register(first, { name: 'First', email, password: 'a long enough passphrase' });
  await first.context().close();
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/register');
  await page.fill('#display_name', 'Second');
  await page.fill('#email', email.toUpperCase());
  await page.fill('#password', 'another long passphrase');
  await page.fill('#password_confirm', 'another long passphrase');
  const response = await clickAndWait(page, page.locator('#register-submit'));
  assert.equal(response.status(), 422);
  assert.match(await fieldError(page, 'email'), /already in use/);
  await page.context().close();
});

test('account: declaring without choosing a neighbourhood is refused on the field', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await register(page, { name: 'Undecided', email: uniqueEmail('nochoice'), password: 'a long enough passphrase' });
  const response = await clickAndWait(page, page.locator('#residency-submit'));
  assert.equal(response.status(), 422);
  assert.match(await fieldError(page, 'scope'), /required/);
  assert.match(await page.locator('#residency-status').innerText(), /not declared/);
  await page.context().close();
});

test('a form posted without its CSRF token is refused and creates nothing', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/register');
  const email = uniqueEmail('csrf');
  const response = await page.request.post('/register', {
    form: { display_name: 'Forged', email, password: 'a long enough passphrase', password_confirm: 'a long enough passphrase' },
    maxRedirects: 0,
  });
  assert.equal(response.status(), 403, `POST /register without _csrf: HTTP ${response.status()}`);
  assert.doesNotMatch(await response.text(), /panicked|sqlx|\.rs:\d+/);
  // No account was created by the forged form: the address is still free.
  await register(page, { name: 'Genuine', email, password: 'a long enough passphrase' });
  await page.context().close();
});
