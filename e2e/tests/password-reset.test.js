// A forgotten password: the user asks for a reset, the administrator reads the link in the outbox on
// /admin (no SMTP in tests), the user chooses a new password with it and signs in with the new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, register, signIn, signOut, trySignIn, uniqueEmail, demoAccount,
  pathOf, BASE_URL,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('request a reset, read the link in the admin outbox, set a new password, sign in with it', async () => {
  const oldPassword = 'the old passphrase 1';
  const newPassword = 'a brand new passphrase 2';
  const user = { name: 'Forgetful', email: uniqueEmail('reset'), password: oldPassword };

  const page = await newPage(browser, { lang: 'en' });
  await register(page, user);
  await signOut(page);
  await clickAndWait(page, page.locator('main a[href="/password/forgot"]'));
  assert.equal(pathOf(page), '/password/forgot');
  await page.fill('#email', user.email);
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  assert.match(await page.locator('[role="status"]').innerText(), /reset link is on its way/);

  // The administrator finds the mail in the outbox.
  const admin = await newPage(browser, { lang: 'en' });
  await signIn(admin, demoAccount('administrator'));
  await clickAndWait(admin, admin.locator('nav.site-nav a[href="/admin"]'));
  const mail = admin.locator('article.mail', { hasText: user.email });
  assert.equal(await mail.count(), 1, `one mail to ${user.email} in the outbox`);
  assert.match(await mail.locator('h3').innerText(), /Reset your password/);
  const body = await mail.locator('.mail-body').innerText();
  const link = body.match(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link, `a reset link in the mail body:\n${body}`);
  assert.ok(link.startsWith(`${BASE_URL}/password/reset/`), `the link ${link} points at this server (${BASE_URL})`);
  assert.doesNotMatch(body, new RegExp(oldPassword), 'the mail does not contain the password');
  await admin.context().close();

  // The user follows the link; a mismatch is refused first, then the new password is set.
  await visit(page, link);
  await page.fill('#password', newPassword);
  await page.fill('#password_confirm', `${newPassword}x`);
  const refused = await clickAndWait(page, page.locator('main form button[type="submit"]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.locator('#password_confirm').getAttribute('aria-invalid'), 'true');
  await page.fill('#password', newPassword);
  await page.fill('#password_confirm', newPassword);
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  assert.equal(pathOf(page), '/login');
  assert.match(await page.locator('[role="status"]').innerText(), /password has been reset/);

  await signIn(page, { email: user.email, password: newPassword });
  await signOut(page);
  await page.context().close();

  // The old password no longer works, and the link cannot be used twice.
  const other = await newPage(browser, { lang: 'en' });
  const old = await trySignIn(other, user);
  assert.equal(old.status, 401, 'the old password is refused');
  assert.equal(old.path, '/login');
  await visit(other, link);
  assert.match(await other.locator('[role="alert"]').innerText(), /expired or has already been used/);
  assert.equal(await other.locator('#password').count(), 0, 'no form on a used link');
  await other.context().close();
});
