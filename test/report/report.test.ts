import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ajvModule from 'ajv';
import { generateFixtures, type FixtureInfo } from '../../legacy-fixtures/generate.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-md.js';
import { renderText } from '../../src/report/render-text.js';
import { REPORT_SCHEMA } from '../../src/report/report-schema.js';
import type { Report } from '../../src/report/types.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { runCli, startCli } from '../helpers/cli.js';
import { execOn } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** `drawbridge report` on every reference fixture and on a hostile database, in all four formats, through the real CLI. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REFERENCE = ['--migrations', join(ROOT, 'migrations'), '--rules', join(ROOT, 'bridge-rules')];
const FORMATS = ['text', 'json', 'md', 'html'] as const;
const validate = new ajvModule.default({ allErrors: true, strict: true }).compile(REPORT_SCHEMA);

let dir = '';
let fixtures: FixtureInfo[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'drawbridge-report-'));
  fixtures = generateFixtures(join(dir, 'fixtures'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function filesOf(db: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((s) => (existsSync(db + s) ? sha256File(db + s) : '(absent)'));
}

/** Run `count` jobs at most `width` at a time. */
async function inBatches<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width) results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

function assertValid(report: unknown, name: string): asserts report is Report {
  assert.ok(validate(report), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

test('report on every reference fixture in all four formats: exit 0, the JSON validates against the schema, the files byte-identical', async () => {
  const before = new Map(fixtures.map((f) => [f.name, filesOf(f.file)]));
  // The JSON document of every fixture through the real CLI; the other formats render from it exactly as the
  // CLI does (the same functions), and the CLI itself renders them for a sample of fixtures below.
  const runs = await inBatches(fixtures.map((f) => async () => ({ f, result: await startCli(['report', f.file, ...REFERENCE, '--format', 'json']) })), 4);
  for (const { f, result } of runs) {
    assert.equal(result.code, 0, `${f.name}: ${result.stderr}`);
    const report = JSON.parse(result.stdout) as unknown;
    assertValid(report, f.name);
    assert.equal(report.file.path, f.file);
    assert.match(renderMarkdown(report), /^# drawbridge report: /);
    assert.match(renderHtml(report), /^<!DOCTYPE html>/i);
    assert.ok(renderText(report).startsWith(f.file), `${f.name}: text starts with the file`);
  }
  const sample = fixtures.filter((f) => ['release-r06', 'variant-crashed-r07', 'variant-wal-uncheckpointed', 'variant-newer'].includes(f.name));
  const cli = await inBatches(sample.flatMap((f) => (['text', 'md', 'html'] as const).map((format) => async () => ({ f, format, result: await startCli(['report', f.file, ...REFERENCE, '--format', format]) }))), 4);
  for (const { f, format, result } of cli) {
    assert.equal(result.code, 0, `${f.name} ${format}: ${result.stderr}`);
    assert.ok(result.stdout.length > 500, `${f.name} ${format}: a real report`);
  }
  for (const f of fixtures) assert.deepEqual(filesOf(f.file), before.get(f.name), `${f.name}: files unchanged`);
});

test('the JSON report says what the detection found and what the upgrade would do (release-r06)', () => {
  const f = fixtures.find((x) => x.name === 'release-r06');
  assert.ok(f);
  const report = JSON.parse(runCli(['report', f.file, ...REFERENCE, '--format', 'json']).stdout) as unknown;
  assertValid(report, f.name);
  assert.equal(report.detection.state, 'legacy');
  assert.equal(report.detection.rule?.id, 'legacy-r06-hotfix');
  assert.ok(report.detection.evidence.length > 0 && report.detection.evidence.every((e) => e.ok));
  assert.deepEqual(report.plan.prepare?.flags.map((x) => [x.kind, x.detail.split(' (')[0]]), [['rebuild', 'rebuilds sessions']]);
  assert.equal(report.plan.prepare?.flags[0]?.rows, report.tables.find((t) => t.name === 'sessions')?.rows);
  assert.deepEqual(report.plan.pending.map((p) => p.name), ['0007_late_indexes', '0008_session_activity', '0009_session_git_tracking', '0010_session_tags']);
  assert.deepEqual(report.plan.pending.find((p) => p.name === '0008_session_activity')?.flags.map((x) => x.kind), ['code']);
  assert.equal(report.timeline.find((t) => t.here)?.migration, '0006_session_favorites_and_status_check');
  assert.ok(report.timeline.find((t) => t.migration === '0006_session_favorites_and_status_check')?.rules.includes('legacy-r06-hotfix'));
  assert.match(report.plan.command, /^npx drawbridge upgrade .*release-r06\.db --migrations /);
  assert.equal(report.health.ok, true);
  assert.match(report.file.lastWrittenBySqlite, /^3\.\d+\.\d+$/);
});

test('an unknown database\'s report names the nearest versions and what differs; the FK-violation fixture\'s health lists the rows', () => {
  const crashed = fixtures.find((x) => x.name === 'variant-crashed-r07');
  const fk = fixtures.find((x) => x.name === 'variant-fk-violations');
  assert.ok(crashed && fk);
  const unknown = JSON.parse(runCli(['report', crashed.file, '--migrations', join(ROOT, 'migrations'), '--format', 'json']).stdout) as Report;
  assert.equal(unknown.detection.state, 'unknown');
  assert.equal(unknown.detection.nearest.versions[0]?.name, '0005_ui_persistence');
  assert.ok(unknown.detection.nearest.versions[0]?.lines.includes('+ table sessions_new'));
  assert.equal(unknown.plan.action, 'refuse');
  const health = (JSON.parse(runCli(['report', fk.file, ...REFERENCE, '--format', 'json']).stdout) as Report).health;
  assert.ok(health.foreignKeyViolations.count > 0);
  assert.ok(health.foreignKeyViolations.sample.some((v) => v.parent === 'sessions'));
});

const HOSTILE = [`it's "quoted"; DROP TABLE x; --`, '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'données 🦄 表', `t${'x'.repeat(199)}`];

function hostileDatabase(path: string): void {
  const q = quoteIdentifier;
  execOn(
    path,
    HOSTILE.map((name) =>
      [
        `CREATE TABLE ${q(name)} (id INTEGER PRIMARY KEY, ${q(name)} TEXT DEFAULT '<script>alert(2)</script>' CHECK (${q(name)} <> ';'));`,
        `INSERT INTO ${q(name)} (${q(name)}) VALUES ('<b>bold</b>'), ('"; DROP TABLE x; --');`,
        `CREATE INDEX ${q(`${name} idx`)} ON ${q(name)} (${q(name)});`,
        `CREATE TRIGGER ${q(`${name} trg`)} AFTER INSERT ON ${q(name)} BEGIN SELECT '<script>alert(3)</script>'; END;`,
        `CREATE VIEW ${q(`${name} view`)} AS SELECT ${q(name)} FROM ${q(name)};`,
      ].join('\n'),
    ).join('\n'),
  );
}

test('a database with hostile identifiers reports in every format: no SQL error, names intact in JSON, escaped in HTML and Markdown', (t) => {
  const path = join(tempDir(t), 'hostile.db');
  hostileDatabase(path);
  const before = filesOf(path);
  for (const format of FORMATS) {
    const result = runCli(['report', path, ...REFERENCE, '--format', format]);
    assert.equal(result.code, 0, `${format}: ${result.stderr}`);
    if (format === 'json') {
      const report = JSON.parse(result.stdout) as unknown;
      assertValid(report, 'hostile');
      assert.deepEqual(report.tables.map((x) => x.name).sort(), [...HOSTILE].sort());
      assert.equal(report.detection.state, 'unknown');
    }
    if (format === 'html') {
      for (const name of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '<script>alert(2)</script>']) {
        assert.ok(!result.stdout.includes(name), `html contains raw ${name}`);
      }
      assert.ok(result.stdout.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.doesNotMatch(result.stdout, /<script/i);
    }
    if (format === 'md') {
      // Inside fenced code a name is shown literally (and must be, to be read right); everywhere else markup is escaped.
      const outsideCode = result.stdout.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
      assert.ok(!/<script|<img/i.test(outsideCode), 'markdown escapes markup outside code blocks');
      assert.ok(outsideCode.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    }
    if (format === 'text') assert.ok(result.stdout.includes('données 🦄 表'));
  }
  assert.deepEqual(filesOf(path), before);
});

test('report --out writes the file, and refuses to write over the database', (t) => {
  const folder = tempDir(t);
  const f = fixtures.find((x) => x.name === 'release-r01');
  assert.ok(f);
  const out = join(folder, 'report.html');
  assert.equal(runCli(['report', f.file, ...REFERENCE, '--format', 'html', '--out', out]).code, 0);
  assert.match(readFileSync(out, 'utf8'), /<!DOCTYPE html>/i);
  const before = sha256File(f.file);
  const clobber = runCli(['report', f.file, ...REFERENCE, '--out', f.file]);
  assert.equal(clobber.code, 2);
  assert.equal(sha256File(f.file), before);
});
