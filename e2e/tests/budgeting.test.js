// The decentralized budget end to end: a resident votes in Jongno-gu's participatory budget on the ballot
// page (no JavaScript needed) and changes the ballot; a visitor reads Sajik-dong's tallied result with each
// project's fate, downloads its `.pb` file and re-counts it with `maeul pb tally`, getting the published
// selection. The demo's links: a project born from an adopted proposal, a shortlist decided by a carried committee
// motion, a project's attached file, and an imported historical election re-counted from its export; staff import
// a `.pb` file through the page form (a malformed one changes nothing). Then axe-core on every budget page (15
// views), as a visitor and as the people who see its forms, ko/en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, maeulBinary, JONGNO, assertAccessible,
} from '../lib/harness.js';

const SAJIK = '1111053000';
let browser;
const ids = {};

before(async () => {
  browser = await launch();
  const page = await newPage(browser, { lang: 'en' });
  const budgets = await (await page.request.get('/api/v1/budgets')).json();
  const jongno = budgets.find((b) => b.scope_code === JONGNO);
  const sajik = budgets.find((b) => b.scope_code === SAJIK);
  assert.ok(jongno && sajik, 'the demo processes exist');
  assert.equal(jongno.state, 'voting_open');
  assert.equal(sajik.state, 'tallied');
  const historical = budgets.find((b) => b.scope_code === JONGNO && b.state === 'tallied');
  assert.ok(historical, 'the demo has an imported historical election');
  Object.assign(ids, { jongno: jongno.id, sajik: sajik.id, sajikRule: sajik.rule, historical: historical.id });
  // The proposal the demo's library project was born from.
  await visit(page, `/budgets/${jongno.id}`);
  const origin = await page.locator('[id^="from-proposal-"] a').first().getAttribute('href');
  ids.proposal = Number(origin.split('/').pop());
  await page.context().close();
});

after(async () => { await browser?.close(); });

test('a resident votes in Jongno-gu without JavaScript and changes the ballot; the latest counts', async () => {
  const page = await newPage(browser, { lang: 'en', javaScriptEnabled: false });
  await signIn(page, demoAccount('resident'));
  await visit(page, `/budgets/${ids.jongno}`);
  // Who takes part is on the page: those who live, work or study in the district, from 14.
  assert.equal(await page.locator('#budget-voter-bases').innerText(), 'Resident · Works there · Studies there');
  assert.match(await page.locator('#budget-min-age').innerText(), /14 years or older/);
  await clickAndWait(page, page.locator('#ballot-link'));
  const boxes = page.locator('input[type="checkbox"][name="project"]');
  assert.ok(await boxes.count() >= 12, 'at least 12 projects on the ballot');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await clickAndWait(page, page.locator('#ballot-submit'));
  assert.ok(await page.locator('#voted-badge').isVisible());
  // Too many projects: the engine's check names the broken constraint, the ballot stays as it was.
  await visit(page, `/budgets/${ids.jongno}/ballot`);
  for (let i = 0; i < 6; i += 1) await boxes.nth(i).check();
  const refused = await clickAndWait(page, page.locator('#ballot-submit'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('#budget-alert').innerText(), /at most 5/);
  await visit(page, `/budgets/${ids.jongno}/ballot`);
  assert.ok(await boxes.nth(0).isChecked() && await boxes.nth(1).isChecked());
  // Without JavaScript the counter shows the ballot as stored (rendered by the server).
  assert.equal(await page.locator('#ballot-count').innerText(), '2');
  assert.ok(!(await boxes.nth(2).isChecked()));
  await boxes.nth(0).uncheck();
  await clickAndWait(page, page.locator('#ballot-submit'));
  await visit(page, `/budgets/${ids.jongno}/ballot`);
  assert.ok(!(await boxes.nth(0).isChecked()) && await boxes.nth(1).isChecked());
  await page.context().close();
});

test('Sajik-dong\'s result explains each project and re-counts with maeul pb tally', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, `/budgets/${ids.sajik}/result`);
  const funded = page.locator('#funded > li');
  assert.ok(await funded.count() > 0, 'some projects are funded');
  assert.match(await page.locator('#funded').innerText(), /supporters paid/);
  const command = await page.locator('#tally-command').innerText();
  assert.equal(command, `maeul pb tally budget-${ids.sajik}.pb --rule ${ids.sajikRule} --json`);
  const file = await page.request.get(`/budgets/${ids.sajik}/election.pb`);
  assert.equal(file.status(), 200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maeul-pb-'));
  const pb = path.join(dir, `budget-${ids.sajik}.pb`);
  writeFileSync(pb, await file.text());
  const recount = JSON.parse(execFileSync(maeulBinary(), ['pb', 'tally', pb, '--rule', ids.sajikRule, '--json'], { encoding: 'utf8' }));
  const result = await (await page.request.get(`/api/v1/budgets/${ids.sajik}/result`)).json();
  assert.deepEqual(recount.selected.map(String), result.selected.map(String));
  await page.context().close();
});

test('the demo shows a project from a proposal, a shortlist by a motion and an attached file', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, `/budgets/${ids.jongno}`);
  const origin = page.locator('[id^="from-proposal-"]').first();
  assert.match(await origin.innerText(), /From the proposal/);
  const motion = page.locator('[id^="cited-motion-"] a').first();
  assert.match(await motion.getAttribute('href'), /^\/meetings\/\d+#motion-\d+$/);
  const file = page.locator('[id^="files-"] a').first();
  const download = await page.request.get(await file.getAttribute('href'));
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'application/pdf');
  assert.match(download.headers()['content-disposition'], /^attachment;/);
  await visit(page, `/proposals/${ids.proposal}`);
  const link = page.locator('#budget-project-link a').first();
  assert.match(await link.getAttribute('href'), new RegExp(`^/budgets/${ids.jongno}#project-\\d+$`));
  await clickAndWait(page, link);
  assert.match(page.url(), new RegExp(`/budgets/${ids.jongno}`));
  await page.context().close();
});

test('the imported historical election shows like any counted one and re-counts from its export', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, `/budgets/${ids.historical}`);
  assert.ok(await page.locator('#imported-badge').isVisible());
  await visit(page, `/budgets/${ids.historical}/result`);
  const result = await (await page.request.get(`/api/v1/budgets/${ids.historical}/result`)).json();
  const file = await page.request.get(`/budgets/${ids.historical}/election.pb`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maeul-pb-'));
  const pb = path.join(dir, 'historical.pb');
  writeFileSync(pb, await file.text());
  const recount = JSON.parse(execFileSync(maeulBinary(), ['pb', 'tally', pb, '--rule', result.rule, '--json'], { encoding: 'utf8' }));
  assert.deepEqual(recount.selected.map(String), result.selected.map(String));
  await page.context().close();
});

test('staff import a .pb file through the page; a malformed one is named and changes nothing', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await signIn(page, demoAccount('support_staff'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maeul-pb-'));
  const good = path.join(dir, 'good.pb');
  writeFileSync(good, 'META\nkey;value\nbudget;1000\nvote_type;approval\nnum_projects;2\nnum_votes;2\nPROJECTS\nproject_id;cost;name\n1;600;마을 정원\n2;500;골목 벤치\nVOTES\nvoter_id;vote\n1;1\n2;1,2\n');
  const bad = path.join(dir, 'bad.pb');
  writeFileSync(bad, 'META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;six hundred;마을 정원\nVOTES\nvoter_id;vote\n1;1\n');
  const before = (await (await page.request.get('/api/v1/budgets')).json()).length;
  await visit(page, `/scopes/${JONGNO}/budget`);
  await page.fill('#import-title-input', 'e2e historical election');
  await page.setInputFiles('#import-file', bad);
  const refused = await clickAndWait(page, page.locator('#import-submit'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('#import-alert').innerText(), /line \d+/);
  assert.equal((await (await page.request.get('/api/v1/budgets')).json()).length, before);
  await page.fill('#import-title-input', 'e2e historical election');
  await page.setInputFiles('#import-file', good);
  await clickAndWait(page, page.locator('#import-submit'));
  assert.match(page.url(), /\/budgets\/\d+\?notice=budget-notice-imported/);
  assert.ok(await page.locator('#imported-badge').isVisible());
  await page.context().close();
});

const PAGES = [
  ['Jongno-gu budget and formula', null, () => `/scopes/${JONGNO}/budget`],
  ['Jongno-gu budget (staff forms: split, new process)', 'support_staff', () => `/scopes/${JONGNO}/budget`],
  ['Sajik-dong budget', null, () => `/scopes/${SAJIK}/budget`],
  ['Jongno-gu scope page (budget section)', null, () => `/scopes/${JONGNO}`],
  ['Jongno-gu process', null, () => `/budgets/${ids.jongno}`],
  ['Jongno-gu process (staff steps)', 'support_staff', () => `/budgets/${ids.jongno}`],
  ['Jongno-gu ballot', 'resident', () => `/budgets/${ids.jongno}/ballot`],
  ['Jongno-gu ballot (visitor)', null, () => `/budgets/${ids.jongno}/ballot`],
  ['Jongno-gu ballot (staff: paper ballots)', 'support_staff', () => `/budgets/${ids.jongno}/ballot`],
  ['Sajik-dong process', null, () => `/budgets/${ids.sajik}`],
  ['Sajik-dong result', null, () => `/budgets/${ids.sajik}/result`],
  ['Imported historical process', null, () => `/budgets/${ids.historical}`],
  ['Imported historical result', null, () => `/budgets/${ids.historical}/result`],
  ['Proposal that became a budget project', null, () => `/proposals/${ids.proposal}`],
  ['Jongno-gu process (the proposer: files)', 'resident', () => `/budgets/${ids.jongno}`],
];

for (const lang of ['ko', 'en']) {
  for (const [name, who, url] of PAGES) {
    test(`axe (${lang}): ${name}${who ? ` as ${who}` : ''} has no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      await visit(page, url());
      await assertAccessible(page, lang, name);
      await page.context().close();
    });
  }
}
