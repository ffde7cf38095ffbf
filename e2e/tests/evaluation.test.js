// Results-based evaluation end to end: the district's support staff report progress on the demo's tracked
// project (with evidence) and the district's official verifies it (the staff member cannot: their own);
// an evaluator scores Sajik-dong's 2026 evaluation against the rubric and sees the spread; the dashboard
// shows its charts (participation: turnout by neighbourhood, forum participants) and map; a grant-born
// project's trace starts at its grant. Then axe-core on every new page, in Korean and English: tracked
// projects, a project with the update form and with an update awaiting verification, evaluations, an
// evaluation with the indicator forms and with the evaluators' score form, surveys (list and creation form,
// a survey's answer form, its results), the trace (from a proposal and from a grant), the dashboards with
// their charts under each map measure, and the map SVG itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, JONGNO, CITY, screenshot, assertAccessible,
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
  assert.ok(await page.locator('svg.chart title').count() >= 6);
  for (const id of ['chart-turnout', 'chart-forums']) {
    assert.equal(await page.locator(`svg.chart title#${id}-title`).count(), 1, id);
  }
  assert.ok(await page.locator('#participation-table tbody tr').count() >= 10, 'a row per neighbourhood');
  const participation = await (await page.request.get(`/scopes/${JONGNO}/participation.json`)).json();
  assert.ok(participation[0].forum_participants > 0, 'the district\'s forum has participants');
  assert.ok(participation.some((r) => r.voters > 0 && r.turnout_basis_points > 0), 'a neighbourhood voted');
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
      await assertAccessible(page, lang, path);
    }
    await visit(page, `/scopes/${JONGNO}/evaluations`);
    await clickAndWait(page, page.locator('#cycle-list a').first());
    await assertAccessible(page, lang, 'evaluation');
    await page.context().close();
  });
}

/** The demo's tracked project born of an awarded small grant (no budget or plan origin). */
async function grantProject(page) {
  const list = await (await page.request.get(`/api/v1/tracked-projects?scope=${JONGNO}`)).json();
  for (const p of list.filter((x) => x.origin_kind === null || x.origin_kind === undefined)) {
    const trace = await (await page.request.get(`/api/v1/trace?kind=tracked_project&id=${p.id}`)).json();
    if (trace.steps?.[0]?.kind === 'organization') return p.id;
  }
  assert.fail('the demo tracks an awarded grant');
}

test('a grant-born project\'s trace starts at the organization and its grant', async () => {
  const page = await newPage(browser, { lang: 'en' });
  const id = await grantProject(page);
  await visit(page, `/trace?kind=tracked_project&id=${id}`);
  const kinds = await page.locator('#trace li.trace-step').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds.slice(0, 3), ['organization', 'grant_application', 'tracked_project']);
  await clickAndWait(page, page.locator('li.trace-step[data-kind="grant_application"] a'));
  assert.match(new URL(page.url()).pathname, /^\/grants\/\d+$/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

for (const lang of ['ko', 'en']) {
  test(`axe (${lang}): update verification, scoring, indicator forms, surveys, charts and the map`, async () => {
    // Staff: the update form, their own submitted update, the indicator forms of a new cycle, surveys.
    const staff = await newPage(browser, { lang });
    await signIn(staff, demoAccount('support_staff'));
    const id = await demoProject(staff);
    await visit(staff, `/tracked-projects/${id}`);
    await assertAccessible(staff, lang, 'tracked project with the update form');
    const body = `E2E axe ${lang} ${Date.now() % 100000}`;
    await staff.fill('#update-body', body);
    await staff.fill('#update-progress', '90');
    await staff.fill('#update-evidence', 'https://example.org/evidence.pdf');
    await clickAndWait(staff, staff.locator('#update-submit'));
    await assertAccessible(staff, lang, 'tracked project with a submitted update');
    await visit(staff, `/scopes/${JONGNO}/evaluations`);
    await assertAccessible(staff, lang, 'evaluations with the form to open one');
    await staff.fill('#cycle-year', lang === 'ko' ? '2031' : '2032');
    await clickAndWait(staff, staff.locator('#open-cycle-submit'));
    assert.equal(await staff.locator('#indicator-form').count(), 1, 'the indicator form of a new cycle');
    await assertAccessible(staff, lang, 'evaluation with the indicator forms');
    await visit(staff, `/scopes/${JONGNO}/surveys`);
    assert.equal(await staff.locator('#survey-form').count(), 1, 'staff may open a survey');
    await assertAccessible(staff, lang, 'surveys with the creation form');
    await staff.context().close();

    // The official: the update awaiting their verification, then verified.
    const official = await newPage(browser, { lang });
    await signIn(official, demoAccount('official'));
    await visit(official, `/tracked-projects/${id}`);
    const pending = official.locator('li.update', { hasText: body });
    assert.equal(await pending.locator('.verify-update').count(), 1);
    await assertAccessible(official, lang, 'update verification');
    await clickAndWait(official, pending.locator('.verify-update'));
    await assertAccessible(official, lang, 'tracked project after verification');
    await official.context().close();

    // The evaluator: Sajik-dong's evaluation in external review, with the score form.
    const evaluator = await newPage(browser, { lang });
    await signIn(evaluator, demoAccount('evaluator'));
    await visit(evaluator, `/scopes/${SAJIK}/evaluations`);
    await clickAndWait(evaluator, evaluator.locator('#cycle-list a').first());
    assert.equal(await evaluator.locator('#score-form').count(), 1, 'the evaluator scores here');
    await assertAccessible(evaluator, lang, 'evaluator scoring');
    await evaluator.context().close();

    // A resident of Jongno-gu: the survey's answer form and its results.
    const resident = await newPage(browser, { lang });
    await signIn(resident, demoAccount('resident'));
    await visit(resident, `/scopes/${JONGNO}/surveys`);
    await assertAccessible(resident, lang, 'surveys');
    const survey = await resident.locator('a[href^="/surveys/"]').first().getAttribute('href');
    await visit(resident, survey);
    await assertAccessible(resident, lang, 'survey');
    await visit(resident, `${survey}/results`);
    await assertAccessible(resident, lang, 'survey results');
    await resident.context().close();

    // Anyone: the traces, the dashboards under every map measure, and the map SVG as served.
    const page = await newPage(browser, { lang });
    await visit(page, `/trace?kind=tracked_project&id=${await grantProject(page)}`);
    await assertAccessible(page, lang, 'trace from a grant');
    await visit(page, `/trace?kind=tracked_project&id=${await demoProject(page)}`);
    await assertAccessible(page, lang, 'trace from a proposal');
    await visit(page, `/scopes/${JONGNO}/dashboard`);
    const measures = await page.locator('#map-measure option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(measures.length >= 5);
    for (const measure of measures) {
      await visit(page, `/scopes/${JONGNO}/dashboard?measure=${measure}`);
      assert.ok(await page.locator('svg.chart').count() >= 6, 'the charts');
      assert.equal(await page.locator('svg.chart title#chart-turnout-title').count(), 1);
      await assertAccessible(page, lang, `dashboard (${measure})`);
    }
    for (const code of [CITY, JONGNO]) {
      const svg = await page.request.get(`/scopes/${code}/map.svg`, { headers: { 'Accept-Language': lang } });
      assert.equal(svg.status(), 200);
      const markup = await svg.text();
      assert.match(markup, /^<svg[^>]*role="img"|^<svg/);
      // The SVG as served, inline in a bare document of the page's language, so axe reads its title,
      // its areas' links and their names.
      await page.setContent(`<!doctype html><html lang="${lang}"><head><title>map.svg</title></head>`
        + `<body><main>${markup}</main></body></html>`);
      await assertAccessible(page, lang, `map.svg of ${code}`);
    }
    await page.context().close();
  });
}
