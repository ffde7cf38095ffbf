// The cooperation platform's network end to end: the demo resident joins the organization of an awarded
// grant, records it as a partner of one of Jongno-gu's agenda items, announces a networking meeting for
// it, reports progress on the award's tracked project (the staff verify it on the project's page), and
// finds all of it in the platform page's feed. Then axe-core on the new pages, in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, JONGNO, assertAccessible,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** `YYYY-MM-DDTHH:MM` in Seoul, `days` from today at `hour`, as a datetime-local input takes it. */
function seoulInput(days, hour) {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour));
  return d.toISOString().slice(0, 16);
}

/** The published call and an award of an organization, tracked as a project. */
async function trackedAward(page) {
  const calls = await (await page.request.get(`/api/v1/grant-calls?scope=${JONGNO}`)).json();
  const call = calls.find((c) => c.state === 'published');
  const award = call.results.find((r) => r.awarded && r.organization_id && r.tracked_project_id);
  assert.ok(award, 'an organization\'s award tracked as a project');
  return { call, award };
}

test('a member records a partnership, announces an event and reports on a grant the staff verify', async () => {
  const resident = await newPage(browser, { lang: 'en' });
  await signIn(resident, demoAccount('resident'));
  const { call, award } = await trackedAward(resident);
  const org = award.organization_id;

  // Join the organization; a member records it as partner of an agenda item.
  await visit(resident, `/organizations/${org}`);
  if (await resident.locator('#org-join').count()) await clickAndWait(resident, resident.locator('#org-join'));
  const items = await (await resident.request.get(`/api/v1/agenda-items?scope=${JONGNO}`)).json();
  assert.ok(items.length, 'Jongno-gu has agenda items');
  await resident.selectOption('#partner-kind', 'agenda_item');
  await resident.fill('#partner-id', '999999');
  await clickAndWait(resident, resident.locator('#partner-submit'));
  assert.equal(await resident.locator('#partner-id').getAttribute('aria-invalid'), 'true');
  await resident.selectOption('#partner-kind', 'agenda_item');
  await resident.fill('#partner-id', String(items[0].id));
  await clickAndWait(resident, resident.locator('#partner-submit'));
  assert.match(await resident.locator('#org-links').innerText(), /Partner/);

  // A networking meeting announced for the organization.
  await visit(resident, `/scopes/${JONGNO}/events`);
  await resident.selectOption('#event-kind', 'networking');
  await resident.fill('#event-title', 'E2E neighbours networking');
  await resident.fill('#event-starts', seoulInput(9, 18));
  await resident.fill('#event-ends', seoulInput(9, 20));
  await resident.fill('#event-place', 'Sajik-dong centre');
  await resident.selectOption('#event-organization', String(org));
  await clickAndWait(resident, resident.locator('#event-submit'));
  assert.match(await resident.locator('#upcoming-events').innerText(), /E2E neighbours networking/);

  // A report on the award's tracked project, verified by the staff.
  await visit(resident, `/grants/${call.id}`);
  await resident.fill(`#report-body-${award.application_id}`, 'E2E: the second half of the activities is done.');
  await resident.fill(`#report-progress-${award.application_id}`, '90');
  await clickAndWait(resident, resident.locator(`#report-submit-${award.application_id}`));
  assert.equal(await resident.locator('.notice-ok').count(), 1);
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));
  await visit(staff, `/tracked-projects/${award.tracked_project_id}`);
  assert.match(await staff.locator('main').innerText(), /E2E: the second half/);

  // The platform page's feed shows the network at work.
  await visit(resident, `/scopes/${JONGNO}/cooperation`);
  const feed = await resident.locator('#network-feed').innerText();
  assert.match(feed, /E2E neighbours networking/);
  assert.match(feed, /Taking part/);
  const figures = await (await resident.request.get(`/scopes/${JONGNO}/cooperation/figures.json`)).json();
  assert.ok(figures.events >= 4 && figures.organizations_active >= 1, JSON.stringify(figures));

  assert.deepEqual(resident.problems, []);
  assert.deepEqual(staff.problems, []);
  await resident.context().close();
  await staff.context().close();
});

for (const lang of ['ko', 'en']) {
  test(`axe (${lang}): the network's pages have no serious or critical violations`, async () => {
    const page = await newPage(browser, { lang });
    await signIn(page, demoAccount('resident'));
    const { call, award } = await trackedAward(page);
    for (const path of [
      `/scopes/${JONGNO}/cooperation`, `/scopes/${JONGNO}/events`, `/organizations/${award.organization_id}`,
      `/grants/${call.id}`, `/scopes/${JONGNO}/proposals/new`,
    ]) {
      await visit(page, path);
      await assertAccessible(page, lang, path);
    }
    await page.context().close();
  });
}
