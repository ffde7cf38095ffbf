// Results-based evaluation end to end: the district's support staff report progress on the demo's tracked
// project (with evidence) and the district's official verifies it (the staff member cannot: their own);
// an evaluator scores Sajik-dong's 2026 evaluation against the rubric and sees the spread; the dashboard
// shows its charts and map. Then axe-core on every new page (tracked projects, a project, evaluations, an
// evaluation, the trace, the dashboard with its charts and map), in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, htmlLang, seriousA11yViolations,
  formatViolations, JONGNO, screenshot,
} from '../lib/harness.js';

const SAJIK = '1111053000';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The demo's tracked project of Jongno-gu's 2026 plan. */
async function demoProject(page) {
  const list = await (await page.request.get(`/api/v1/tracked-projects?scope=${JONGNO}`)).json();
  const project = list.find((p) => p.origin_kind === 'plan_project' && p.year === 2026);
  assert.ok(project, 'the demo tracks a 2026 plan project');
  return project.id;
}

test('staff report progress, the official verifies it, and only then it counts', async () => {
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  const id = await demoProject(staff);
  await visit(staff, `/tracked-projects/${id}`);
  const body = `E2E repainting ${Date.now() % 100000}`;
  await staff.fill('#update-body', body);
  await staff.fill('#update-progress', '100');
  await staff.fill('#update-evidence', 'https://example.org/photo.jpg');
  await clickAndWait(staff, staff.locator('#update-submit'));
  const mine = staff.locator('li.update', { hasText: body });
  assert.match(await mine.locator('.update-state').innerText(), /Submitted/);
  assert.equal(await mine.locator('.verify-update').count(), 0, 'no verify button on one\'s own update');
  assert.deepEqual(staff.problems, []);
  await staff.context().close();

  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  await visit(official, `/tracked-projects/${id}`);
  const theirs = official.locator('li.update', { hasText: body });
  await clickAndWait(official, theirs.locator('.verify-update'));
  assert.match(await official.locator('li.update', { hasText: body }).locator('.update-state').innerText(), /Verified/);
  assert.match(await official.locator('#project-progress').innerText(), /100/);
  await screenshot(official, 'tracked-project');
  assert.deepEqual(official.problems, []);
  await official.context().close();
});

test('an evaluator scores against the rubric and sees the spread', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await signIn(page, demoAccount('evaluator'));
  await visit(page, `/scopes/${SAJIK}/evaluations`);
  await clickAndWait(page, page.locator('#cycle-list a').first());
  assert.match(await page.locator('#cycle-state').innerText(), /External review/);
  const inputs = page.locator('#score-form input[name^="criterion-"]');
  const n = await inputs.count();
  assert.ok(n >= 3, 'the rubric has criteria');
  for (let i = 0; i < n; i += 1) await inputs.nth(i).fill(String(3 + (i % 2)));
  await clickAndWait(page, page.locator('#score-submit'));
  assert.match(await page.locator('#rubric-scores').innerText(), /1 evaluators|evaluators/);
  assert.equal(await page.locator('#step-grade').count(), 0, 'an evaluator does not grade');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the dashboard shows its charts, map and downloads', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await visit(page, `/scopes/${JONGNO}/dashboard`);
  assert.ok(await page.locator('svg.chart title').count() >= 4);
  assert.ok(await page.locator('svg.map a').count() >= 10, 'the neighbourhoods on the map');
  const csv = await page.request.get(`/scopes/${JONGNO}/dashboard.csv`);
  assert.equal(csv.status(), 200);
  await screenshot(page, 'dashboard');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

for (const lang of ['ko', 'en']) {
  test(`axe (${lang}): the evaluation's pages have no serious or critical violations`, async () => {
    const page = await newPage(browser, { lang });
    await signIn(page, demoAccount('support_staff'));
    const id = await demoProject(page);
    for (const path of [
      `/scopes/${JONGNO}/tracked-projects`, `/tracked-projects/${id}`, `/scopes/${JONGNO}/evaluations`,
      `/trace?kind=tracked_project&id=${id}`, `/scopes/${JONGNO}/dashboard`, '/scopes/11/dashboard',
    ]) {
      await visit(page, path);
      assert.equal(await htmlLang(page), lang);
      const { serious } = await seriousA11yViolations(page);
      assert.equal(serious.length, 0, formatViolations(`${path} (${lang})`, serious));
    }
    await visit(page, `/scopes/${JONGNO}/evaluations`);
    await clickAndWait(page, page.locator('#cycle-list a').first());
    const { serious } = await seriousA11yViolations(page);
    assert.equal(serious.length, 0, formatViolations(`evaluation (${lang})`, serious));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}
