// A neighbourhood's participatory budget through its whole cycle in the browser, each step by the role the
// platform gives it: the district's staff open a process on Cheongun-hyoja-dong's envelope and configure who
// takes part (a form with no residence basis is refused); staff open proposals; the neighbourhood's resident
// submits projects (a malformed cost is named); staff close proposals; the district's official reviews them
// (feasible with cost and duration, infeasible with a reason); staff record the committee's shortlist, fix the
// ballot and open voting; a resident of another neighbourhood is told why they cannot vote; the resident votes
// while the ballot's counter and budget bar follow the choices; staff close the vote, the background worker
// counts it, staff approve, and the result page explains it and re-counts with `maeul pb tally`. Every page the
// cycle passes through, in each state and for each role that acts on it (and the visitor), is checked with
// axe-core in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, assertAccessible, maeulBinary,
} from '../lib/harness.js';

const CHEONGUN = '1111051500'; // 청운효자동, the demo resident's verified neighbourhood (in Jongno-gu)
const LANGS = ['ko', 'en'];
const ROLES = ['support_staff', 'official', 'resident', 'committee_member'];
const TITLE = 'e2e 청운효자동 주민참여예산 (Cheongun-hyoja-dong participatory budget)';
const PROJECTS = {
  garden: { title: 'e2e 골목 화단 (alley flower beds)', cost: '3000000' },
  bench: { title: 'e2e 쉼터 벤치 (rest benches)', cost: '2000000' },
  tower: { title: 'e2e 전망대 (observation tower)', cost: '9000000' },
};

let browser;
/** One signed-in page per role and language (the visitor's signed in as no one), reused across steps. */
const pages = {};
let processId;
const projectIds = {};

before(async () => {
  browser = await launch();
  for (const who of [...ROLES, 'visitor']) {
    pages[who] = {};
    for (const lang of LANGS) {
      const page = await newPage(browser, { lang });
      if (who !== 'visitor') await signIn(page, demoAccount(who));
      pages[who][lang] = page;
    }
  }
});

after(async () => { await browser?.close(); });

/** The English page of a role, where the cycle's actions are taken. */
const as = (who) => pages[who].en;

/** Visits `url` as `who` in both languages and checks each rendering with axe-core. */
async function checkPage(who, url, label) {
  for (const lang of LANGS) {
    const page = pages[who][lang];
    await visit(page, url);
    await assertAccessible(page, lang, `${label} as ${who}`);
  }
}

/** The phase shown on the process page (English). */
async function phaseOf(page) {
  await visit(page, `/budgets/${processId}`);
  return page.locator('#budget-phase').innerText();
}

/** Staff move the process to its next phase with the page's button, which names that phase. */
async function advance(expected) {
  const page = as('support_staff');
  await visit(page, `/budgets/${processId}`);
  assert.equal(await page.locator('#phase-next').innerText(), `Move to “${expected}”`);
  await clickAndWait(page, page.locator('#phase-next'));
  assert.equal(await page.locator('#budget-phase').innerText(), expected);
}

test('staff open a process on the neighbourhood envelope and configure who takes part', async () => {
  await checkPage('visitor', `/scopes/${CHEONGUN}/budget`, 'Cheongun-hyoja-dong budget');
  await checkPage('support_staff', `/scopes/${CHEONGUN}/budget`, 'Cheongun-hyoja-dong budget (new process form)');
  const page = as('support_staff');
  await visit(page, `/scopes/${CHEONGUN}/budget`);
  await page.fill('#new-process_title', TITLE);
  await page.fill('#new-process_budget', '10000000');
  await page.fill('#new-min_projects', '1');
  await page.fill('#new-max_projects', '2');
  await page.selectOption('#new-ballot-kind', 'approval');
  await page.selectOption('#new-rule', 'mes_cost');
  await clickAndWait(page, page.locator('#process-submit'));
  const match = page.url().match(/\/budgets\/(\d+)\?notice=budget-notice-saved/);
  assert.ok(match, `created and shown: ${page.url()}`);
  processId = Number(match[1]);
  assert.equal(await page.locator('#budget-phase').innerText(), 'Configured');
  await checkPage('support_staff', `/budgets/${processId}`, 'configured process (settings form)');

  // No residence basis ticked: the field is named, nothing is stored (checked in both languages).
  for (const lang of LANGS) {
    const p = pages.support_staff[lang];
    await visit(p, `/budgets/${processId}`);
    for (const box of await p.locator('input[name="voter_bases"]').all()) await box.uncheck();
    const refused = await clickAndWait(p, p.locator('#settings-submit'));
    assert.equal(refused.status(), 422);
    assert.ok(await p.locator('#voter_bases-error').isVisible());
    await assertAccessible(p, lang, 'settings refused without a residence basis');
  }
  await visit(page, `/budgets/${processId}`);
  assert.match(await page.locator('#budget-voter-bases').innerText(), /^Everyone verified in this area/);

  for (const box of await page.locator('input[name="voter_bases"]').all()) await box.uncheck();
  await page.check('#voter-basis-resident');
  await page.check('#voter-basis-student');
  await page.fill('#min_age', '14');
  await clickAndWait(page, page.locator('#settings-submit'));
  assert.equal(await page.locator('#budget-voter-bases').innerText(), 'Resident · Studies there');
  assert.match(await page.locator('#budget-min-age').innerText(), /14 years or older/);
  await advance('Proposals open');
});

test('the neighbourhood\'s resident submits projects; a malformed cost is named', async () => {
  await checkPage('resident', `/budgets/${processId}`, 'proposals open (project form)');
  await checkPage('visitor', `/budgets/${processId}`, 'proposals open');
  for (const lang of LANGS) {
    const p = pages.resident[lang];
    await visit(p, `/budgets/${processId}`);
    await p.fill('#project-title', PROJECTS.garden.title);
    await p.fill('#project-cost', 'three million');
    const refused = await clickAndWait(p, p.locator('#project-submit'));
    assert.equal(refused.status(), 422);
    assert.ok(await p.locator('#cost-error').isVisible());
    await assertAccessible(p, lang, 'project form refused');
  }
  const page = as('resident');
  for (const [key, project] of Object.entries(PROJECTS)) {
    await visit(page, `/budgets/${processId}`);
    await page.fill('#project-title', project.title);
    await page.fill('#project-description', `${project.title}: e2e`);
    await page.fill('#project-category', key === 'tower' ? '시설' : '환경');
    await page.fill('#project-location', '청운효자동');
    await page.fill('#project-cost', project.cost);
    await clickAndWait(page, page.locator('#project-submit'));
    assert.match(page.url(), /notice=budget-notice-submitted/);
  }
  await advance('Department review');
  const staff = as('support_staff');
  for (const [key, project] of Object.entries(PROJECTS)) {
    const item = staff.locator('#projects > li', { hasText: project.title });
    assert.equal(await item.count(), 1, `${project.title} is listed for staff`);
    projectIds[key] = Number((await item.getAttribute('id')).replace('project-', ''));
  }
});

test('the district\'s official reviews each project: feasible with cost and months, or infeasible with a reason', async () => {
  await checkPage('official', `/budgets/${processId}`, 'department review (review forms)');
  const page = as('official');
  for (const key of ['garden', 'bench']) {
    const id = projectIds[key];
    await visit(page, `/budgets/${processId}`);
    await page.fill(`#cost-${id}`, key === 'garden' ? '2800000' : '2000000');
    await page.fill(`#months-${id}`, '4');
    await clickAndWait(page, page.locator(`#project-${id} form:has(input[value="feasible"]) button`));
    assert.match(await page.locator(`#project-${id}`).innerText(), /Feasible/);
  }
  const tower = projectIds.tower;
  await visit(page, `/budgets/${processId}`);
  await page.fill(`#reason-${tower}`, '고도 제한 구역입니다 (height-restricted zone)');
  await clickAndWait(page, page.locator(`#project-${tower} form:has(input[value="infeasible"]) button`));
  const refusedProject = await page.locator(`#project-${tower}`).innerText();
  assert.match(refusedProject, /Not feasible/);
  assert.match(refusedProject, /height-restricted zone/);
  // The reviewed cost replaces the estimate.
  assert.match(await page.locator(`#project-${projectIds.garden}`).innerText(), /2,800,000/);
});

test('staff record the committee\'s shortlist, fix the ballot and open voting', async () => {
  await advance('Committee deliberation');
  await checkPage('support_staff', `/budgets/${processId}`, 'committee deliberation (shortlist forms)');
  const page = as('support_staff');
  for (const key of ['garden', 'bench']) {
    const id = projectIds[key];
    await visit(page, `/budgets/${processId}`);
    await clickAndWait(page, page.locator(`#project-${id} button[name="event"][value="shortlist"]`));
    assert.match(await page.locator(`#project-${id}`).innerText(), /On the ballot/);
  }
  await advance('Ballot fixed');
  await advance('Voting open');
  await checkPage('visitor', `/budgets/${processId}`, 'voting open');
  await checkPage('resident', `/budgets/${processId}`, 'voting open (ballot link)');
  // A resident of another neighbourhood (Sajik-dong) is told why there is no ballot for them.
  const member = as('committee_member');
  await visit(member, `/budgets/${processId}`);
  assert.equal(await member.locator('#ballot-link').count(), 0);
  assert.match(await member.locator('#vote-eligibility').innerText(), /verified residents of this area/);
});

test('the resident votes on the ballot page; only shortlisted projects are on it', async () => {
  await checkPage('resident', `/budgets/${processId}/ballot`, 'ballot');
  await checkPage('support_staff', `/budgets/${processId}/ballot`, 'ballot (paper ballots)');
  const page = as('resident');
  await visit(page, `/budgets/${processId}/ballot`);
  const choices = page.locator('input[name="project"]');
  const offered = await choices.evaluateAll((inputs) => inputs.map((i) => Number(i.value)).sort((a, b) => a - b));
  assert.deepEqual(offered, [projectIds.garden, projectIds.bench].sort((a, b) => a - b));
  // The counter and budget bar follow the checkboxes as they change (ballot.js), in the page's language.
  assert.equal(await page.locator('#ballot-count').innerText(), '0');
  await page.check(`#choose-${projectIds.garden}`);
  assert.equal(await page.locator('#ballot-count').innerText(), '1');
  assert.equal(await page.locator('#ballot-total').innerText(), '₩2,800,000');
  assert.equal(await page.locator('#ballot-meter').evaluate((m) => m.value), 2_800_000);
  const ko = pages.resident.ko;
  await visit(ko, `/budgets/${processId}/ballot`);
  await ko.check(`#choose-${projectIds.bench}`);
  assert.equal(await ko.locator('#ballot-total').innerText(), '2,000,000원');
  await clickAndWait(page, page.locator('#ballot-submit'));
  assert.ok(await page.locator('#voted-badge').isVisible());
  await checkPage('resident', `/budgets/${processId}?notice=budget-notice-voted`, 'voted');
});

test('staff close the vote, the worker counts it, staff approve; the result explains itself and re-counts', async () => {
  await advance('Voting closed');
  // The background worker counts a closed vote on its next pass (once a second).
  const staff = as('support_staff');
  const deadline = Date.now() + 30_000;
  let phase = await phaseOf(staff);
  while (phase !== 'Tallied' && Date.now() < deadline) {
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    phase = await phaseOf(staff);
  }
  assert.equal(phase, 'Tallied', 'the worker counted the closed vote');
  await checkPage('visitor', `/budgets/${processId}/result`, 'result (tallied)');
  await advance('Approved');
  await checkPage('visitor', `/budgets/${processId}`, 'approved process');
  await checkPage('visitor', `/budgets/${processId}/result`, 'result (approved)');

  const page = as('visitor');
  await visit(page, `/budgets/${processId}/result`);
  const funded = page.locator('#funded > li');
  assert.equal(await funded.count(), 1);
  assert.match(await funded.first().innerText(), new RegExp(PROJECTS.garden.title.replace(/[()]/g, '\\$&')));
  assert.equal(await page.locator('#unfunded > li').count(), 1);
  const result = await (await page.request.get(`/api/v1/budgets/${processId}/result`)).json();
  assert.deepEqual(result.selected.map(Number), [projectIds.garden]);
  assert.equal(result.total_cost, 2_800_000);
  const command = await page.locator('#tally-command').innerText();
  assert.equal(command, `maeul pb tally budget-${processId}.pb --rule mes_cost --json`);
  const file = await page.request.get(`/budgets/${processId}/election.pb`);
  assert.equal(file.status(), 200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maeul-pb-'));
  const pb = path.join(dir, `budget-${processId}.pb`);
  writeFileSync(pb, await file.text());
  const recount = JSON.parse(execFileSync(maeulBinary(), ['pb', 'tally', pb, '--rule', 'mes_cost', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(recount.selected.map(String), result.selected.map(String));
  // The process is listed in the open API with the phase it reached.
  const listed = (await (await page.request.get('/api/v1/budgets')).json()).find((b) => b.id === processId);
  assert.equal(listed.state, 'approved');
  assert.equal(listed.scope_code, CHEONGUN);
});
