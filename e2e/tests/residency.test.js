// A new resident registers and declares a neighbourhood in Jongno-gu; the demo official of Jongno-gu
// verifies it on /manage/residency; the resident sees "verified". An official of Jongno-gu must not see
// a declaration from another district.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, register, signIn, signOut, uniqueEmail, demoAccount,
  pathOf, screenshot, JONGNO,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'correct horse battery staple';

/** Declares the neighbourhood `code` on /account and returns the district's name shown in the <select>. */
async function declare(page, code) {
  await visit(page, '/account');
  const option = page.locator(`#scope option[value="${code}"]`);
  assert.equal(await option.count(), 1, `neighbourhood ${code} is not offered in #scope`);
  const district = await option.evaluate((o) => o.parentElement.label);
  await page.selectOption('#scope', code);
  await clickAndWait(page, page.locator('#residency-submit'));
  assert.equal(pathOf(page), '/account');
  return district;
}

test('a resident registers, declares a neighbourhood, gets verified by the official of the district', async () => {
  const resident = { name: `주민 ${Date.now() % 100000}`, email: uniqueEmail('resident'), password: PASSWORD };
  const outsider = { name: `Outsider ${Date.now() % 100000}`, email: uniqueEmail('outsider'), password: PASSWORD };

  // 1. The resident registers (English pages, so the assertions read plainly) and declares.
  const page = await newPage(browser, { lang: 'en' });
  await register(page, resident);
  assert.match(await page.locator('#residency-status').innerText(), /not declared/i);
  await page.locator('#scope').waitFor();
  const jongnoOptions = await page.locator('#scope optgroup[label="Jongno-gu"] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.ok(jongnoOptions.length > 0, 'the neighbourhood <select> has a Jongno-gu group with options');
  const [code, dongName] = jongnoOptions[0];
  assert.ok(code.startsWith(JONGNO), `option ${code} of the Jongno-gu group should be a Jongno-gu code`);
  const district = await declare(page, code);
  assert.equal(district, 'Jongno-gu');
  const status = page.locator('#residency-status');
  assert.match(await status.getAttribute('class'), /status-pending/);
  assert.match(await status.innerText(), /Waiting for verification/);
  assert.match(await status.innerText(), new RegExp(dongName.trim()));
  assert.equal(await page.locator('#scope').inputValue(), code, 'the declared neighbourhood stays selected');
  await screenshot(page, 'account-pending-en');
  await signOut(page);
  await page.context().close();

  // 1b. Someone declares a neighbourhood in another district: not the Jongno-gu official's business.
  const other = await newPage(browser, { lang: 'en' });
  await register(other, outsider);
  const foreignCode = await other.locator('#scope option').evaluateAll(
    (os, jongno) => os.map((o) => o.value).find((v) => v && !v.startsWith(jongno)), JONGNO);
  assert.ok(foreignCode, 'there is a neighbourhood outside Jongno-gu to declare');
  await declare(other, foreignCode);
  await other.context().close();

  // 2. The demo official signs in, finds the resident in the queue and verifies.
  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  const navLink = official.locator('nav.site-nav a[href="/manage/residency"]');
  assert.equal(await navLink.count(), 1, 'an official has a "Verify residents" link in the menu');
  await clickAndWait(official, navLink);
  assert.equal(pathOf(official), '/manage/residency');
  const row = official.locator('tbody tr', { hasText: resident.email });
  assert.equal(await row.count(), 1, `the pending resident ${resident.email} is listed once`);
  assert.match(await row.innerText(), new RegExp(dongName.trim()));
  assert.equal(await official.locator('tbody tr', { hasText: outsider.email }).count(), 0,
    'a declaration outside Jongno-gu must not be in the Jongno-gu official\'s queue');
  await screenshot(official, 'manage-residency-en');
  await clickAndWait(official, row.locator('form[action$="/verify"] button'));
  assert.equal(pathOf(official), '/manage/residency');
  assert.match(await official.locator('[role="status"]').innerText(), /Decision saved/);
  assert.equal(await official.locator('tbody tr', { hasText: resident.email }).count(), 0, 'verified resident leaves the queue');
  await official.context().close();

  // 3. The resident signs in again and sees "verified".
  const again = await newPage(browser, { lang: 'en' });
  await signIn(again, resident);
  await visit(again, '/account');
  const verified = again.locator('#residency-status');
  assert.match(await verified.getAttribute('class'), /status-verified/);
  assert.match(await verified.innerText(), /^Verified/);
  // …and the neighbourhood page greets them as its resident.
  await visit(again, `/scopes/${code}`);
  assert.match(await again.locator('.scope-header').innerText(), /Your neighbourhood/);
  await again.context().close();
});

test('the official cannot verify a declaration outside their district (server-side check)', async () => {
  const outsider = { name: 'Gangnam resident', email: uniqueEmail('gangnam'), password: PASSWORD };
  const page = await newPage(browser, { lang: 'en' });
  await register(page, outsider);
  const foreignCode = await page.locator('#scope option').evaluateAll(
    (os, jongno) => os.map((o) => o.value).find((v) => v && !v.startsWith(jongno)), JONGNO);
  await declare(page, foreignCode);
  // Find the user's id through the JSON API (a bearer token for the current user).
  const tokenResponse = await page.request.post('/api/v1/auth/token', { data: { email: outsider.email, password: outsider.password } });
  assert.equal(tokenResponse.status(), 201, `POST /api/v1/auth/token: ${await tokenResponse.text()}`);
  const { token } = await tokenResponse.json();
  const me = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status(), 200, 'GET /api/v1/me with the bearer token');
  const { id } = await me.json();
  assert.ok(id, '/api/v1/me has an id');
  await page.context().close();

  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  await visit(official, '/manage/residency');
  const csrf = await official.locator('input[name="_csrf"]').first().inputValue();
  const response = await official.request.post(`/manage/residency/${id}/verify`, { form: { _csrf: csrf }, maxRedirects: 0 });
  assert.equal(response.status(), 403, `verifying a Gangnam declaration as the Jongno-gu official must be forbidden (got ${response.status()})`);
  await official.context().close();

  const check = await newPage(browser, { lang: 'en' });
  await signIn(check, outsider);
  await visit(check, '/account');
  assert.match(await check.locator('#residency-status').getAttribute('class'), /status-pending/, 'the declaration is still pending');
  await check.context().close();
});
