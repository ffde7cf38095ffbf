// The public sphere in the browser: a resident drafts and submits a proposal, a moderator accepts it,
// 50 residents support it (49 seeded with `maeul demo-supporters`, the 50th through the page), the
// department's official answers it, and the author sees the notification. Search finds it by a
// two-syllable Korean fragment; debates take positions; reports reach moderators; bad input is refused
// with a clear message and changes nothing; the pages pass axe-core in Korean and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  launch, newPage, visit, clickAndWait, signIn, demoAccount, pathOf, JONGNO,
  seriousA11yViolations, formatViolations, screenshot,
} from '../lib/harness.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A title no other run shares, with a Korean word to search for by two of its syllables.
const stamp = Date.now().toString(36).slice(-5);
const WORD = '해바라기정원';
const TITLE = `청운동 ${WORD} 가꾸기 ${stamp}`;
let proposalPath;

/** Adds verified demo supporters through the server's own binary (same database as the server). */
function seedSupporters(id, count) {
  const bin = process.env.MAEUL_BIN;
  const database = process.env.MAEUL_DATABASE_URL;
  assert.ok(bin && database, 'MAEUL_BIN and MAEUL_DATABASE_URL are set by scripts/e2e.sh');
  const out = execFileSync(bin, ['demo-supporters', '--database', database, '--proposal', String(id), '--count', String(count)], { encoding: 'utf8' });
  assert.match(out, new RegExp(`now has ${count} supporters`));
}

/** Reloads until `predicate` holds (the background worker runs every second). */
async function eventually(page, url, predicate, what) {
  for (let i = 0; i < 20; i += 1) {
    await visit(page, url);
    if (await predicate()) return;
    await page.waitForTimeout(500);
  }
  assert.fail(`${what} did not happen within 10 s on ${url}`);
}

test('a proposal goes from draft to an official answer, and its author is notified', async () => {
  const resident = await newPage(browser, { lang: 'ko' });
  await signIn(resident, demoAccount('resident'));
  await visit(resident, `/scopes/${JONGNO}/proposals/new`);
  await resident.fill('#title', TITLE);
  await resident.selectOption('#category', 'environment');
  await resident.fill('#location', '청운동 주민센터 옆 공터');
  await resident.fill('#body', '빈터에 **해바라기**를 심어 함께 가꾸면 좋겠습니다.');
  await clickAndWait(resident, resident.locator('button[name="submit"][value="draft"]'));
  assert.match(pathOf(resident), /^\/proposals\/\d+$/);
  proposalPath = pathOf(resident);
  const id = Number(proposalPath.split('/').pop());
  assert.equal(await resident.locator('#proposal-state').innerText(), '임시 저장');
  assert.match(await resident.locator('#proposal-location').innerText(), /주민센터 옆 공터/);

  // A draft is private and not in the moderators' queue until its author submits it.
  const anonymous = await newPage(browser, { lang: 'ko' });
  await visit(anonymous, proposalPath, 404);
  const moderator = await newPage(browser, { lang: 'ko' });
  await signIn(moderator, demoAccount('moderator'));
  await visit(moderator, '/moderation');
  assert.equal(await moderator.locator('a', { hasText: TITLE }).count(), 0, 'drafts are not in the queue');
  await clickAndWait(resident, resident.locator('#submit-draft'));
  assert.equal(await resident.locator('#proposal-state').innerText(), '검토 대기');
  await visit(anonymous, proposalPath, 404);

  await visit(moderator, '/moderation');
  await clickAndWait(moderator, moderator.locator('a', { hasText: TITLE }));
  await clickAndWait(moderator, moderator.locator('#accept-button'));
  assert.equal(await moderator.locator('#proposal-state').innerText(), '공감 모집 중');
  await visit(anonymous, proposalPath);

  // 49 seeded supporters, then the resident is the 50th through the page: the department now owes an answer.
  seedSupporters(id, 49);
  await visit(resident, proposalPath);
  assert.equal(await resident.locator('#support-count').getAttribute('data-count'), '49');
  await clickAndWait(resident, resident.locator('#support-button'));
  assert.equal(await resident.locator('#support-count').getAttribute('data-count'), '50');
  assert.ok(await resident.locator('#withdraw-button').isVisible(), 'the button now withdraws');
  assert.match(await resident.locator('#obligations-title').innerText(), /답변/);

  // The Jongno-gu official answers for the department.
  const official = await newPage(browser, { lang: 'ko' });
  await signIn(official, demoAccount('official'));
  await visit(official, proposalPath);
  await official.selectOption('#responder', 'department');
  await official.fill('#answer-body', '내년 봄에 구청이 씨앗과 흙을 지원하겠습니다.');
  await clickAndWait(official, official.locator('#answer-submit'));
  assert.equal(await official.locator('#proposal-state').innerText(), '답변 완료');

  // The author sees the notification (unread badge in the header), opens it and lands on the answer. The demo
  // city answers other proposals of this resident too: pick the one about this proposal.
  const answerNotice = () => resident.locator('#notifications li', { hasText: '공식 답변' }).filter({ hasText: TITLE });
  await eventually(resident, '/notifications', async () => (await answerNotice().count()) > 0,
    'the answer notification');
  assert.ok(Number(await resident.locator('#unread-count').innerText()) >= 1, 'unread count in the header');
  await clickAndWait(resident, answerNotice().locator('button'));
  assert.equal(pathOf(resident), proposalPath);
  assert.match(await resident.locator('#answers-title').innerText(), /공식 답변/);
  await screenshot(resident, 'proposal-answered-ko');
  for (const p of [resident, anonymous, moderator, official]) await p.context().close();
});

test('search finds the proposal by a two-syllable Korean fragment, in both languages', async () => {
  const page = await newPage(browser, { lang: 'ko' });
  await visit(page, '/search');
  await page.fill('#q', WORD.slice(2, 4)); // "라기": the middle of a word, no whitespace boundary
  await clickAndWait(page, page.locator('#search-submit'));
  assert.ok(await page.locator('main a', { hasText: TITLE }).count() >= 1, `"${WORD.slice(2, 4)}" finds ${TITLE}`);
  await visit(page, `/search?q=${encodeURIComponent('정원 가꾸')}&sort=supported`);
  assert.ok(await page.locator('main a', { hasText: TITLE }).count() >= 1);
  await page.context().close();
  const en = await newPage(browser, { lang: 'en' });
  await visit(en, `/search?q=${encodeURIComponent(WORD.slice(0, 2))}`);
  assert.equal(await en.locator('h2#results-title').innerText(), 'Results');
  assert.ok(await en.locator('main a', { hasText: TITLE }).count() >= 1);
  await en.context().close();
});

test('bad input: a too-long title and script tags are handled; support needs residence and counts once', async () => {
  const resident = await newPage(browser, { lang: 'en' });
  await signIn(resident, demoAccount('resident'));
  await visit(resident, `/scopes/${JONGNO}/proposals/new`);
  await resident.evaluate(() => document.querySelector('#title').removeAttribute('maxlength'));
  await resident.fill('#title', 'x'.repeat(121));
  await resident.fill('#body', 'body');
  const response = await clickAndWait(resident, resident.locator('#proposal-submit'));
  assert.equal(response.status(), 422);
  assert.equal(await resident.locator('#title').getAttribute('aria-invalid'), 'true');
  assert.match(await resident.locator('#title-error').innerText(), /at most 120/);
  assert.equal(await resident.locator('#body').inputValue(), 'body', 'what was typed is kept');

  // Script tags are shown as text, never run.
  let dialogs = 0;
  resident.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await visit(resident, `/scopes/${JONGNO}/proposals/new`);
  await resident.fill('#title', `<script>alert(1)</script> ${stamp}`);
  await resident.fill('#body', '<script>alert(2)</script><img src=x onerror=alert(3)>');
  await clickAndWait(resident, resident.locator('#proposal-submit'));
  assert.equal(dialogs, 0);
  assert.match(await resident.locator('h1').innerText(), /<script>alert\(1\)<\/script>/);
  assert.equal(await resident.locator('article.proposal img').count(), 0);
  assert.deepEqual(resident.problems, []);

  // Support twice: the second POST (forged, the button is gone) changes nothing. A fresh proposal,
  // accepted by the moderator, collects support.
  await visit(resident, `/scopes/${JONGNO}/proposals/new`);
  await resident.fill('#title', `Support me once ${stamp}`);
  await resident.fill('#body', 'Counting.');
  await clickAndWait(resident, resident.locator('#proposal-submit'));
  const collectingPath = pathOf(resident);
  const moderator = await newPage(browser, { lang: 'en' });
  await signIn(moderator, demoAccount('moderator'));
  await visit(moderator, collectingPath);
  await clickAndWait(moderator, moderator.locator('#accept-button'));
  await moderator.context().close();
  await visit(resident, collectingPath);
  await clickAndWait(resident, resident.locator('#support-button'));
  const before = await resident.locator('#support-count').getAttribute('data-count');
  const csrf = await resident.locator('input[name="_csrf"]').first().inputValue();
  const again = await resident.request.post(`${collectingPath}/support`, { form: { _csrf: csrf }, maxRedirects: 0 });
  assert.equal(again.status(), 303);
  assert.match(again.headers().location, /notice-already-supported/);
  await visit(resident, collectingPath);
  assert.equal(await resident.locator('#support-count').getAttribute('data-count'), before);

  // Someone without a verified residence sees why they cannot support, and a forced POST is refused.
  const official = await newPage(browser, { lang: 'en' });
  await signIn(official, demoAccount('official'));
  await visit(official, collectingPath);
  assert.equal(await official.locator('#support-button').count(), 0);
  const token = await official.locator('input[name="_csrf"]').first().inputValue();
  const forced = await official.request.post(`${collectingPath}/support`, { form: { _csrf: token }, maxRedirects: 0 });
  assert.equal(forced.status(), 403);
  await visit(official, collectingPath);
  assert.equal(await official.locator('#support-count').getAttribute('data-count'), before);
  await official.context().close();
  await resident.context().close();
});

test('bad input: an oversized or disguised attachment is refused with a message and nothing is stored', async () => {
  const resident = await newPage(browser, { lang: 'en' });
  await signIn(resident, demoAccount('resident'));
  await visit(resident, `/scopes/${JONGNO}/proposals/new`);
  await resident.fill('#title', `With attachments ${stamp}`);
  await resident.fill('#body', 'See the plan.');
  await clickAndWait(resident, resident.locator('button[name="submit"][value="draft"]'));
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.4');
  await resident.setInputFiles('#attachment-file', { name: 'plan.pdf', mimeType: 'application/pdf', buffer: big });
  await clickAndWait(resident, resident.locator('#attachment-submit'));
  assert.match(await resident.locator('#attachment-error').innerText(), /too large: at most 5 MB/);
  await resident.setInputFiles('#attachment-file', { name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script>') });
  await clickAndWait(resident, resident.locator('#attachment-submit'));
  assert.match(await resident.locator('#attachment-error').innerText(), /Only PDF, PNG and JPEG/);
  assert.equal(await resident.locator('#attachments a[download]').count(), 0, 'nothing stored');
  await resident.setInputFiles('#attachment-file', { name: '배치도.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 a real plan') });
  await clickAndWait(resident, resident.locator('#attachment-submit'));
  assert.equal(await resident.locator('#attachments a[download]').innerText(), '배치도.pdf');
  await resident.context().close();
});

test('a debate takes positions; a reported comment is hidden by a moderator and logged', async () => {
  const resident = await newPage(browser, { lang: 'ko' });
  await signIn(resident, demoAccount('resident'));
  await visit(resident, `/scopes/${JONGNO}/debates/new`);
  await resident.fill('#title', `골목 주차 허용할까요 ${stamp}`);
  await resident.fill('#body', '저녁 시간에만 허용하자는 의견이 있습니다.');
  await clickAndWait(resident, resident.locator('#proposal-submit'));
  assert.match(pathOf(resident), /^\/debates\/\d+$/);
  const debatePath = pathOf(resident);
  const member = await newPage(browser, { lang: 'ko' });
  await signIn(member, demoAccount('committee_member'));
  await visit(member, debatePath);
  await member.check('#position-against');
  await member.fill('#comment-body', `보행이 위험해집니다 ${stamp}`);
  await clickAndWait(member, member.locator('#comment-submit'));
  assert.match(await member.locator('.support-box').innerText(), /반대 1/);
  // The resident reports the comment; the moderator hides it from the queue with a reason.
  await visit(resident, debatePath);
  const comment = resident.locator('li.comment', { hasText: `보행이 위험해집니다 ${stamp}` });
  await comment.locator('details.report summary, details summary', { hasText: '신고' }).first().click();
  await comment.locator('select[name="reason"]').selectOption('off-topic');
  await clickAndWait(resident, comment.locator('form[action="/reports"] button'));
  assert.match(await resident.locator('[role="status"]').first().innerText(), /신고를 검토/);
  const moderator = await newPage(browser, { lang: 'ko' });
  await signIn(moderator, demoAccount('moderator'));
  await visit(moderator, '/moderation');
  const item = moderator.locator('#reports li.report-item', { hasText: `보행이 위험해집니다 ${stamp}` });
  await item.locator('input[name="reason"]').fill('주제와 무관');
  await clickAndWait(moderator, item.locator('button', { hasText: '숨기기' }));
  assert.match(await moderator.locator('#moderation-log').innerText(), /한운영[\s\S]*숨김[\s\S]*주제와 무관/);
  await visit(resident, debatePath);
  assert.match(await resident.locator('main').innerText(), /운영자가 숨긴 댓글입니다/);
  await visit(member, debatePath);
  assert.match(await member.locator('main').innerText(), new RegExp(`보행이 위험해집니다 ${stamp}`), 'its author still sees it');
  for (const p of [resident, member, moderator]) await p.context().close();
});

// [name, who is signed in, url]
const PAGES = [
  ['proposal', 'resident', () => proposalPath],
  ['proposals list', null, `/scopes/${JONGNO}/proposals`],
  ['debates list', null, `/scopes/${JONGNO}/debates`],
  ['new debate', 'resident', `/scopes/${JONGNO}/debates/new`],
  ['new proposal', 'resident', `/scopes/${JONGNO}/proposals/new`],
  ['notifications', 'resident', '/notifications'],
  ['moderation queue', 'moderator', '/moderation'],
  ['search results', null, `/search?q=${encodeURIComponent('정원')}`],
  ['overdue answers', null, '/proposals/overdue'],
];

for (const lang of ['ko', 'en']) {
  for (const [name, who, url] of PAGES) {
    test(`axe (${lang}): ${name}${who ? ` as ${who}` : ''} has no serious or critical violations`, async () => {
      const page = await newPage(browser, { lang });
      if (who) await signIn(page, demoAccount(who));
      await visit(page, typeof url === 'function' ? url() : url);
      const { serious } = await seriousA11yViolations(page);
      await page.context().close();
      assert.equal(serious.length, 0, `axe found serious/critical violations:\n${formatViolations(`${name} (${lang})`, serious)}`);
    });
  }
}
