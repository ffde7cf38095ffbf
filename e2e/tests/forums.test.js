// Forums end to end: two residents of Jongno-gu (the demo resident of Cheongunhyojadong and the committee
// member living in Sajik-dong) vote on the demo conversation one statement at a time, with the plain
// forms (no JavaScript needed); the map page then shows the groups, the reader's own position and the
// text alternative, and the map follows the votes (the background worker). Then axe-core on the new
// pages (a scope's conversations, a conversation, its map) in Korean and English, anonymous and signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, JONGNO, assertAccessible,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function demoConversation(page) {
  const list = await (await page.request.get(`/api/v1/conversations?scope=${JONGNO}`)).json();
  const open = list.find((c) => c.state === 'open');
  assert.ok(open, 'the demo has an open conversation');
  return open.id;
}

test('residents vote one statement at a time and the map page shows the groups', async () => {
  let id;
  let votesBefore;
  for (const role of ['resident', 'committee_member']) {
    const page = await newPage(browser, { lang: 'en' });
    await signIn(page, demoAccount(role));
    id ??= await demoConversation(page);
    votesBefore ??= (await (await page.request.get(`/api/v1/conversations/${id}/map`)).json()).participants;
    await visit(page, `/conversations/${id}`);
    const seen = new Set();
    for (let i = 0; i < 8; i += 1) {
      const statement = await page.locator('form.vote-form input[name="statement"]').getAttribute('value');
      assert.ok(!seen.has(statement), 'a statement is offered once');
      seen.add(statement);
      const button = ['#vote-agree', '#vote-disagree', '#vote-agree', '#vote-pass'][i % 4];
      await clickAndWait(page, page.locator(button));
      assert.match(await page.locator('.notice-ok').innerText(), /Vote recorded/);
    }
    assert.match(await page.locator('#next').locator('xpath=..').innerText(), /answered 8 statements/);
    await page.context().close();
  }

  // The worker updates the map within a few seconds: two more participants.
  const page = await newPage(browser, { lang: 'ko' });
  await signIn(page, demoAccount('resident'));
  let map;
  for (let tries = 0; tries < 40; tries += 1) {
    map = await (await page.request.get(`/api/v1/conversations/${id}/map`)).json();
    if (map.participants >= votesBefore + 2) break;
    await page.waitForTimeout(250);
  }
  assert.ok(map.participants >= votesBefore + 2, `the map follows the votes (${map.participants})`);
  assert.ok(map.k >= 2 && map.groups.length === map.k);
  await visit(page, `/conversations/${id}/map`);
  assert.equal(await page.locator('figure.opinion-map svg[role="img"]').count(), 1);
  assert.ok(await page.locator('#map-groups h3').count() >= 2, 'groups listed in the text alternative');
  assert.match(await page.locator('#my-position').innerText(), /그룹|투표/);
  assert.match(await page.locator('#map-groups').innerText(), /그룹 A/);
  await page.context().close();
});

for (const lang of ['ko', 'en']) {
  for (const who of [null, 'resident', 'support_staff']) {
    test(`axe (${lang}): the forums' pages${who ? ` as ${who}` : ''} have no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      const id = await demoConversation(page);
      for (const path of [`/scopes/${JONGNO}/conversations`, `/conversations/${id}`, `/conversations/${id}/map`]) {
        await visit(page, path);
        await assertAccessible(page, lang, path);
      }
      await page.context().close();
    });
  }
}
