// Accessibility of the committee pages: axe-core on the scope's committee list, a committee, a call and
// a meeting, as a visitor and as the district's support staff (who see the forms), in Korean and English.
// Any serious or critical violation fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, visit, signIn, demoAccount, JONGNO, assertAccessible,
} from '../lib/harness.js';

const SAJIK = '1111053000';
let browser;
const paths = {};

before(async () => {
  browser = await launch();
  const page = await newPage(browser, { lang: 'en' });
  const governance = (await (await page.request.get(`/api/v1/scopes/${JONGNO}/committees`)).json())
    .find((c) => c.kind === 'district_governance');
  const council = (await (await page.request.get(`/api/v1/scopes/${SAJIK}/committees`)).json())
    .find((c) => c.kind === 'resident_council');
  assert.ok(governance && council, 'the demo committees exist');
  const meetings = await (await page.request.get(`/api/v1/committees/${governance.id}/meetings`)).json();
  assert.ok(meetings.length > 0, 'the demo governance committee has a meeting');
  await visit(page, `/committees/${council.id}`);
  const call = await page.locator('#calls a').first().getAttribute('href');
  assert.ok(call, 'the demo council has a public call');
  Object.assign(paths, {
    list: `/scopes/${JONGNO}/committees`,
    governance: `/committees/${governance.id}`,
    council: `/committees/${council.id}`,
    call,
    meeting: `/meetings/${meetings[0].id}`,
  });
  await page.context().close();
});

after(async () => { await browser?.close(); });

const PAGES = [
  ['committee list', null, 'list'],
  ['committee list (staff form)', 'support_staff', 'list'],
  ['governance committee', null, 'governance'],
  ['governance committee (staff forms)', 'support_staff', 'governance'],
  ['resident council', null, 'council'],
  ['open call', null, 'call'],
  ['open call (staff)', 'support_staff', 'call'],
  ['meeting', null, 'meeting'],
  ['meeting (staff)', 'support_staff', 'meeting'],
];

for (const lang of ['ko', 'en']) {
  for (const [name, who, key] of PAGES) {
    test(`axe (${lang}): ${name}${who ? ` as ${who}` : ''} has no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      await visit(page, paths[key]);
      await assertAccessible(page, lang, name);
      await page.context().close();
    });
  }
}
