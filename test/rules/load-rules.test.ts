import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRulesError } from '../../src/errors.js';
import { defineRules, loadRules } from '../../src/rules/load-rules.js';
import type { Rule, RuleSet } from '../../src/rules/types.js';
import { tempDir } from '../helpers/temp.js';

const WAY_OUT = 'Fix the rules listed; `drawbridge rules check` lints them against the migrations.';

/** Run `fn`, assert it fails as invalid rules (exit 8), and return the error. */
function invalidRules(fn: () => unknown): InvalidRulesError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InvalidRulesError, `expected InvalidRulesError, got ${String(caught)}`);
  assert.equal(caught.code, 'INVALID_RULES');
  assert.equal(caught.exitCode, 8);
  return caught;
}

/** The problem lines of the message: everything between the heading and the way out. */
function problemLines(error: InvalidRulesError): string[] {
  const lines = error.message.split('\n');
  assert.match(lines[0] ?? '', /^Invalid bridge rules \(\d+ problems?\):$/);
  assert.equal(lines[lines.length - 1], WAY_OUT);
  return lines.slice(1, -1);
}

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A valid rule, to surround the broken parts of a file with. */
const HEAD = 'format: 1\nrules:\n';

// Line numbers below are the file's; the rule item's location is its first key, after "- ".
const REFERENCE = `format: 1
app: crystal
rules:
  - id: legacy-r6                 # unique; shown in reports
    title: Release 0.6 (hotfix forgot to bump user_version)
    match:
      user_version: 5
      tables:
        sessions: [id, status, prompt, worktree_name]
        projects: [id, path]
      absent:
        tables: [app_opens]
        columns: { sessions: [base_commit] }
        indexes: [idx_sessions_status]
      indexes: [idx_projects_path]
      sql: SELECT count(*) = 0 FROM sessions WHERE status IS NULL
    prepare:
      - CREATE INDEX idx_sessions_status ON sessions(status)
    bridge-to: 0005_ui_persistence
    then: bridge
    notes: why this mapping is right
  - id: legacy-r3-r4
    match:
      user_version: { min: 3, max: 4 }
      absent: { triggers: [trg_touch], views: [v_recent] }
    prepare: UPDATE sessions SET status = 'done' WHERE status IS NULL
    bridge-to: 0003_execution_tracking
  - id: pre-release
    match:
      user_version: [0, 1]
      sql: SELECT count(*) > 0 FROM preferences WHERE key = 'migrated'
    bridge-to: 0001_core_tables
    then: legacy-fallback
  - id: from-the-future
    title: Written by a newer app
    match: { user_version: { min: 100 }, triggers: [trg_x], views: [v_y] }
    then: refuse
    newer: true
`;

function emptyAbsent(): Rule['match']['absent'] {
  return { tables: [], columns: {}, indexes: [], triggers: [], views: [] };
}

function expectedRules(file: string, located: boolean): Rule[] {
  const at = (line: number, column: number): Rule['location'] => (located ? { file, line, column } : { file, line: 0, column: 0 });
  return [
    {
      id: 'legacy-r6',
      title: 'Release 0.6 (hotfix forgot to bump user_version)',
      match: {
        userVersion: { kind: 'exact', value: 5 },
        tables: { sessions: ['id', 'status', 'prompt', 'worktree_name'], projects: ['id', 'path'] },
        indexes: ['idx_projects_path'],
        triggers: [],
        views: [],
        absent: { tables: ['app_opens'], columns: { sessions: ['base_commit'] }, indexes: ['idx_sessions_status'], triggers: [], views: [] },
        sql: 'SELECT count(*) = 0 FROM sessions WHERE status IS NULL',
      },
      prepare: ['CREATE INDEX idx_sessions_status ON sessions(status)'],
      bridgeTo: '0005_ui_persistence',
      then: 'bridge',
      import: undefined,
      newer: false,
      notes: 'why this mapping is right',
      location: at(4, 5),
      bridgeToLocation: at(19, 16),
    },
    {
      id: 'legacy-r3-r4',
      title: undefined,
      match: {
        userVersion: { kind: 'range', min: 3, max: 4 },
        tables: {},
        indexes: [],
        triggers: [],
        views: [],
        absent: { ...emptyAbsent(), triggers: ['trg_touch'], views: ['v_recent'] },
        sql: undefined,
      },
      prepare: ["UPDATE sessions SET status = 'done' WHERE status IS NULL"],
      bridgeTo: '0003_execution_tracking',
      then: 'bridge',
      import: undefined,
      newer: false,
      notes: undefined,
      location: at(22, 5),
      bridgeToLocation: at(27, 16),
    },
    {
      id: 'pre-release',
      title: undefined,
      match: {
        userVersion: { kind: 'set', values: [0, 1] },
        tables: {},
        indexes: [],
        triggers: [],
        views: [],
        absent: emptyAbsent(),
        sql: "SELECT count(*) > 0 FROM preferences WHERE key = 'migrated'",
      },
      prepare: [],
      bridgeTo: '0001_core_tables',
      then: 'legacy-fallback',
      import: undefined,
      newer: false,
      notes: undefined,
      location: at(28, 5),
      bridgeToLocation: at(32, 16),
    },
    {
      id: 'from-the-future',
      title: 'Written by a newer app',
      match: {
        userVersion: { kind: 'range', min: 100, max: undefined },
        tables: {},
        indexes: [],
        triggers: ['trg_x'],
        views: ['v_y'],
        absent: emptyAbsent(),
        sql: undefined,
      },
      prepare: [],
      bridgeTo: undefined,
      then: 'refuse',
      import: undefined,
      newer: true,
      notes: undefined,
      location: at(34, 5),
      bridgeToLocation: undefined,
    },
  ];
}

test('a realistic rules file loads into normalised Rule objects with their locations', (t) => {
  const file = write(tempDir(t), 'crystal.yaml', REFERENCE);
  const expected: RuleSet = { source: file, app: 'crystal', rules: expectedRules(file, true) };
  assert.deepEqual(loadRules(file), expected);
});

test('defineRules accepts the same data as an object, located as embedded', async () => {
  const { parse } = await import('yaml');
  const data: unknown = parse(REFERENCE);
  assert.deepEqual(defineRules(data), { source: 'embedded', app: 'crystal', rules: expectedRules('embedded', false) });
  assert.equal(defineRules(data, 'crystal-rules.json').rules[0]?.location.file, 'crystal-rules.json');
});

test('a directory loads its .yaml and .yml files in name order, and ignores other files', (t) => {
  const dir = tempDir(t);
  const rule = (id: string, version: number): string => `  - id: ${id}\n    match: { user_version: ${version} }\n    bridge-to: 0001_core_tables\n`;
  const second = write(dir, '20-later.yml', `${HEAD}${rule('c', 3)}`);
  const first = write(dir, '10-early.yaml', `${HEAD}${rule('a', 1)}${rule('b', 2)}`);
  write(dir, 'README.md', 'not rules: [');
  mkdirSync(join(dir, 'nested.yaml'));
  const set = loadRules(dir);
  assert.equal(set.source, dir);
  assert.equal(set.app, undefined);
  assert.deepEqual(
    set.rules.map((r) => [r.id, r.location]),
    [
      ['a', { file: first, line: 3, column: 5 }],
      ['b', { file: first, line: 6, column: 5 }],
      ['c', { file: second, line: 3, column: 5 }],
    ],
  );
});

test('bad YAML syntax is reported at its line:column', (t) => {
  const file = write(tempDir(t), 'rules.yaml', `${HEAD}  - id: a\n    title: one: two\n    bridge-to: 0001_a\n`);
  const error = invalidRules(() => loadRules(file));
  assert.deepEqual(problemLines(error), [`${file}:4:12: YAML syntax: Nested mappings are not allowed in compact mappings`]);
  assert.deepEqual(error.details['problems'], [{ file, line: 4, column: 12, message: 'YAML syntax: Nested mappings are not allowed in compact mappings' }]);
});

test('a wrong type names what was expected and what was found, at the value', (t) => {
  const file = write(tempDir(t), 'rules.yaml', `${HEAD}  - id: a\n    match:\n      user_version: "five"\n    bridge-to: 0001_a\n`);
  const error = invalidRules(() => loadRules(file));
  assert.deepEqual(problemLines(error), [`${file}:5:21: user_version: expected an integer, a mapping or a list; found the string "five"`]);
});

test('an unknown key is reported at the key, with the keys allowed there (rule level and inside match)', (t) => {
  const file = write(tempDir(t), 'rules.yaml', `${HEAD}  - id: a\n    match:\n      user_version: 5\n      colums: { sessions: [id] }\n    bridge-to: 0001_a\n    than: bridge\n`);
  const error = invalidRules(() => loadRules(file));
  assert.deepEqual(problemLines(error), [
    `${file}:6:7: unknown key "colums" (expected one of: user_version, tables, absent, indexes, triggers, views, sql)`,
    `${file}:8:5: unknown key "than" (expected one of: id, title, match, prepare, bridge-to, import, then, newer, notes)`,
  ]);
});

test('a missing id and a bridge rule without bridge-to are reported at the rule', (t) => {
  const file = write(tempDir(t), 'rules.yaml', `${HEAD}  - title: no id\n    match: { user_version: 1 }\n    bridge-to: 0001_a\n  - id: b\n    match: { user_version: 2 }\n    then: bridge\n`);
  const error = invalidRules(() => loadRules(file));
  assert.deepEqual(problemLines(error), [
    `${file}:3:5: missing required key "id"`,
    `${file}:6:5: missing "bridge-to": then: bridge needs the migration the database is at once "prepare" has run (or an "import" whose history says where it is)`,
  ]);
});

test('legacy-fallback needs bridge-to; refuse takes no prepare; newer only goes with refuse', (t) => {
  const file = write(
    tempDir(t),
    'rules.yaml',
    `${HEAD}  - id: a\n    match: { user_version: 1 }\n    then: legacy-fallback\n` +
      `  - id: b\n    match: { user_version: 2 }\n    prepare: DELETE FROM x\n    then: refuse\n` +
      `  - id: c\n    match: { user_version: 3 }\n    bridge-to: 0001_a\n    newer: true\n`,
  );
  const error = invalidRules(() => loadRules(file));
  assert.deepEqual(problemLines(error), [
    `${file}:3:5: missing "bridge-to": then: legacy-fallback needs the migration the database is at once "prepare" has run`,
    `${file}:8:14: prepare: not allowed with then: refuse (a refused database is never written)`,
    `${file}:13:12: newer: true only applies to then: refuse (this rule has then: bridge)`,
  ]);
});

test('duplicate ids across two files name both places', (t) => {
  const dir = tempDir(t);
  const a = write(dir, 'a.yaml', `${HEAD}  - id: same\n    match: { user_version: 1 }\n    bridge-to: 0001_a\n`);
  const b = write(dir, 'b.yaml', `${HEAD}  - id: other\n    match: { user_version: 2 }\n    bridge-to: 0001_a\n  - id: same\n    match: { user_version: 3 }\n    bridge-to: 0001_a\n`);
  const error = invalidRules(() => loadRules(dir));
  assert.deepEqual(problemLines(error), [`${b}:6:5: duplicate rule id "same"; it is also the id of the rule at ${a}:3:5`]);
});

test('several problems in several files are reported together, in file and line order', (t) => {
  const dir = tempDir(t);
  const a = write(dir, 'a.yaml', `format: 2\napp: crystal\nrules:\n  - id: bad id\n    match: {}\n    bridge-to: 5_ui\n`);
  const b = write(dir, 'b.yaml', `format: 1\nrules:\n  - id: x\n    match: { user_version: [] , sql: "  " }\n    bridge-to: 0001_a\n    then: maybe\n`);
  const c = write(dir, 'c.yaml', 'format: 1\nrules: [\n');
  const error = invalidRules(() => loadRules(dir));
  const expected = [
    { file: a, line: 1, column: 9, message: 'format: must be 1; found the number 2' },
    { file: a, line: 4, column: 9, message: 'id: "bad id" is not a valid rule id (letters, digits, ".", "_" and "-", starting with a letter or digit)' },
    { file: a, line: 5, column: 12, message: 'match: needs at least one check (user_version, tables, absent, indexes, triggers, views, sql)' },
    { file: a, line: 6, column: 16, message: 'bridge-to: "5_ui" is not a migration name (NNNN_description, e.g. 0005_ui_persistence)' },
    { file: b, line: 4, column: 28, message: 'user_version: must not be empty' },
    { file: b, line: 4, column: 38, message: 'sql: must not be blank' },
    { file: b, line: 6, column: 11, message: 'then: expected one of: bridge, legacy-fallback, refuse; found the string "maybe"' },
    { file: c, line: 3, column: 1, message: 'YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  ];
  assert.deepEqual(error.details['problems'], expected);
  assert.equal(error.message, [`Invalid bridge rules (8 problems):`, ...expected.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`), WAY_OUT].join('\n'));
});

test('a user_version range whose min exceeds its max is rejected at the range', (t) => {
  const file = write(tempDir(t), 'rules.yaml', `${HEAD}  - id: a\n    match:\n      user_version: { min: 5, max: 3 }\n    bridge-to: 0001_a\n`);
  assert.deepEqual(problemLines(invalidRules(() => loadRules(file))), [`${file}:5:21: user_version: min 5 is greater than max 3; no database can match`]);
});

test('files that name different apps are rejected at the second', (t) => {
  const dir = tempDir(t);
  const a = write(dir, 'a.yaml', 'format: 1\napp: crystal\nrules: []\n');
  const b = write(dir, 'b.yaml', 'format: 1\napp: quartz\nrules: []\n');
  assert.deepEqual(problemLines(invalidRules(() => loadRules(dir))), [`${b}:2:6: app: "quartz" differs from "crystal" at ${a}:2:6; one set of rules describes one app`]);
});

test('a missing path, an empty directory and an empty file are errors', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'nope');
  assert.deepEqual(problemLines(invalidRules(() => loadRules(missing))), [`${missing}:0:0: no such file or directory; pass --rules <dir|file> naming the bridge rules`]);
  assert.deepEqual(problemLines(invalidRules(() => loadRules(dir))), [`${dir}:0:0: no .yaml or .yml rules files in this directory`]);
  const empty = write(dir, 'empty.yaml', '');
  assert.deepEqual(problemLines(invalidRules(() => loadRules(empty))), [`${empty}:1:1: rules must be a mapping with "format: 1" and a "rules:" list; found nothing`]);
});

test('embedded data reports problems at embedded:0:0, naming the JSON path', () => {
  const data = {
    format: 1,
    rules: [
      { id: 'a', match: { user_version: 'five' }, 'bridge-to': '0001_a' },
      { id: 'a', match: { tables: { sessions: 'id' } }, 'bridge-to': '0001_a', extra: true },
    ],
  };
  const error = invalidRules(() => defineRules(data));
  assert.deepEqual(problemLines(error), [
    'embedded:0:0: rules[0].match.user_version: expected an integer, a mapping or a list; found the string "five"',
    'embedded:0:0: rules[1]: unknown key "extra" (expected one of: id, title, match, prepare, bridge-to, import, then, newer, notes)',
    'embedded:0:0: rules[1].match.tables.sessions: expected a list; found the string "id"',
    'embedded:0:0: rules[1]: duplicate rule id "a"; it is also the id of the rule at embedded rules[0]',
  ]);
});
