// The innovation plan end to end: an item found in Sajik-dong is screened there, referred up to Jongno-gu
// with a reason, accepted by the district, deliberated, prioritised and adopted by a carried motion of the
// district's governance committee (chosen in the form); its page shows the whole path; it becomes a
// project of a new yearly plan that the committee resolves and the district submits; the city (an official
// of Seoul the administrator appoints: the demo has none) opens the consultation and asks for an adjustment,
// the district revises and resubmits, the city approves. Then axe-core on every new page (items, an item,
// plans, a plan, the scope page's plan section), in Korean and English.
// Then the demo resident: the steps of the item she follows are in her notifications, she follows another
// with the button, and spreads her points in Jongno-gu's priority vote (over the budget refused first);
// the support staff set Sajik-dong's vote to points. axe-core covers the inbox, the follow button, the
// points ballot and the vote's settings in Korean and English. Working groups: the staff create one for a
// project of Jongno-gu's 2027 plan, add the demo member and record a meeting; the member posts an update;
// axe-core on the group's page (visitor, staff, member) in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, seriousA11yViolations, formatViolations,
  JONGNO, CITY, screenshot, register, uniqueEmail, assertAccessible,
} from '../lib/harness.js';

const SAJIK = '1111053000';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The submit button of the form posting `event` to `action`. */
const step = (page, action, event) =>
  page.locator(`form[action$="${action}"]:has(input[name="event"][value="${event}"]) button`);

test('an item found in Sajik-dong is referred up, accepted, adopted by a motion and planned', async () => {
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  const title = `E2E street lights ${Date.now() % 100000}`;

  // Proposed at Sajik-dong (the district's staff act for the neighbourhood below them).
  await visit(staff, `/scopes/${SAJIK}/agenda-items`);
  await staff.fill('#item-title', title);
  await staff.fill('#item-body', 'The alley behind the market is dark at night.');
  await clickAndWait(staff, staff.locator('#item-submit'));
  const itemPath = new URL(staff.url()).pathname;
  assert.match(itemPath, /^\/agenda-items\/\d+$/);
  await clickAndWait(staff, staff.locator('#step-accept'));

  // A referral needs a reason: refused beside the field, nothing changes.
  await staff.selectOption('#refer-to', JONGNO);
  await clickAndWait(staff, staff.locator('#refer-submit'));
  assert.equal(await staff.locator('#refer-reason').getAttribute('aria-invalid'), 'true');
  assert.equal(await staff.locator('#referral-path li').count(), 0);
  await staff.selectOption('#refer-to', JONGNO);
  await staff.fill('#refer-reason', 'Street lights on a district road');
  await clickAndWait(staff, staff.locator('#refer-submit'));
  assert.match(await staff.locator('#referral-path').innerText(), /Street lights on a district road/);

  // Jongno-gu accepts it, deliberates, prioritises and adopts it by a carried motion.
  await clickAndWait(staff, staff.locator('#accept-referral'));
  assert.match(await staff.locator('#referral-path .referral-outcome').first().innerText(), /accepted/);
  assert.match(await staff.locator('#item-holder').innerText(), /Jongno/);
  await clickAndWait(staff, staff.locator('#step-deliberate'));
  await clickAndWait(staff, staff.locator('#step-prioritise'));
  const motion = await staff.locator('#adopt-motion option:not([value=""])').first().getAttribute('value');
  assert.ok(motion, 'the demo governance committee has carried motions');
  await staff.selectOption('#adopt-motion', motion);
  await clickAndWait(staff, staff.locator('#step-adopt'));
  assert.match(await staff.locator('#item-state').innerText(), /Adopted/);
  const rows = await staff.locator('#item-history tbody tr').count();
  assert.equal(rows, 5, 'proposed, accepted, under deliberation, prioritised, adopted');

  // The API shows the path.
  const items = await (await staff.request.get(`/api/v1/agenda-items?scope=${SAJIK}`)).json();
  const item = items.find((i) => i.title === title);
  assert.equal(item.scope_code, JONGNO);
  assert.equal(item.origin_scope_code, SAJIK);
  assert.deepEqual(item.referrals.map((r) => [r.from, r.to, r.direction, r.outcome]), [[SAJIK, JONGNO, 'up', 'accepted']]);

  // A new yearly plan: the project from the item, resolved by a motion, submitted (revision 1).
  const year = String(2030 + (Date.now() % 60));
  await visit(staff, `/scopes/${JONGNO}/plans`);
  await staff.fill('#plan-year', year);
  await staff.fill('#plan-title', `E2E plan ${year}`);
  await clickAndWait(staff, staff.locator('#plan-submit'));
  const planPath = new URL(staff.url()).pathname;
  await staff.selectOption('#project-item', String(item.id));
  await staff.fill('#project-title', `Project: ${title}`);
  await staff.fill('#project-city_grant', '-5');
  await clickAndWait(staff, staff.locator('#project-submit'));
  assert.equal(await staff.locator('#project-city_grant').getAttribute('aria-invalid'), 'true');
  await staff.selectOption('#project-item', String(item.id));
  await staff.fill('#project-title', `Project: ${title}`);
  await staff.fill('#project-city_grant', '20000000');
  await staff.fill('#project-own_funds', '5000000');
  await clickAndWait(staff, staff.locator('#project-submit'));
  assert.equal(await staff.locator(`.project-item[href="${itemPath}"]`).count(), 1);
  await staff.selectOption('#resolve-motion', motion);
  await clickAndWait(staff, step(staff, '/state', 'resolve'));
  await clickAndWait(staff, step(staff, '/state', 'submit'));
  assert.match(await staff.locator('#plan-state').innerText(), /Submitted/);
  assert.equal(await staff.locator('#plan-revision-count').innerText(), '1');
  const plan = await (await staff.request.get(`/api/v1/plans?scope=${JONGNO}&year=${year}`)).json();
  assert.equal(plan.state, 'submitted');
  assert.deepEqual(plan.projects[0].agenda_item_ids, [item.id]);

  // The city consults. The demo has no city official: the administrator makes one of a new account.
  const city = await newPage(browser, { lang: 'en' });
  const cityEmail = uniqueEmail('city-planner');
  await register(city, { name: 'City Planner', email: cityEmail, password: 'a long enough passphrase' });
  const admin = await newPage(browser, { lang: 'en' });
  await signIn(admin, demoAccount('administrator'));
  await visit(admin, '/admin');
  await admin.fill('#grant_email', cityEmail);
  await admin.selectOption('#grant_role', 'official');
  await admin.fill('#grant_scope', CITY);
  await clickAndWait(admin, admin.locator('#grant-submit'));
  await admin.context().close();
  // The district's own staff cannot consult on their plan; the city's official can.
  assert.equal(await staff.locator('#step-open_consultation').count(), 0);
  await visit(city, planPath);
  await clickAndWait(city, city.locator('#step-open_consultation'));
  // An adjustment needs a comment: refused beside the field, then asked for.
  await clickAndWait(city, city.locator('#step-request_adjustment'));
  assert.equal(await city.locator('#adjust-comment').getAttribute('aria-invalid'), 'true');
  await city.fill('#adjust-comment', 'Add how the lighting will be measured');
  await clickAndWait(city, city.locator('#step-request_adjustment'));
  const { serious } = await seriousA11yViolations(city);
  assert.equal(serious.length, 0, formatViolations('the plan in consultation, as the city sees it', serious));

  // The district revises its evaluation section and resubmits: a second frozen revision.
  await visit(staff, planPath);
  assert.match(await staff.locator('main').innerText(), /Add how the lighting will be measured/);
  await staff.locator('details:has(#section-body-evaluation) summary').click();
  await staff.fill('#section-body-evaluation', 'Night-time lux measured each quarter at ten points');
  await clickAndWait(staff, staff.locator('form[action$="/sections"]:has(#section-body-evaluation) button'));
  await clickAndWait(staff, staff.locator('#step-resubmit'));
  assert.equal(await staff.locator('#plan-revision-count').innerText(), '2');

  // The city approves it with the granted amount.
  await visit(city, planPath);
  await city.fill('#approve-granted', '20,000,000');
  await clickAndWait(city, city.locator('#step-approve'));
  assert.match(await city.locator('#plan-state').innerText(), /Approved/);
  const approved = await (await city.request.get(`/api/v1/plans?scope=${JONGNO}&year=${year}`)).json();
  assert.equal(approved.state, 'approved');
  assert.equal(approved.revisions, 2);
  assert.equal(approved.granted_amount, 20000000);
  assert.deepEqual(city.problems, []);
  await city.context().close();
  await screenshot(staff, `plan-${year}`);
  assert.ok(planPath.startsWith('/plans/'));
  assert.deepEqual(staff.problems, []);
  await staff.context().close();
});

test('a resident hears of a followed item\'s steps, follows another and spreads points in the priority vote', async () => {
  const resident = await newPage(browser, { lang: 'en' });
  await signIn(resident, demoAccount('resident'));
  // The demo resident follows the walking-routes item; the background worker fans its steps out.
  let inbox = '';
  for (let i = 0; i < 20 && !/The agenda item “통학로 보행 안전/.test(inbox); i++) {
    if (i) await resident.waitForTimeout(500);
    await visit(resident, '/notifications');
    inbox = await resident.locator('main').innerText();
  }
  assert.match(inbox, /The agenda item “통학로 보행 안전[^”]*”: referred up to the level above/);
  assert.match(inbox, /: adopted/);

  // Following another item with the button.
  const items = await (await resident.request.get(`/api/v1/agenda-items?scope=${JONGNO}`)).json();
  const open = items.filter((i) => i.state === 'under_deliberation' && i.scope_code === JONGNO);
  assert.ok(open.length >= 2, 'two items on Jongno-gu\'s priority vote');
  await visit(resident, `/agenda-items/${open[0].id}`);
  assert.match(await resident.locator('#follow-button').innerText(), /^Follow$/);
  const count = async () => Number((await resident.locator('#follower-count').innerText()).match(/\d+/)[0]);
  const followers = await count();
  await clickAndWait(resident, resident.locator('#follow-button'));
  assert.match(await resident.locator('#follow-button').innerText(), /Unfollow/);
  assert.equal(await count(), followers + 1);

  // The points ballot, a plain form: 13 of 10 points refused beside the ballot, then counted once.
  await visit(resident, `/scopes/${JONGNO}/agenda-items`);
  assert.match(await resident.locator('#forum-method').innerText(), /Points/);
  await resident.fill(`#points-${open[0].id}`, '8');
  await resident.fill(`#points-${open[1].id}`, '5');
  const refused = await clickAndWait(resident, resident.locator('#forum-submit'));
  assert.equal(refused.status(), 422);
  assert.match(await resident.locator('#ballot-error').innerText(), /at most 10 points/);
  const ballots = async () => Number((await resident.locator('#forum-ballots').innerText()).match(/\d+/)[0]);
  const cast = await ballots();
  await resident.fill(`#points-${open[0].id}`, '8');
  await resident.fill(`#points-${open[1].id}`, '2');
  await clickAndWait(resident, resident.locator('#forum-submit'));
  assert.equal(await resident.locator('#forum-voted').count(), 1);
  assert.equal(await ballots(), cast + 1);
  assert.match(await resident.locator('#forum-result').innerText(), /points/);
  assert.deepEqual(resident.problems, []);
  await resident.context().close();

  // Sajik-dong's vote: its staff make it a points vote (a budget of 1 refused first).
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  await visit(staff, `/scopes/${SAJIK}/agenda-items`);
  await staff.check('#method-points');
  await staff.fill('#forum-points', '1');
  await clickAndWait(staff, staff.locator('#forum-configure-submit'));
  assert.equal(await staff.locator('#forum-points').getAttribute('aria-invalid'), 'true');
  assert.match(await staff.locator('#forum-method').innerText(), /Approval/);
  await staff.check('#method-points');
  await staff.fill('#forum-points', '5');
  await clickAndWait(staff, staff.locator('#forum-configure-submit'));
  assert.match(await staff.locator('#forum-method').innerText(), /Points/);
  assert.deepEqual(staff.problems, []);
  await staff.context().close();
});

test('the staff create a project\'s working group, add a member and record a meeting; the member posts an update', async () => {
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  const plan = await (await staff.request.get(`/api/v1/plans?scope=${JONGNO}&year=2027`)).json();
  await visit(staff, `/plans/${plan.id}`);
  const form = staff.locator('form[action$="/working-group"]').first();
  assert.equal(await form.count(), 1, 'a project without a working group');
  await clickAndWait(staff, form.locator('button'));
  assert.match(await staff.locator('#group-name-error').innerText(), /./, 'a name is required');
  await staff.locator('form[action$="/working-group"] input[name="name"]').first().fill('E2E round tables group');
  await clickAndWait(staff, staff.locator('form[action$="/working-group"] button').first());
  const groupPath = new URL(staff.url()).pathname;
  assert.match(groupPath, /^\/working-groups\/\d+$/);
  await staff.fill('#member-email', 'nobody@example.org');
  await clickAndWait(staff, staff.locator('#member-submit'));
  assert.equal(await staff.locator('#group-alert').count(), 1);
  await staff.fill('#member-email', demoAccount('committee_member').email);
  await staff.selectOption('#member-role', 'resident');
  await clickAndWait(staff, staff.locator('#member-submit'));
  assert.equal(await staff.locator('#group-members li').count(), 1);
  await staff.fill('#meeting-held-at', '2027-04-02T19:00');
  await staff.fill('#meeting-place', 'Jongno-gu Office');
  await clickAndWait(staff, staff.locator('#meeting-submit'));
  assert.equal(await staff.locator('#meeting-minutes').getAttribute('aria-invalid'), 'true');
  await staff.fill('#meeting-held-at', '2027-04-02T19:00');
  await staff.fill('#meeting-minutes', 'Roles shared out.');
  await clickAndWait(staff, staff.locator('#meeting-submit'));
  assert.match(await staff.locator('#group-meetings').innerText(), /Roles shared out/);
  assert.deepEqual(staff.problems, []);
  await staff.context().close();

  const member = await newPage(browser, { lang: 'en' });
  await signIn(member, demoAccount('committee_member'));
  await visit(member, groupPath);
  await member.fill('#update-body', 'First round table booked.');
  await clickAndWait(member, member.locator('#update-submit'));
  assert.match(await member.locator('#group-updates').innerText(), /First round table booked/);
  assert.deepEqual(member.problems, []);
  await member.context().close();
});

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'support_staff', 'committee_member']) {
    test(`axe (${lang}): a working group's page${who ? ` as ${who}` : ''} has no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const plan = await (await page.request.get(`/api/v1/plans?scope=${JONGNO}&year=2027`)).json();
      await visit(page, `/plans/${plan.id}`);
      const group = await page.locator('.project-group a').first().getAttribute('href');
      assert.match(group, /^\/working-groups\/\d+$/);
      await visit(page, group);
      await assertAccessible(page, lang, group);
      await page.context().close();
    });
  }
}

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'support_staff', 'resident']) {
    test(`axe (${lang}): the plan's pages${who ? ` as ${who}` : ''} have no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const plan = await (await page.request.get(`/api/v1/plans?scope=${JONGNO}&year=2027`)).json();
      const items = await (await page.request.get(`/api/v1/agenda-items?scope=${SAJIK}`)).json();
      const up = items.find((i) => i.referrals.some((r) => r.direction === 'up'));
      assert.ok(plan.id && up, 'the demo plan and a referred item exist');
      const paths = [
        `/scopes/${SAJIK}/agenda-items`, `/agenda-items/${up.id}`, `/scopes/${JONGNO}/plans`,
        `/plans/${plan.id}`, `/scopes/${SAJIK}`, `/scopes/${JONGNO}/agenda-items`,
      ];
      if (who) paths.push('/notifications');
      for (const path of paths) {
        await visit(page, path);
        await assertAccessible(page, lang, path);
      }
      await page.context().close();
    });
  }
}
