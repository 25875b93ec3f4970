import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildReport } from '../../src/report/build-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { execOn } from '../helpers/database.js';
import type { Report } from '../../src/report/types.js';
import { tempDir } from '../helpers/temp.js';
import { HOSTILE, hostileReport, legacyReport, unknownReport } from './sample-reports.js';

/**
 * The HTML report in a real browser: Debian's chromium, driven by
 * playwright-core (which never downloads a browser of its own). The page must
 * show its sections, run nothing a database put in it, load nothing, and work
 * with JavaScript off.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface StyleWindow {
  getComputedStyle(element: unknown): Readonly<Record<string, string | undefined>>;
}

interface Watched {
  readonly page: Page;
  readonly url: string;
  readonly requests: string[];
  readonly dialogs: string[];
  readonly consoleErrors: string[];
}

/** Write the report's HTML to a file and open it, recording every request, dialog and console error. */
async function open(browser: Browser, dir: string, name: string, report: Report, javaScriptEnabled = true): Promise<Watched> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml(report));
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests, dialogs, consoleErrors };
}

test('the HTML report in headless chromium', { timeout: 60_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip('Debian chromium is not installed: .ci/run installs it');
    return;
  }
  const dir = tempDir(t);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  t.after(() => browser.close());

  await t.test('a hostile report: everything shows as text, nothing runs, nothing loads', async () => {
    const { page, url, requests, dialogs, consoleErrors } = await open(browser, dir, 'hostile', hostileReport());

    // The summary, its state badge and rule id, and the evidence table are on screen.
    assert.ok(await page.locator('#summary').isVisible());
    const state = page.locator('#summary .badge.state');
    assert.ok(await state.isVisible());
    assert.equal(await state.textContent(), HOSTILE.pwnImg);
    assert.equal(await page.locator('#summary .rule-id').textContent(), HOSTILE.pwnScript);
    assert.ok(await page.locator('#evidence table.evidence').isVisible());
    assert.equal(await page.locator('#evidence table.evidence tbody tr').count(), 3);
    for (const id of ['timeline', 'plan', 'estimate', 'health', 'identity', 'nearest']) assert.ok(await page.locator(`#${id}`).isVisible(), `#${id} visible`);

    // The hostile names are text on the page, exactly as the database holds them.
    const tables = await page.locator('#identity tbody td:first-child').allTextContents();
    for (const name of [HOSTILE.script, HOSTILE.img, HOSTILE.pwnScript, HOSTILE.pwnImg, HOSTILE.quotes, HOSTILE.unicode, HOSTILE.long]) {
      assert.ok(tables.includes(name), `table ${JSON.stringify(name)} listed as text`);
    }
    assert.equal(await page.locator('#summary .command code').textContent(), hostileReport().plan.command);

    // Nothing from the database became an element, ran, or loaded.
    assert.equal(await page.locator('script, img, iframe, object, embed, link, svg, form').count(), 0);
    assert.equal(await page.locator('style').count(), 1);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.deepEqual(requests, [url], 'the only request is the file itself');
    assert.deepEqual(consoleErrors, [], 'no CSP violation or other error');

    // The CSP allows the page's own inline styles: they apply.
    // (The test compiles without the DOM's types; in the page, globalThis is the window.)
    const style = (selector: string, property: string): Promise<string> =>
      page.locator(selector).evaluate((el, name) => (globalThis as unknown as StyleWindow).getComputedStyle(el)[name] ?? '', property);
    assert.equal(await style('#summary', 'borderTopLeftRadius'), '10px');
    assert.equal(await style('body', 'display'), 'block', 'a </style> in a value did not hide the page');

    const png = join(dir, 'hostile.png');
    await page.screenshot({ path: png, fullPage: true });
    assert.ok(statSync(png).size > 10_000, `a real screenshot (${statSync(png).size} bytes)`);
    await page.context().close();
  });

  await t.test('a legacy report with JavaScript off: the timeline is one strip, the SQL opens, it prints', async () => {
    const { page, url, requests, consoleErrors } = await open(browser, dir, 'legacy', legacyReport(), false);
    assert.ok(await page.locator('#summary').isVisible());
    assert.equal(await page.locator('#summary .badge.state').textContent(), 'legacy');
    assert.equal(await page.locator('#summary .rule-id').textContent(), 'legacy-r06-hotfix');
    assert.ok(await page.locator('#evidence table.evidence').isVisible());

    // Ten boxes side by side at 1280 px, tops aligned, left to right, none past the page's edge.
    const boxes = await Promise.all((await page.locator('#timeline .tl-box').all()).map((box) => box.boundingBox()));
    assert.equal(boxes.length, 10);
    const tops = new Set(boxes.map((b) => Math.round(b?.y ?? -1)));
    assert.equal(tops.size, 1, 'one row, tops aligned');
    for (let i = 1; i < boxes.length; i++) assert.ok((boxes[i]?.x ?? 0) > (boxes[i - 1]?.x ?? 0), 'left to right');
    const last = boxes.at(-1);
    assert.ok(last !== null && last !== undefined && last.x + last.width <= 1280, 'fits in 1280 px');

    // The marker stands over the box the database joins at, with its rule above it.
    const here = page.locator('#timeline .tl-box.here');
    assert.ok(await here.isVisible());
    assert.match((await here.textContent()) ?? '', /0006_session_favorites_and_status_check/);
    const flag = page.locator('#timeline .here-flag');
    assert.equal(await flag.textContent(), '▼ this database joins here');
    const [flagBox, hereBox, rule] = await Promise.all([flag.boundingBox(), here.boundingBox(), page.locator('#timeline .tl .rule-chip.matched').boundingBox()]);
    assert.ok(flagBox !== null && hereBox !== null && rule !== null);
    assert.ok(flagBox.y + flagBox.height <= hereBox.y && rule.y + rule.height <= flagBox.y, 'rule, then marker, then box');
    assert.ok(Math.abs(flagBox.x - hereBox.x) < 8, 'the marker is over its box');

    // <details> works without script.
    const sql = page.locator('#plan details.sql').first();
    const code = sql.locator('pre');
    assert.equal(await code.isVisible(), false, 'SQL collapsed');
    await sql.locator('summary').click();
    assert.ok(await code.isVisible(), 'SQL shown after a click');
    assert.match((await code.textContent()) ?? '', /^CREATE TABLE sessions_new \(/);

    assert.deepEqual(requests, [url]);
    assert.deepEqual(consoleErrors, []);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'it prints');
    await page.context().close();
  });

  await t.test('the report of a real database with hostile names and values: shown as text, nothing runs', async () => {
    const db = join(dir, 'hostile.db');
    const q = quoteIdentifier;
    const names = ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">', 'données 🦄'];
    execOn(db, names.map((n) => `CREATE TABLE ${q(n)} (id INTEGER PRIMARY KEY, ${q(n)} TEXT DEFAULT '<script>window.__pwned=2</script>'); CREATE INDEX ${q(`${n} i`)} ON ${q(n)} (${q(n)});`).join('\n'));
    const report = await buildReport(db, { migrations: loadMigrations(fileURLToPath(new URL('../../../migrations', import.meta.url))) });
    const watched = await open(browser, dir, 'real-hostile', report);
    assert.deepEqual(watched.dialogs, []);
    assert.equal(await watched.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await watched.page.locator('script, img, iframe').count(), 0);
    assert.ok(await watched.page.locator('#summary').isVisible());
    const text = await watched.page.locator('body').innerText();
    for (const n of names) assert.ok(text.replace(/\u200b/g, '').includes(n), `shows ${n} as text`);
    assert.deepEqual(watched.requests, [watched.url]);
  });

  await t.test('an unknown report: placed nowhere, nearest rules and versions on screen', async () => {
    const { page, url, requests } = await open(browser, dir, 'unknown', unknownReport());
    assert.equal(await page.locator('#summary .badge.state').textContent(), 'unknown');
    assert.ok(await page.locator('#summary .badge.refused').isVisible());
    assert.equal(await page.locator('#timeline .here-flag').count(), 0);
    assert.ok(await page.locator('#nearest').isVisible());
    assert.equal(await page.locator('#nearest table.evidence').count(), 2);
    assert.ok(await page.locator('#nearest pre.diff .del', { hasText: '- index idx_projects_path' }).isVisible());
    assert.deepEqual(requests, [url]);
    const png = join(dir, 'unknown.png');
    await page.screenshot({ path: png, fullPage: true });
    assert.ok(statSync(png).size > 10_000);
    await page.context().close();
  });
});
