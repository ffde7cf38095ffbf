// Shared set-up for the end-to-end tests: where the server is, the demo accounts, a headless
// Debian Chromium driven through playwright-core, and small helpers for the flows every test needs.
//
// The server is started by scripts/e2e.sh, which passes:
//   MAEUL_BASE_URL       e.g. http://127.0.0.1:40123
//   MAEUL_DEMO_ACCOUNTS  JSON {"official": {"email": "...", "password": "..."}, ...} parsed from the
//                        table `maeul serve --demo` prints on stdout
//   MAEUL_BACKEND        sqlite | postgres (only used in messages and screenshot names)
//   CHROMIUM_PATH        defaults to /usr/bin/chromium
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.MAEUL_BASE_URL ?? '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('MAEUL_BASE_URL is not set: run the suite through scripts/e2e.sh, or start `maeul serve --demo` and export MAEUL_BASE_URL and MAEUL_DEMO_ACCOUNTS');
}
export const BACKEND = process.env.MAEUL_BACKEND ?? 'unknown';
export const RESULTS_DIR = path.resolve(here, '..', 'test-results');
mkdirSync(RESULTS_DIR, { recursive: true });

const ACCOUNTS = JSON.parse(process.env.MAEUL_DEMO_ACCOUNTS ?? '{}');

/** The demo account of `role` ({email, password}), as printed by the server at start-up. */
export function demoAccount(role) {
  const account = ACCOUNTS[role];
  assert.ok(account?.email && account?.password, `demo account for role ${role} missing from MAEUL_DEMO_ACCOUNTS`);
  return account;
}

export const JONGNO = '11110'; // the demo official's district
export const CITY = '11';

const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches Debian's Chromium (no Playwright browser download). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: LAUNCH_ARGS,
    headless: true,
  });
}

/**
 * A fresh browser context (its own cookies) and page. `lang` sets Accept-Language.
 * Page errors (uncaught exceptions, CSP violations reported to the console) are collected in
 * `page.problems` so tests can assert there are none.
 */
export async function newPage(browser, { lang = 'ko', viewport = { width: 1280, height: 900 }, ...rest } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: lang === 'ko' ? 'ko-KR' : 'en-US',
    viewport,
    ...rest,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (4\d\d)/.test(m.text())) {
      page.problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  return page;
}

/** Navigates and asserts the HTTP status. */
export async function visit(page, url, status = 200) {
  const response = await page.goto(url);
  assert.ok(response, `no response for ${url}`);
  assert.equal(response.status(), status, `GET ${url}: expected HTTP ${status}, got ${response.status()}`);
  return response;
}

/** Clicks something that submits a form or follows a link and waits for the resulting document. */
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

export function uniqueEmail(tag) {
  return `e2e-${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.org`;
}

export const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
export const pathOf = (page) => new URL(page.url()).pathname;

/** Registers a new account through the form; ends on /account signed in. */
export async function register(page, { name, email, password }) {
  await visit(page, '/register');
  await page.fill('#display_name', name);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.fill('#password_confirm', password);
  const response = await clickAndWait(page, page.locator('#register-submit'));
  assert.equal(pathOf(page), '/account', `registering ${email} should land on /account (HTTP ${response?.status()})`);
  await assertSignedIn(page);
}

/** Signs in through the login form and asserts it worked. */
export async function signIn(page, { email, password }) {
  await visit(page, '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  const response = await clickAndWait(page, page.locator('#login-submit'));
  assert.notEqual(pathOf(page), '/login', `sign-in of ${email} failed (HTTP ${response?.status()}): ${await page.locator('main').innerText()}`);
  await assertSignedIn(page);
}

/** Tries to sign in and returns the HTTP status (for negative tests). */
export async function trySignIn(page, { email, password }) {
  await visit(page, '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  const response = await clickAndWait(page, page.locator('#login-submit'));
  return { status: response?.status(), path: pathOf(page) };
}

export async function assertSignedIn(page) {
  assert.equal(await page.locator('form[action="/logout"] button').count(), 1, `expected to be signed in on ${page.url()}`);
}

/** Signs out with the header's button; ends on /login. */
export async function signOut(page) {
  await clickAndWait(page, page.locator('form[action="/logout"] button'));
  assert.equal(pathOf(page), '/login', 'signing out should land on /login');
  assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'still signed in after signing out');
}

/** Switches the language with the header's button. */
export async function switchLanguage(page) {
  await clickAndWait(page, page.locator('button.lang-switch'));
}

// --- accessibility ----------------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the site's strict CSP need not
 * be relaxed) and returns the violations of impact serious or critical, formatted one per line.
 */
export async function seriousA11yViolations(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  });
  const serious = violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => ['serious', 'critical'].includes(n.impact ?? v.impact)) }))
    .filter((v) => v.nodes.length > 0);
  return { all: violations, serious };
}

export function formatViolations(label, violations) {
  return violations.flatMap((v) => v.nodes.map((n) =>
    `${label}: [${n.impact ?? v.impact}] ${v.id} — ${v.help}\n    at ${n.target}\n    ${n.html}\n    ${(n.summary ?? '').replace(/\n/g, '\n    ')}`)).join('\n');
}

/** Saves a full-page screenshot into e2e/test-results/ and returns its path. */
export async function screenshot(page, name) {
  const file = path.join(RESULTS_DIR, `${BACKEND}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The maeul binary the server runs (scripts/e2e.sh passes MAEUL_BIN), to re-run a draw or a count. */
export function maeulBinary() {
  const root = path.resolve(here, '..', '..');
  const candidates = [
    process.env.MAEUL_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'debug', 'maeul'),
    path.join(root, 'target', 'debug', 'maeul'),
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  assert.ok(found, `no maeul binary to re-run a draw or a count (tried ${candidates.join(', ')}); set MAEUL_BIN`);
  return found;
}

/**
 * Asserts the page as it stands: in `lang`, no serious or critical axe-core violations, no script errors.
 */
export async function assertAccessible(page, lang, label) {
  assert.equal(await htmlLang(page), lang, `${label}: page language`);
  const { serious } = await seriousA11yViolations(page);
  assert.equal(serious.length, 0, formatViolations(`${label} (${lang})`, serious));
  assert.deepEqual(page.problems, [], `${label} (${lang}): script errors`);
}
