// Browsing the city: home → a district → a neighbourhood by following links, and back by breadcrumbs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, visit, clickAndWait, pathOf, screenshot, JONGNO, CITY } from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const crumbs = (page) => page.locator('nav.breadcrumbs li').allInnerTexts();
const current = (page) => page.locator('nav.breadcrumbs [aria-current="page"]').innerText();

test('home lists the 25 districts of Seoul', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/');
  const districts = page.locator('main a[href^="/scopes/"] .card-title');
  assert.equal(await districts.count(), 25);
  assert.match(await page.locator('#districts-title').innerText(), /25 districts/);
  const hrefs = await page.locator('main .card a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => /^\/scopes\/\d{5}$/.test(h)), `district links: ${hrefs.join(' ')}`);
  assert.deepEqual(page.problems, []);
  await screenshot(page, 'home-en-desktop');
  await page.context().close();
});

test('home → district → neighbourhood by links; breadcrumbs lead back', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/');
  await clickAndWait(page, page.getByRole('link', { name: 'Jongno-gu', exact: true }));
  assert.equal(pathOf(page), `/scopes/${JONGNO}`);
  assert.match(await page.locator('main h1').innerText(), /^Jongno-gu/);
  assert.match(await page.locator('main h1 .alt-name').innerText(), /종로구/);
  assert.deepEqual(await crumbs(page), ['Seoul', 'Jongno-gu']);
  assert.equal(await current(page), 'Jongno-gu');

  const dong = page.locator('#children-title + ul a').first();
  const dongName = (await dong.innerText()).trim();
  const dongHref = await dong.getAttribute('href');
  assert.match(dongHref, new RegExp(`^/scopes/${JONGNO}\\d{5}$`));
  await clickAndWait(page, dong);
  assert.equal(pathOf(page), dongHref);
  assert.match(await page.locator('main h1').innerText(), new RegExp(`^${dongName}`));
  assert.match(await page.locator('.scope-header .eyebrow').innerText(), /Neighbourhood/);
  assert.deepEqual(await crumbs(page), ['Seoul', 'Jongno-gu', dongName]);
  assert.equal(await current(page), dongName);
  assert.ok(await page.locator('.sections .panel').count() >= 1, 'the neighbourhood page shows its sections');
  await screenshot(page, 'neighbourhood-en-desktop');

  await clickAndWait(page, page.locator('nav.breadcrumbs a', { hasText: 'Jongno-gu' }));
  assert.equal(pathOf(page), `/scopes/${JONGNO}`);
  await clickAndWait(page, page.locator('nav.breadcrumbs a', { hasText: 'Seoul' }));
  assert.equal(pathOf(page), `/scopes/${CITY}`);
  assert.match(await page.locator('main h1').innerText(), /^Seoul/);
  assert.equal(await page.locator('nav.breadcrumbs a').count(), 0, 'the city is the root of the breadcrumbs');
  assert.equal(await page.locator('#children-title + ul a').count(), 25, 'the city page lists the 25 districts');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an unknown scope is a 404 page, in the site\'s style, with a way home', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, '/scopes/99999', 404);
  assert.match(await page.locator('h1').innerText(), /not found/i);
  const body = await page.locator('body').innerText();
  assert.doesNotMatch(body, /sqlx|SELECT |panicked|stack backtrace|\.rs:\d+/i, 'nothing internal reaches the user');
  await clickAndWait(page, page.locator('main a[href="/"]'));
  assert.equal(pathOf(page), '/');
  await page.context().close();
});
