// Committees end to end: support staff open a call on Sajik-dong's resident council, residents apply,
// staff log training, close the call (publishing the pseudonymised applicant list) and run the draw; the
// published panel is re-derived with `maeul sortition draw` from the published input and seed; staff
// publish the panel, hold a meeting with quorum, a motion carries on the members' votes, and the
// published minutes appear in the committee's iCal feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  launch, newPage, visit, clickAndWait, register, signIn, signOut, uniqueEmail, demoAccount, pathOf,
  screenshot, maeulBinary,
} from '../lib/harness.js';

const SAJIK = '1111053000';
const PASSWORD = 'committee passphrase 1';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A submit in a form whose hidden `event` is `value` (meeting/motion steps). */
const stepButton = (page, form, value) =>
  page.locator(`form[action$="${form}"]:has(input[name="event"][value="${value}"]) button`);

test('a resident council is recruited by a verifiable lottery, meets with quorum, decides and publishes its minutes', async () => {
  // Sajik-dong's resident council (demo data), found through the API.
  const api = await newPage(browser, { lang: 'en' });
  const list = await (await api.request.get(`/api/v1/scopes/${SAJIK}/committees`)).json();
  const council = list.find((c) => c.kind === 'resident_council');
  assert.ok(council, 'the demo resident council of Sajik-dong is listed');
  await api.context().close();

  // 1. Staff open a call: two seats, one reserve, neither gender above 60 %, 6 hours of training.
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  await visit(staff, `/scopes/${SAJIK}`);
  await clickAndWait(staff, staff.locator('#committees-link'));
  await clickAndWait(staff, staff.locator(`#committee-list a[href="/committees/${council.id}"]`));
  const now = new Date();
  await staff.fill('#call-title', `E2E call ${Date.now() % 100000}`);
  await staff.fill('#call-seats', '2');
  await staff.fill('#call-reserves', '1');
  await staff.fill('#call-min-age', '16');
  await staff.fill('#call-hours', '6');
  await staff.fill('#call-start', `${now.getUTCFullYear() - 1}-01-01`);
  await staff.fill('#call-end', `${now.getUTCFullYear() + 2}-12-31`);
  await staff.fill('#call-features', 'gender: female<=60%, male<=60%');
  await staff.fill('#call-seed-rule', 'Lotto 6/45 numbers of the next draw | e2e');
  await clickAndWait(staff, staff.locator('#call-submit'));
  assert.match(pathOf(staff), /^\/calls\/\d+$/);
  const callPath = pathOf(staff);
  await clickAndWait(staff, staff.locator('#call-open'));
  assert.match(await staff.locator('#call-state').innerText(), /Open/);

  // 2. Four residents register, declare Sajik-dong and are verified by the district official.
  const residents = [];
  for (const [i, gender] of ['female', 'male', 'female', 'male'].entries()) {
    const person = { name: `Sajik resident ${i} ${Date.now() % 10000}`, email: uniqueEmail(`council${i}`), password: PASSWORD, gender };
    const page = await newPage(browser, { lang: 'en' });
    await register(page, person);
    await page.selectOption('#scope', SAJIK);
    await clickAndWait(page, page.locator('#residency-submit'));
    await page.context().close();
    residents.push(person);
  }
  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  for (const r of residents) {
    await visit(official, '/manage/residency');
    await clickAndWait(official, official.locator('tbody tr', { hasText: r.email }).locator('form[action$="/verify"] button'));
  }
  await official.context().close();

  // 3. Each applies with a self-declared stratum.
  for (const r of residents) {
    const page = await newPage(browser, { lang: 'en' });
    await signIn(page, r);
    await visit(page, callPath);
    await page.fill('#apply-age', '35');
    await page.selectOption('#stratum_0', r.gender);
    await clickAndWait(page, page.locator('#apply-submit'));
    assert.match(await page.locator('#my-application').innerText(), /You applied as A\d{4}/);
    r.pseudonym = (await page.locator('#my-application').innerText()).match(/A\d{4}/)[0];
    await page.context().close();
  }

  // 4. Staff log the training, close the call (publishing the applicant list), and draw.
  await visit(staff, callPath);
  for (const r of residents) {
    const option = staff.locator('#training-applicant option', { hasText: r.pseudonym });
    await staff.selectOption('#training-applicant', await option.getAttribute('value'));
    await staff.fill('#training-hours', '6');
    await clickAndWait(staff, staff.locator('#training-submit'));
  }
  assert.equal(await staff.locator('#applicants tbody tr', { hasText: 'eligible' }).count(), 4);
  await clickAndWait(staff, staff.locator('#call-close'));
  const sha = (await staff.locator('#input-sha').innerText()).trim();
  assert.match(sha, /^[0-9a-f]{64}$/);
  const seed = `Lotto 6/45 draw ${Date.now() % 1000}: 3 11 19 25 31 42 + 7 | e2e`;
  await staff.fill('#seed-text-input', seed);
  await clickAndWait(staff, staff.locator('#draw-submit'));
  assert.match(await staff.locator('#call-state').innerText(), /Drawn/);
  await screenshot(staff, 'committee-call-drawn-en');
  const panel = await staff.locator('#draw-panel tbody tr td:nth-child(2)').allInnerTexts();
  assert.equal(panel.length, 2);

  // 5. Anyone re-derives the panel from the published input and seed with the documented command.
  const inputText = await (await staff.request.get(`${callPath}/input.json`)).text();
  const published = await (await staff.request.get(`${callPath}/draw.json`)).json();
  assert.equal(published.seed_text, seed);
  assert.equal(published.input_sha256, sha);
  assert.ok(!inputText.includes('Sajik resident'), 'the published input holds pseudonyms only');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maeul-e2e-draw-'));
  const file = path.join(dir, 'input.json');
  writeFileSync(file, inputText);
  const rerun = JSON.parse(execFileSync(maeulBinary(), ['sortition', 'draw', file, '--seed-text', published.seed_text, '--json'], { encoding: 'utf8' }));
  assert.equal(rerun.input_sha256, sha, 'the downloaded input is the one fingerprinted');
  assert.deepEqual(rerun.panel.map((p) => p.id), panel, 'the re-run gives the published panel');
  assert.deepEqual(rerun.reserves.map((p) => p.id), published.result.reserves.map((p) => p.id));
  const genders = rerun.panel.map((p) => p.features.gender).sort();
  assert.deepEqual(genders, ['female', 'male'], 'the 60 % cap holds');

  // 6. Staff publish the panel: the drawn residents sit on the council.
  await clickAndWait(staff, staff.locator('#publish-panel'));
  assert.equal(pathOf(staff), `/committees/${council.id}`);
  const members = residents.filter((r) => panel.includes(r.pseudonym));
  assert.equal(members.length, 2);
  for (const m of members) {
    assert.equal(await staff.locator('table.members-civil tbody tr', { hasText: m.name }).count(), 1, `${m.name} is listed`);
  }

  // 7. A meeting starting within the hour (it may convene no earlier): agenda published, members
  // present, convened with quorum, in session. The form takes Seoul time (UTC+9, no daylight saving).
  const seoulInput = (ms) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16);
  await staff.fill('#meeting-title', 'E2E regular meeting');
  await staff.fill('#meeting-start', seoulInput(Date.now() + 30 * 60_000));
  await staff.fill('#meeting-end', seoulInput(Date.now() + 150 * 60_000));
  await staff.fill('#meeting-place', 'Sajik-dong community centre, room 2');
  await clickAndWait(staff, staff.locator('#meeting-submit'));
  const meetingPath = pathOf(staff);
  assert.match(meetingPath, /^\/meetings\/\d+$/);
  await staff.fill('#agenda-item-title', 'Autonomous plan 2027');
  await clickAndWait(staff, staff.locator('#agenda-submit'));
  await clickAndWait(staff, stepButton(staff, '/state', 'publish_agenda'));
  // Convening with nobody present is refused for lack of quorum.
  await clickAndWait(staff, stepButton(staff, '/state', 'convene'));
  assert.match(await staff.locator('#meeting-alert').innerText(), /No quorum/);
  for (const m of members) {
    await clickAndWait(staff, staff.locator('#roll tbody tr', { hasText: m.name }).locator('button'));
  }
  await clickAndWait(staff, stepButton(staff, '/state', 'convene'));
  assert.match(await staff.locator('#meeting-state').innerText(), /Convened/);
  await clickAndWait(staff, stepButton(staff, '/state', 'start'));
  await staff.fill('#motion-title-input', 'Adopt the autonomous plan');
  await clickAndWait(staff, staff.locator('#motion-submit'));
  await clickAndWait(staff, staff.locator('button.open-vote'));

  // 8. The members vote yes; a second vote is refused.
  for (const [i, m] of members.entries()) {
    const page = await newPage(browser, { lang: 'en' });
    await signIn(page, m);
    await visit(page, meetingPath);
    await clickAndWait(page, page.locator('button.vote-yes'));
    assert.match(await page.locator('[role="status"]').innerText(), /Your vote was recorded/);
    if (i === 0) {
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const motionAction = await page.locator('article.motion').first().getAttribute('id');
      const again = await page.request.post(`/motions/${motionAction.replace('motion-', '')}/vote`, { form: { _csrf: csrf, choice: 'no' }, maxRedirects: 0 });
      assert.equal(again.status(), 409, 'a second vote is refused');
    }
    await page.context().close();
  }
  await visit(staff, meetingPath);
  await clickAndWait(staff, staff.locator('button.close-vote'));
  assert.match(await staff.locator('article.motion .motion-state').innerText(), /Carried/);
  assert.match(await staff.locator('article.motion .motion-tally').innerText(), /2 yes · 0 no · 0 abstain/);

  // 9. Adjourn; minutes drafted, approved, published — and in the committee's iCal feed.
  await clickAndWait(staff, stepButton(staff, '/state', 'adjourn'));
  const minutes = `The council adopted the autonomous plan, 2 votes to 0; e2e ${Date.now() % 100000}`;
  await staff.fill('#minutes-input', minutes);
  await clickAndWait(staff, staff.locator('#minutes-submit'));
  await clickAndWait(staff, stepButton(staff, '/state', 'approve_minutes'));
  await clickAndWait(staff, stepButton(staff, '/state', 'publish_minutes'));
  assert.match(await staff.locator('#meeting-state').innerText(), /Minutes published/);
  await screenshot(staff, 'committee-meeting-published-en');
  await signOut(staff);
  await staff.context().close();

  const visitor = await newPage(browser, { lang: 'en' });
  await visit(visitor, meetingPath);
  assert.match(await visitor.locator('#minutes-body').innerText(), /adopted the autonomous plan/);
  const ics = await visitor.request.get(`/committees/${council.id}/calendar.ics`);
  assert.match(ics.headers()['content-type'], /^text\/calendar/);
  const feed = (await ics.text()).replace(/\r\n /g, '');
  const escaped = minutes.replace(/[\\;,]/g, (c) => `\\${c}`);
  assert.ok(feed.includes(escaped), 'the published minutes are in the committee feed');
  assert.ok(feed.includes('SUMMARY:E2E regular meeting'));
  await visit(visitor, `/committees/${council.id}`);
  assert.equal(await visitor.locator('#decisions tbody tr', { hasText: 'Adopt the autonomous plan' }).count(), 1);
  assert.deepEqual(visitor.problems, []);
  await visitor.context().close();
});
