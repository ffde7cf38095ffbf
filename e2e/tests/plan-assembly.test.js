// The residents' general assembly end to end (issue 13, workflow 8), in Korean and in English: Sajik-dong's
// staff create an assembly and put a screened item on its agenda; the district's official fixes the agenda;
// a resident pre-votes online (the demo member), staff enter a paper pre-vote, record a resident's
// attendance and her on-site vote; every second vote — online twice, a paper or on-site ballot for someone
// who voted — is refused and changes nothing; the published result adds the on-site votes to the pre-votes.
// axe-core checks every assembly page at every stage (list, assembly page with the staff's forms, the
// resident's ballot, the published result), and the demo's assemblies as a visitor, the member and staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, assertAccessible,
} from '../lib/harness.js';

const SAJIK = '1111053000';
// Seeded Sajik-dong residents of the demo (verified; they cannot sign in).
const PAPER_VOTER = 'sajik1@seed.maeul.kr';
const ON_SITE_VOTER = 'sajik2@seed.maeul.kr';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const assemblyJson = async (page, id) => {
  const list = await (await page.request.get(`/api/v1/assemblies?scope=${SAJIK}`)).json();
  return list.find((a) => a.id === id);
};

const stepButton = (page, event) => page.locator(`#assembly-step-${event}`);

/** Staff enter a ballot (paper while pre-voting, on site in session) for `voter`: `choice` on `item`. */
async function enter(page, voter, item, choice) {
  await page.fill('#entry-voter', voter);
  await page.selectOption(`#entry-choice-${item}`, choice);
  return clickAndWait(page, page.locator('#entry-submit'));
}

// Distinct years per language and run: one assembly per neighbourhood and year.
const baseYear = 2040 + (Date.now() % 25) * 2;

for (const [n, lang] of ['ko', 'en'].entries()) {
  test(`an assembly's pre-votes and on-site votes give its published result, once per resident (${lang})`, async () => {
    const year = String(baseYear + n);
    const staff = await newPage(browser, { lang });
    await signIn(staff, demoAccount('support_staff'));

    // A screened item Sajik-dong holds.
    const title = `E2E assembly item ${lang} ${Date.now() % 100000}`;
    await visit(staff, `/scopes/${SAJIK}/agenda-items`);
    await staff.fill('#item-title', title);
    await clickAndWait(staff, staff.locator('#item-submit'));
    const item = new URL(staff.url()).pathname.split('/').pop();
    await clickAndWait(staff, staff.locator('#step-accept'));

    // The assembly: bad input first (field-level messages, nothing created).
    await visit(staff, `/scopes/${SAJIK}/assemblies`);
    await assertAccessible(staff, lang, 'assemblies, staff');
    const before = (await (await staff.request.get(`/api/v1/assemblies?scope=${SAJIK}`)).json()).length;
    await staff.fill('#assembly-year', '20x1');
    await clickAndWait(staff, staff.locator('#assembly-submit'));
    assert.equal(await staff.locator('#assembly-year').getAttribute('aria-invalid'), 'true');
    assert.equal(await staff.locator('#assembly-title').getAttribute('aria-invalid'), 'true');
    await assertAccessible(staff, lang, 'assemblies with errors');
    assert.equal((await (await staff.request.get(`/api/v1/assemblies?scope=${SAJIK}`)).json()).length, before);
    await staff.fill('#assembly-year', year);
    await staff.fill('#assembly-title', `E2E ${year} assembly`);
    await staff.fill('#assembly-held-at', `${year}-03-18T14:00`);
    await staff.fill('#assembly-place', 'Sajik-dong community centre');
    await clickAndWait(staff, staff.locator('#assembly-submit'));
    const path = new URL(staff.url()).pathname;
    assert.match(path, /^\/assemblies\/\d+$/);
    const id = Number(path.split('/').pop());

    // The agenda, submitted for the district's pre-consultation.
    await staff.selectOption('#agenda-item', item);
    await clickAndWait(staff, staff.locator('#agenda-add'));
    assert.equal(await staff.locator(`#agenda-${item}`).count(), 1);
    await assertAccessible(staff, lang, 'assembly while drafting, staff');
    await clickAndWait(staff, stepButton(staff, 'submit_agenda'));
    // Only the district's official fixes it: the staff have no such step.
    assert.equal(await stepButton(staff, 'fix_agenda').count(), 0);
    const official = await newPage(browser, { lang });
    await signIn(official, demoAccount('official'));
    await visit(official, path);
    await assertAccessible(official, lang, 'assembly in pre-consultation, official');
    await clickAndWait(official, stepButton(official, 'fix_agenda'));
    await official.context().close();
    await visit(staff, path);
    await clickAndWait(staff, stepButton(staff, 'open_pre_voting'));

    // Online pre-vote by the demo member, a Sajik-dong resident: once.
    const member = await newPage(browser, { lang });
    await signIn(member, demoAccount('committee_member'));
    await visit(member, path);
    await assertAccessible(member, lang, 'assembly ballot, resident');
    await member.selectOption(`#choice-${item}`, 'yes');
    await member.fill(`#pref-${item}`, '1');
    await clickAndWait(member, member.locator('#assembly-vote-submit'));
    assert.equal(await member.locator('#assembly-voted').count(), 1);
    assert.equal(await member.locator('#assembly-vote-submit').count(), 0, 'no second ballot form');
    await assertAccessible(member, lang, 'assembly after voting, resident');
    // A second online ballot, posted anyway, is refused.
    const csrf = await member.locator('input[name="_csrf"]').first().getAttribute('value');
    const again = await member.request.post(`${path}/ballot`, {
      form: { _csrf: csrf, [`choice-${item}`]: 'no' },
      headers: { origin: new URL(member.url()).origin },
    });
    assert.equal(again.status(), 409);

    // Paper pre-votes entered by staff: the member's is refused (she voted online), a neighbour's counts.
    await visit(staff, path);
    await assertAccessible(staff, lang, 'assembly in pre-voting, staff');
    const memberEmail = demoAccount('committee_member').email;
    assert.equal((await enter(staff, memberEmail, item, 'no')).status(), 409);
    assert.equal((await enter(staff, PAPER_VOTER, item, 'no')).status(), 200);
    assert.equal((await enter(staff, PAPER_VOTER, item, 'yes')).status(), 409, 'one paper ballot each');

    // The session: attendance, then an on-site vote; pre-voters cannot vote again on site.
    await visit(staff, path);
    await clickAndWait(staff, stepButton(staff, 'open_session'));
    await staff.fill('#attend-voter', 'nobody@example.org');
    assert.equal((await clickAndWait(staff, staff.locator('#attend-submit'))).status(), 422);
    assert.equal(await staff.locator('#assembly-alert').count(), 1, 'an unknown e-mail is refused');
    await staff.fill('#attend-voter', ON_SITE_VOTER);
    await clickAndWait(staff, staff.locator('#attend-submit'));
    await staff.fill('#attend-voter', PAPER_VOTER);
    await clickAndWait(staff, staff.locator('#attend-submit'));
    await assertAccessible(staff, lang, 'assembly in session, staff');
    assert.equal((await enter(staff, ON_SITE_VOTER, item, 'yes')).status(), 200);
    assert.equal((await enter(staff, ON_SITE_VOTER, item, 'no')).status(), 409);
    assert.equal((await enter(staff, PAPER_VOTER, item, 'yes')).status(), 409);

    // Before publication nobody reads per-item results; then the result is the sum.
    assert.equal((await assemblyJson(staff, id)).agenda[0].pre_yes, null);
    await visit(staff, path);
    await clickAndWait(staff, stepButton(staff, 'publish_results'));
    const published = await assemblyJson(staff, id);
    assert.equal(published.state, 'results_published');
    assert.deepEqual(
      [published.ballots_online, published.ballots_paper, published.ballots_on_site],
      [1, 1, 1],
    );
    const r = published.agenda[0];
    assert.deepEqual([r.pre_yes, r.pre_no, r.on_site_yes, r.on_site_no, r.passed], [1, 1, 1, 0, true]);

    const visitor = await newPage(browser, { lang });
    await visit(visitor, path);
    assert.equal(await visitor.locator(`#agenda-${item} .result-total`).innerText(), '2 / 1');
    await assertAccessible(visitor, lang, 'published assembly, visitor');
    for (const p of [staff, member, visitor]) {
      assert.deepEqual(p.problems, []);
      await p.context().close();
    }
  });
}

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'committee_member', 'support_staff']) {
    test(`axe (${lang}): the demo's assembly pages${who ? ` as ${who}` : ''} have no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const list = await (await page.request.get(`/api/v1/assemblies?scope=${SAJIK}`)).json();
      const demo = list.find((a) => a.year === 2027);
      assert.ok(demo, 'the demo has Sajik-dong\'s 2027 assembly');
      for (const path of [`/scopes/${SAJIK}/assemblies`, `/assemblies/${demo.id}`]) {
        await visit(page, path);
        await assertAccessible(page, lang, `${path}${who ? ` as ${who}` : ''}`);
      }
      await page.context().close();
    });
  }
}
