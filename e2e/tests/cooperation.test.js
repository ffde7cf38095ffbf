// The platform for citizen cooperation end to end: the demo resident joins an organization found through
// the directory's field filter, requests a room that the platform's staff approve, enrols in the budget
// school, is marked present by the staff until the completion rule is met and gets a certificate, and
// applies for the open small-grants call. Then axe-core on every new page, in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, JONGNO, screenshot, assertAccessible,
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

test('a resident joins an organization, books a room, completes the budget school and applies for a grant', async () => {
  const resident = await newPage(browser, { lang: 'en' });
  await signIn(resident, demoAccount('resident'));
  const staff = await newPage(browser, { lang: 'en' });
  await signIn(staff, demoAccount('support_staff'));

  // The directory, filtered by field; the resident joins the environmental group.
  await visit(resident, `/scopes/${JONGNO}/organizations?field=environment`);
  await clickAndWait(resident, resident.locator('#org-list a').first());
  await clickAndWait(resident, resident.locator('#org-join'));
  assert.equal(await resident.locator('#org-leave').count(), 1);
  assert.match(await resident.locator('#member-list').innerText(), /김주민/);

  // A room request, pending until the owner's staff approve it.
  const resources = await (await resident.request.get(`/api/v1/resources?scope=${JONGNO}`)).json();
  const room = resources.find((r) => r.kind === 'space' && r.opening_hours === '09:00-22:00');
  await visit(resident, `/resources/${room.id}`);
  const day = 20 + (Date.now() % 30);
  await resident.fill('#booking-start', seoulInput(day, 10));
  await resident.fill('#booking-end', seoulInput(day, 12));
  await resident.fill('#booking-purpose', 'E2E neighbours meeting');
  await clickAndWait(resident, resident.locator('#booking-submit'));
  const row = resident.locator('#booking-table tr', { hasText: 'E2E neighbours meeting' });
  assert.match(await row.locator('.booking-state').innerText(), /pending/);
  await visit(staff, `/resources/${room.id}`);
  const staffRow = staff.locator('#booking-table tr', { hasText: 'E2E neighbours meeting' });
  await clickAndWait(staff, staffRow.locator('button', { hasText: 'Approve' }));
  assert.match(await staffRow.locator('.booking-state').innerText(), /approved/);
  const bookings = await (await resident.request.get(`/api/v1/resources/${room.id}/bookings`)).json();
  assert.ok(bookings.some((b) => b.purpose === 'E2E neighbours meeting' && b.state === 'approved'));

  // The budget school: enrol, attendance by staff until the rule is met, then the certificate.
  const programs = await (await resident.request.get(`/api/v1/programs?scope=${JONGNO}`)).json();
  const school = programs.find((p) => p.kind === 'budget_school');
  await visit(resident, `/programs/${school.id}`);
  await clickAndWait(resident, resident.locator('#program-enrol'));
  assert.match(await resident.locator('#my-enrolment').innerText(), /enrolled/);
  await visit(staff, `/programs/${school.id}`);
  const sessions = await staff.locator('#attendance-session option').evaluateAll((os) => os.map((o) => o.value));
  for (const session of sessions.slice(0, school.sessions_required)) {
    await staff.selectOption('#attendance-session', session);
    await staff.locator('label', { hasText: '김주민' }).click();
    await clickAndWait(staff, staff.locator('#attendance-submit'));
  }
  await visit(resident, `/programs/${school.id}`);
  assert.match(await resident.locator('#my-enrolment').innerText(), /completed/);
  await clickAndWait(resident, resident.locator('#my-certificate'));
  assert.match(await resident.locator('#certificate-text').innerText(), /김주민/);
  await screenshot(resident, 'cooperation-certificate');

  // The open small-grants call: a refused amount first, then the application.
  const calls = await (await resident.request.get(`/api/v1/grant-calls?scope=${JONGNO}`)).json();
  const open = calls.find((c) => c.state === 'open');
  await visit(resident, `/grants/${open.id}`);
  await resident.fill('#apply-title-input', 'E2E alley garden');
  await resident.fill('#apply-amount', String(open.budget + 1));
  await clickAndWait(resident, resident.locator('#apply-submit'));
  assert.equal(await resident.locator('#apply-amount').getAttribute('aria-invalid'), 'true');
  await resident.fill('#apply-title-input', 'E2E alley garden');
  await resident.fill('#apply-amount', '800000');
  await resident.fill('#apply-plan', 'Twenty planters along the alley.');
  await clickAndWait(resident, resident.locator('#apply-submit'));
  assert.match(await resident.locator('#application-table').innerText(), /E2E alley garden/);

  assert.deepEqual(resident.problems, []);
  assert.deepEqual(staff.problems, []);
  await resident.context().close();
  await staff.context().close();
});

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'support_staff']) {
    test(`axe (${lang}): the cooperation pages${who ? ` as ${who}` : ''} have no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const orgs = await (await page.request.get(`/api/v1/organizations?scope=${JONGNO}`)).json();
      const resources = await (await page.request.get(`/api/v1/resources?scope=${JONGNO}`)).json();
      const programs = await (await page.request.get(`/api/v1/programs?scope=${JONGNO}`)).json();
      const calls = await (await page.request.get(`/api/v1/grant-calls?scope=${JONGNO}`)).json();
      const published = calls.find((c) => c.state === 'published');
      assert.ok(orgs.length >= 5 && resources.length >= 2 && programs.length && published, 'the demo network');
      for (const path of [
        `/scopes/${JONGNO}/cooperation`, `/scopes/${JONGNO}/organizations`, `/organizations/${orgs[0].id}`,
        `/scopes/${JONGNO}/resources`, `/resources/${resources[0].id}`, `/scopes/${JONGNO}/programs`,
        `/programs/${programs[0].id}`, `/scopes/${JONGNO}/grants`, `/grants/${published.id}`,
        `/grants/${calls.find((c) => c.state === 'open').id}`, `/scopes/${JONGNO}`,
      ]) {
        await visit(page, path);
        await assertAccessible(page, lang, path);
      }
      await page.context().close();
    });
  }
}
