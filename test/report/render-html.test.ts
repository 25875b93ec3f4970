import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, renderHtml } from '../../src/report/render-html.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE, hostileReport, legacyReport, newerReport, SAMPLES, schemaDiff, unhealthyReport, unknownReport } from './sample-reports.js';

const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`;
const SECTIONS = ['summary', 'timeline', 'evidence', 'plan', 'estimate', 'health', 'identity'] as const;

/** Every tag of the page. Escaped text never holds a "<", so each match is a real tag. */
const tagsOf = (page: string): string[] => page.match(/<[^>]*>/g) ?? [];

/** The page without the break opportunities long names get (so a name reads as one string again). */
const unbroken = (page: string): string => page.replaceAll('<wbr>', '');

function assertSelfContained(page: string): void {
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">'), 'one HTML document');
  assert.equal(page.match(/<html[\s>]/g)?.length, 1, 'one <html>');
  assert.equal(page.match(/<\/html>/g)?.length, 1, 'one </html>');
  assert.equal(page.match(/<body>/g)?.length, 1, 'one <body>');
  assert.ok(page.includes(CSP), 'the Content-Security-Policy meta');
  assert.ok(page.indexOf(CSP) < page.indexOf('<style>'), 'the CSP comes before anything it governs');
  assert.doesNotMatch(page, /<script/i, 'no script element');
  assert.doesNotMatch(page, /https?:/i, 'no URL');
  assert.doesNotMatch(page, /url\(|@import|@font-face/i, 'the CSS loads nothing');
  // Attribute values are escaped (they never hold a '"'), so without them only the tag's own names are left.
  for (const tag of tagsOf(page).map((t) => t.replace(/="[^"]*"/g, '=""'))) {
    assert.doesNotMatch(tag, /\s(?:src|href|srcset|action|formaction|poster|data|background|ping)\s*=/i, `no tag loads or links anything: ${tag}`);
    assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, `no event handler attribute: ${tag}`);
    assert.doesNotMatch(tag, /^<\/?(?:img|iframe|object|embed|link|svg|math|form|input|button|base|video|audio|source|frame)\b/i, `no element that loads or acts: ${tag}`);
  }
  assert.equal(page.match(/<section /g)?.length, page.match(/<\/section>/g)?.length, 'sections balanced');
  assert.equal(page.match(/<details /g)?.length ?? 0, page.match(/<\/details>/g)?.length ?? 0, 'details balanced');
}

function assertSections(page: string, extra: readonly string[] = []): void {
  const positions = [...SECTIONS.slice(0, 3), ...extra, ...SECTIONS.slice(3)].map((id) => {
    const at = page.indexOf(`<section id="${id}"`);
    assert.notEqual(at, -1, `section ${id} present`);
    return at;
  });
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
    'sections in order',
  );
}

function includesAll(page: string, texts: readonly string[]): void {
  const text = unbroken(page);
  for (const t of texts) assert.ok(text.includes(t), `the page shows ${JSON.stringify(t)}`);
}

test('escapeHtml escapes & < > " \' and ` and leaves everything else alone', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&amp;\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&#96;&lt;/a&gt;');
  assert.equal(escapeHtml('projekte_ü_プロジェクト_🚀'), 'projekte_ü_プロジェクト_🚀');
  assert.equal(escapeHtml(''), '');
});

for (const sample of SAMPLES) {
  test(`${sample.name}: one self-contained document, no script, nothing loaded, the CSP set`, () => {
    const page = renderHtml(sample.report());
    assertSelfContained(page);
    assert.equal(renderHtml(sample.report()), page, 'deterministic');
  });
}

test('legacy: every section, the rule with its evidence, the fix-up, backfill and pending steps with flags and SQL', () => {
  const report = legacyReport();
  const page = renderHtml(report);
  assertSections(page);
  assert.ok(!page.includes('<section id="nearest"'), 'no nearest matches for a recognised database');
  // Summary.
  includesAll(page, [
    '<h1><span class="file-name">crystal-sessions.db</span> <span class="badge state state-legacy">legacy</span></h1>',
    '<code class="rule-id">legacy-r06-hotfix</code>',
    'Release 0.5.1 hotfix — sessions.is_favorite without a bump, without the 0.6.0 rebuild',
    "Run the rule's fix-up SQL, then record 6 migrations as already applied (up to <code>0006_session_favorites_and_status_check</code>) without running them, then run 4 migrations up to <code>0010_session_tags</code>, all in one transaction.",
    '<pre><code>npx drawbridge upgrade /home/support/tickets/4711/crystal-sessions.db</code></pre>',
    '<span class="badge good">ok</span>',
  ]);
  // Timeline: one box per migration, six recorded, four to run, one marker.
  assert.equal(page.match(/<div class="tl-box /g)?.length, 10);
  assert.equal(page.match(/<div class="tl-box s-backfill[ "]/g)?.length, 6);
  assert.equal(page.match(/<div class="tl-box s-pending[ "]/g)?.length, 4);
  assert.equal(page.match(/this database joins here/g)?.length, 1);
  assert.match(unbroken(page), /<div class="tl-box s-backfill here" title="0006_session_favorites_and_status_check: recorded, schema partial">/);
  assert.match(page, /<li class="rule-chip matched">legacy-r06-hotfix<\/li><li class="rule-chip">legacy-r07-lost-index<\/li><li class="rule-chip">legacy-r07<\/li>/);
  // Evidence.
  includesAll(page, [
    '<td><code>user_version</code></td><td>5</td><td>5</td><td class="c"><span class="ok yes" title="holds">✓</span></td>',
    '<td><code>table sessions</code></td><td>columns: is_favorite, status</td><td>columns: is_favorite, status; missing: (none)</td>',
    '<td><code>absent table sessions_new</code></td><td>absent</td><td>absent</td>',
    '5 of 5 checks hold',
    'bridge-rules/crystal.yaml:90',
  ]);
  // Plan: the fix-up with its rebuild flag, the backfilled names, each pending step, SQL in <details>.
  includesAll(page, [
    'Fix-up SQL',
    '<span class="flag flag-rebuild">rebuild <span class="rows">1,342 rows</span></span> <span>rebuilds sessions',
    '<details class="sql"><summary>SQL <span class="muted">(21 lines)</span></summary><pre><code>CREATE TABLE sessions_new (',
    'CHECK (status IN (&#39;initializing&#39;, &#39;ready&#39;',
    'Recorded as applied, not run',
    '<code>0001_core_tables</code>',
    '<code class="step-name">0007_late_indexes</code>',
    '<pre><code>CREATE INDEX idx_sessions_status ON sessions(status);',
    '<span class="flag flag-code">code</span> <span>a code migration (TypeScript/JavaScript)',
    '<code class="step-name">0010_session_tags</code>',
  ]);
  assert.equal(page.match(/<details class="sql">/g)?.length, 4, 'the fix-up and three SQL migrations, each collapsible');
  // Estimate, health, identity.
  includesAll(page, ['<strong>1,342 rows</strong> touched', 'at ~200,000 rows/s', '<code>quick_check</code> found no problems', 'No foreign-key violations']);
  includesAll(page, ['1.3 MiB (1,384,448 bytes)', '338 × 4,096 bytes, 3 free', 'SQLite 3.45.1', '<td><code>session_outputs</code></td><td class="n">52,318</td><td class="n">5</td>', '11 tables, 64,715 rows']);
});

test('unknown: refused, placed nowhere, with the nearest rules (failed checks) and versions (diff lines)', () => {
  const page = renderHtml(unknownReport());
  assertSections(page, ['nearest']);
  includesAll(page, [
    '<span class="badge state state-unknown">unknown</span> <span class="badge refused">refused</span>',
    'Nothing: the upgrade refuses this database (<code>unknown</code>) and would change nothing.',
    'This database joins the sequence nowhere:',
    'No rule or version claims this database',
    'Nearest rules',
    '<h4>Rule <code class="rule-id">legacy-r08</code> <span class="muted">2 checks failed</span></h4>',
    '<td><code>index idx_projects_path</code></td><td>exists</td><td>missing</td><td class="c"><span class="ok no" title="does not hold">✗</span></td>',
    '<td><code>user_version</code></td><td>6</td><td>7</td>',
    'Nearest versions',
    '<h4>Version <code>0007_late_indexes</code> <span class="muted">3 differences',
    '<span class="del">- index idx_projects_path</span>',
    '<span class="add">+ index idx_sessions_status</span>',
    '<span class="chg">~ table sessions: + column archived_at DATETIME</span>',
    'Refused (<code>unknown</code>)',
    'Add a bridge rule for this state, or run with --mode auto',
    'Nothing would run, so no rows would be touched.',
    'present, 161 KiB (164,832 bytes)',
    'yes <span class="muted">(the original file was left untouched)</span>',
  ]);
  assert.equal(page.match(/<div class="tl-box s-absent[ "]/g)?.length, 10);
  assert.ok(!page.includes('this database joins here'));
  assert.ok(!page.includes('<details'), 'a refused plan has no SQL to show');
});

test('newer: refused, the migrations this app does not know, placed at its last known migration', () => {
  const page = renderHtml(newerReport());
  assertSections(page);
  includesAll(page, [
    '<span class="badge state state-newer">newer</span> <span class="badge refused">refused</span>',
    '<h1><span class="file-name">crystal.db</span>',
    'C:\\Users\\dana\\AppData\\Roaming\\Crystal\\crystal.db',
    'Migrations this app does not know',
    '<code>0011_session_archive</code>',
    '<code>0012_workspace_sync</code>',
    'Tracking table: 10 migrations applied, 0 pending.',
    'Run the newer app.',
    'this database is here',
    `${(0x43525953).toLocaleString('en-US')} (0x43525953)`,
    'SQLite 3.46.0',
  ]);
  assert.equal(page.match(/<div class="tl-box s-applied[ "]/g)?.length, 10);
});

test('unhealthy: integrity problems, foreign-key violations with their rows, drift; pending, beyond-target and flags', () => {
  const page = renderHtml(unhealthyReport());
  assertSections(page);
  includesAll(page, [
    '<span class="badge state state-tracked">tracked</span>',
    '<span class="badge bad">problems found</span>',
    'integrity_check, 3 problems, 3 foreign-key violations',
    'Run 2 pending migrations (<code>0008_session_activity … 0009_session_git_tracking</code>) up to <code>0009_session_git_tracking</code>, in one transaction.',
    '--to 0009_session_git_tracking',
    'Health <span class="badge bad">not ok</span>',
    '<code>integrity_check</code> reports 3 problems:',
    'Page 212: btreeInitPage() returns error code 11',
    'row 17 missing from index idx_sessions_status',
    '3 foreign-key violations',
    '<td><code>session_outputs</code></td><td class="n">90,211</td><td><code>sessions</code></td><td><code>(&#39;d3f1c2aa-07&#39;)</code></td>',
    '<td class="n">—</td><td><code>sessions</code></td><td><code>(NULL, 42)</code></td>',
    'Drift from what the applied migrations produce at <code>0007_late_indexes</code>',
    '<span class="add">+ index idx_sessions_custom_created</span>',
    '<span class="flag flag-data">data <span class="rows">1,342 rows</span></span> <span>updates sessions</span>',
    '<span class="flag flag-drop">drop <span class="rows">7 rows</span></span> <span>deletes rows from user_preferences</span>',
    '<strong>1,349 rows</strong> touched',
    'this database is here',
  ]);
  assert.equal(page.match(/<div class="tl-box s-applied[ "]/g)?.length, 7);
  assert.equal(page.match(/<div class="tl-box s-pending[ "]/g)?.length, 2);
  assert.equal(page.match(/<div class="tl-box s-beyond-target[ "]/g)?.length, 1);
});

test('hostile: every name and value appears only escaped, never as markup', () => {
  const page = renderHtml(hostileReport());
  assertSelfContained(page);
  const text = unbroken(page);
  const escaped: Record<keyof typeof HOSTILE, string> = {
    script: '&lt;script&gt;alert(1)&lt;/script&gt;',
    img: '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
    pwnScript: '&lt;script&gt;window.__pwned=1&lt;/script&gt;',
    pwnImg: '&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;',
    quotes: 'it&#39;s &quot;quoted&quot;; DROP TABLE x; -- &amp; more',
    unicode: HOSTILE.unicode,
    long: HOSTILE.long,
    style: '&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;',
    comment: '--&gt;&lt;!--',
  };
  for (const key of Object.keys(HOSTILE) as (keyof typeof HOSTILE)[]) {
    const raw = HOSTILE[key];
    if (raw !== escaped[key]) assert.ok(!page.includes(raw) && !text.includes(raw), `${key} never appears raw`);
    assert.equal(escapeHtml(raw), escaped[key]);
    assert.ok(text.includes(escaped[key]), `${key} appears escaped`);
  }
  assert.equal(HOSTILE.long.length, 200);
  // The page has exactly the markup of the same report with harmless names: nothing was added by a value.
  assert.equal(page.match(/<style>/g)?.length, 1);
  assert.equal(page.match(/<\/style>/g)?.length, 1);
  assert.doesNotMatch(page, /<img/i);
  assert.doesNotMatch(page, /<!--/);
  // Where the hostile names go: the title, the state badge, the rule, tables, timeline, steps, health.
  includesAll(page, [
    `<span class="badge state state-other">${escaped.pwnImg}</span>`,
    `<code class="rule-id">${escaped.pwnScript}</code>`,
    `<td><code>${escaped.script}</code></td><td class="n">1</td>`,
    `<li class="rule-chip">${escaped.img}</li>`,
    `<div class="tl-box s-backfill here" title="${escaped.pwnImg}: recorded, schema partial">`,
    `<code class="step-name">${escaped.unicode}</code>`,
    `<pre><code>UPDATE &quot;${escaped.img}&quot; SET x = &#39;${escaped.pwnImg}&#39;;</code></pre>`,
    `<pre class="problems">${escaped.script}\n${escaped.pwnImg}</pre>`,
    `<meta name="generator" content="drawbridge ${escaped.style}">`,
  ]);
});

/** A report with `name` in every field a database or a rule file can set. */
function withName(name: string): Report {
  const base = legacyReport();
  const step = { name, sql: `SELECT '${name}';`, flags: [{ kind: 'data' as const, detail: name, rows: 1 }] };
  return {
    ...base,
    file: { ...base.file, path: `/x/${name}`, journalMode: name, encoding: name, lastWrittenBySqlite: name },
    tables: [{ name, rows: 1, columns: 1 }],
    detection: {
      ...base.detection,
      state: name,
      rule: { id: name, title: name, notes: name, then: name, location: name },
      bridgePoint: name,
      derived: { name, userAdditions: [name] },
      evidence: [{ check: name, expected: name, found: { [name]: [name] }, ok: false }],
      candidates: [
        { source: 'rule', id: name, bridgePoint: name },
        { source: 'derived', id: name, bridgePoint: null },
      ],
      nearest: { rules: [{ id: name, failed: [{ check: name, expected: name, found: name, ok: false }] }], versions: [{ name, differences: 1, lines: [name], diff: schemaDiff({ added: [name] }) }] },
      tracking: { applied: 1, pending: 1, unknown: [name], newerButCompatible: false, compatibilityFloor: null },
    },
    timeline: [{ migration: name, rules: [name], status: 'pending', presence: 'partial', here: true }],
    plan: { ...base.plan, mode: name, action: name, refusal: { kind: name, message: name }, prepare: step, backfill: [name], pending: [step], target: name, command: name, estimate: { rowsTouched: 1, seconds: 1, basis: name } },
    health: { check: 'quick_check', ok: false, problems: [name], foreignKeyViolations: { count: 1, sample: [{ table: name, rowid: 1, parent: name, values: [name] }] }, drift: { against: name, identical: false, lines: [name] } },
  };
}

test('property: whatever a name holds, the page has exactly the tags it has for a harmless name', () => {
  const tags = (page: string): string[] => tagsOf(unbroken(page));
  const baseline = tags(renderHtml(withName('x')));
  const hostile = fc.constantFrom(...Object.values(HOSTILE), '<', '>', '&', '"', "'", '`', '<wbr>', '</code></pre></details>', ']]>', '\u0000', '\u2028');
  fc.assert(
    fc.property(fc.oneof(hostile, fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 })), (value) => {
      // Names change the attribute values of the tags (titles, classes), never which tags there are.
      // (The "x" keeps a name from starting like "0007_", whose number the timeline sets in bold.)
      const shape = (list: string[]): string[] => list.map((tag) => tag.replace(/="[^"]*"/g, '=""'));
      const page = renderHtml(withName(`x${value}`));
      assert.deepEqual(shape(tags(page)), shape(baseline));
      assert.doesNotMatch(page, /<script/i);
    }),
    { numRuns: 150 },
  );
});
