// The innovation plan end to end: an item found in Sajik-dong is screened there, referred up to Jongno-gu
// with a reason, accepted by the district, deliberated, prioritised and adopted by a carried motion of the
// district's governance committee (chosen in the form); its page shows the whole path; it becomes a
// project of a new yearly plan that the committee resolves and the district submits. Then axe-core on
// every new page (items, an item, plans, a plan, the scope page's plan section), in Korean and English.
// (The city's consultation and approval are covered by the server suite: the demo has no city official.)
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
  await screenshot(staff, `plan-${year}`);
  assert.ok(planPath.startsWith('/plans/'));
  assert.deepEqual(staff.problems, []);
  await staff.context().close();
});

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'support_staff']) {
    test(`axe (${lang}): the plan's pages${who ? ` as ${who}` : ''} have no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const plan = await (await page.request.get(`/api/v1/plans?scope=${JONGNO}&year=2027`)).json();
      const items = await (await page.request.get(`/api/v1/agenda-items?scope=${SAJIK}`)).json();
      const up = items.find((i) => i.referrals.some((r) => r.direction === 'up'));
      assert.ok(plan.id && up, 'the demo plan and a referred item exist');
      for (const path of [
        `/scopes/${SAJIK}/agenda-items`, `/agenda-items/${up.id}`, `/scopes/${JONGNO}/plans`,
        `/plans/${plan.id}`, `/scopes/${SAJIK}`,
      ]) {
        await visit(page, path);
        assert.equal(await htmlLang(page), lang);
        const { serious } = await seriousA11yViolations(page);
        assert.equal(serious.length, 0, formatViolations(`${path} (${lang})`, serious));
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
}
