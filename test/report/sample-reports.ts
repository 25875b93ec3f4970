import type { SchemaDiff } from '../../src/probe/diff.js';
import type { Report, ReportFile, ReportStep, ReportTable, TimelineEntry, TimelineStatus } from '../../src/report/types.js';

/**
 * Hand-made Report documents for the renderer tests: realistic states of the
 * reference app's databases (legacy-fixtures/, bridge-rules/crystal.yaml),
 * written against the Report type only, and a hostile one whose every name
 * and value is an attempt to break out of the HTML.
 */

export const MIGRATIONS = [
  '0001_core_tables',
  '0002_conversation_messages',
  '0003_execution_tracking',
  '0004_project_management',
  '0005_ui_persistence',
  '0006_session_favorites_and_status_check',
  '0007_late_indexes',
  '0008_session_activity',
  '0009_session_git_tracking',
  '0010_session_tags',
] as const;

/** The legacy releases of crystal.yaml, by the migration they bridge to. */
const RULES_AT: Readonly<Record<string, readonly string[]>> = {
  '0001_core_tables': ['legacy-r01'],
  '0002_conversation_messages': ['legacy-r02'],
  '0003_execution_tracking': ['legacy-r03'],
  '0004_project_management': ['legacy-r04'],
  '0005_ui_persistence': ['legacy-r05'],
  '0006_session_favorites_and_status_check': ['legacy-r06-hotfix', 'legacy-r07-lost-index', 'legacy-r07'],
  '0007_late_indexes': ['legacy-r08'],
  '0008_session_activity': ['legacy-r09'],
  '0009_session_git_tracking': ['legacy-r10'],
};

function timeline(status: (i: number) => TimelineStatus, here: number, presence: (i: number) => TimelineEntry['presence'] = () => 'present'): TimelineEntry[] {
  return MIGRATIONS.map((migration, i) => ({ migration, rules: RULES_AT[migration] ?? [], status: status(i), presence: presence(i), here: i === here }));
}

function file(path: string, overrides: Partial<ReportFile> = {}): ReportFile {
  return {
    path,
    sizeBytes: 1_384_448,
    pageSize: 4096,
    pageCount: 338,
    freelistCount: 3,
    journalMode: 'delete',
    encoding: 'UTF-8',
    userVersion: 5,
    applicationId: 0,
    lastWrittenBySqlite: '3.45.1',
    wal: { present: false, sizeBytes: 0 },
    shm: { present: false },
    journal: { present: false },
    readFromCopy: false,
    ...overrides,
  };
}

const TABLES: ReportTable[] = [
  { name: 'app_opens', rows: 214, columns: 2 },
  { name: 'conversation_messages', rows: 8_931, columns: 5 },
  { name: 'execution_diffs', rows: 1_207, columns: 9 },
  { name: 'folders', rows: 12, columns: 6 },
  { name: 'project_run_commands', rows: 31, columns: 7 },
  { name: 'projects', rows: 9, columns: 11 },
  { name: 'prompt_markers', rows: 640, columns: 6 },
  { name: 'session_outputs', rows: 52_318, columns: 5 },
  { name: 'sessions', rows: 1_342, columns: 11 },
  { name: 'ui_state', rows: 4, columns: 2 },
  { name: 'user_preferences', rows: 7, columns: 2 },
];

const ESTIMATE_BASIS = 'rows touched by destructive and data steps, at ~200,000 rows/s';

const SQL_0007 = `CREATE INDEX idx_sessions_status ON sessions(status);
CREATE INDEX idx_sessions_worktree_name ON sessions(worktree_name);
CREATE UNIQUE INDEX idx_projects_path ON projects(path);
CREATE INDEX idx_prompt_markers_session_timestamp ON prompt_markers(session_id, timestamp);
CREATE UNIQUE INDEX idx_execution_diffs_session_sequence ON execution_diffs(session_id, execution_sequence);
CREATE INDEX idx_session_outputs_session_id ON session_outputs(session_id);`;

const SQL_0009 = `ALTER TABLE sessions ADD COLUMN base_commit TEXT;
ALTER TABLE sessions ADD COLUMN base_branch TEXT;`;

const SQL_0010 = `CREATE TABLE session_tags (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (session_id, tag)
);

CREATE INDEX idx_session_tags_tag ON session_tags(tag);`;

const CODE_FLAG = { kind: 'code', detail: 'a code migration (TypeScript/JavaScript): what it touches cannot be read from SQL', rows: null } as const;

const PENDING_AFTER_0006: ReportStep[] = [
  { name: '0007_late_indexes', sql: SQL_0007, flags: [] },
  { name: '0008_session_activity', sql: null, flags: [CODE_FLAG] },
  { name: '0009_session_git_tracking', sql: SQL_0009, flags: [] },
  { name: '0010_session_tags', sql: SQL_0010, flags: [] },
];

const FIXUP_SQL = `CREATE TABLE sessions_new (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN ('initializing', 'ready', 'running', 'waiting', 'stopped', 'completed_unviewed', 'error')),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  is_favorite BOOLEAN DEFAULT 0
)
INSERT INTO sessions_new (id, project_id, name, worktree_name, worktree_path, status, created_at, prompt, last_viewed_at, folder_id, is_favorite)
SELECT id, project_id, name, worktree_name, worktree_path,
       CASE WHEN status IN ('initializing', 'ready', 'running', 'waiting', 'stopped', 'completed_unviewed', 'error') THEN status ELSE 'stopped' END,
       created_at, prompt, last_viewed_at, folder_id, is_favorite
FROM sessions ORDER BY rowid
DROP TABLE sessions
ALTER TABLE sessions_new RENAME TO sessions
CREATE INDEX idx_sessions_project_id ON sessions(project_id)`;

const HEALTHY: Report['health'] = { check: 'quick_check', ok: true, problems: [], foreignKeyViolations: { count: 0, sample: [] }, drift: null };

/** Release 0.5.1 hotfix, bridged by legacy-r06-hotfix at 0006 with a fix-up, four migrations pending. */
export function legacyReport(): Report {
  return {
    format: 'drawbridge-report',
    version: 1,
    generatedAt: '2025-03-14T09:26:53.589Z',
    toolVersion: '0.1.0',
    file: file('/home/support/tickets/4711/crystal-sessions.db'),
    tables: TABLES,
    detection: {
      state: 'legacy',
      rule: {
        id: 'legacy-r06-hotfix',
        title: 'Release 0.5.1 hotfix — sessions.is_favorite without a bump, without the 0.6.0 rebuild',
        notes: 'Half of 0006 is here (the column); the fix-up does the other half (the rebuild) so the database is exactly at 0006. Foreign keys are off during the upgrade, so dropping sessions cascades nothing.',
        then: 'bridge',
        location: 'bridge-rules/crystal.yaml:90',
      },
      bridgePoint: '0006_session_favorites_and_status_check',
      derived: null,
      evidence: [
        { check: 'user_version', expected: 5, found: 5, ok: true },
        { check: 'table sessions', expected: { columns: ['is_favorite', 'status'] }, found: { columns: ['is_favorite', 'status'], missing: [] }, ok: true },
        { check: 'table ui_state', expected: { columns: ['key'] }, found: { columns: ['key'], missing: [] }, ok: true },
        { check: 'absent table sessions_new', expected: 'absent', found: 'absent', ok: true },
        { check: 'sql', expected: 'truthy', found: 1, ok: true },
      ],
      candidates: [{ source: 'rule', id: 'legacy-r06-hotfix', bridgePoint: '0006_session_favorites_and_status_check' }],
      nearest: { rules: [], versions: [] },
      tracking: null,
      foreignHistories: [],
    },
    timeline: timeline((i) => (i <= 5 ? 'backfill' : 'pending'), 5, (i) => (i < 5 ? 'present' : i === 5 ? 'partial' : 'absent')),
    plan: {
      mode: 'bridge',
      action: 'bridge',
      refusal: null,
      prepare: {
        name: 'fix-up of rule legacy-r06-hotfix',
        sql: FIXUP_SQL,
        flags: [{ kind: 'rebuild', detail: 'rebuilds sessions (copy into a new table, drop, rename; indexes and triggers recreated by the step)', rows: 1_342 }],
      },
      backfill: MIGRATIONS.slice(0, 6),
      imported: [],
      pending: PENDING_AFTER_0006,
      target: '0010_session_tags',
      estimate: { rowsTouched: 1_342, seconds: 0.01, basis: ESTIMATE_BASIS },
      command: 'npx drawbridge upgrade /home/support/tickets/4711/crystal-sessions.db',
    },
    health: HEALTHY,
  };
}

export function schemaDiff(tables: Partial<SchemaDiff['tables']>, indexes: Partial<SchemaDiff['indexes']> = {}): SchemaDiff {
  const none = { added: [], removed: [], changed: [] };
  return { identical: false, tables: { ...none, ...tables }, indexes: { ...none, ...indexes }, triggers: none, views: none };
}

/** Nothing claims it: 0.7.0's indexes, half of them, and a column of its own. */
export function unknownReport(): Report {
  const path = '/home/support/tickets/4802/crystal.db';
  return {
    format: 'drawbridge-report',
    version: 1,
    generatedAt: '2025-03-15T16:02:11.020Z',
    toolVersion: '0.1.0',
    file: file(path, { userVersion: 7, sizeBytes: 2_097_152, pageCount: 512, journalMode: 'wal', wal: { present: true, sizeBytes: 164_832 }, shm: { present: true }, readFromCopy: true }),
    tables: TABLES.map((t) => (t.name === 'sessions' ? { ...t, columns: 12 } : t)),
    detection: {
      state: 'unknown',
      rule: null,
      bridgePoint: null,
      derived: null,
      evidence: [],
      candidates: [],
      nearest: {
        rules: [
          {
            id: 'legacy-r08',
            failed: [
              { check: 'index idx_projects_path', expected: 'exists', found: 'missing', ok: false },
              { check: 'index idx_execution_diffs_session_sequence', expected: 'exists', found: 'missing', ok: false },
            ],
          },
          {
            id: 'legacy-r07',
            failed: [
              { check: 'user_version', expected: 6, found: 7, ok: false },
              { check: 'absent index idx_sessions_status', expected: 'absent', found: 'exists', ok: false },
            ],
          },
        ],
        versions: [
          {
            name: '0007_late_indexes',
            differences: 3,
            lines: ['- index idx_execution_diffs_session_sequence', '- index idx_projects_path', '~ table sessions: + column archived_at DATETIME'],
            diff: schemaDiff({ changed: [] }, { removed: ['idx_execution_diffs_session_sequence', 'idx_projects_path'] }),
          },
          {
            name: '0006_session_favorites_and_status_check',
            differences: 5,
            lines: [
              '+ index idx_prompt_markers_session_timestamp',
              '+ index idx_session_outputs_session_id',
              '+ index idx_sessions_status',
              '+ index idx_sessions_worktree_name',
              '~ table sessions: + column archived_at DATETIME',
            ],
            diff: schemaDiff({}, { added: ['idx_prompt_markers_session_timestamp', 'idx_session_outputs_session_id', 'idx_sessions_status', 'idx_sessions_worktree_name'] }),
          },
        ],
      },
      tracking: null,
      foreignHistories: [],
    },
    timeline: timeline(
      () => 'absent',
      -1,
      (i) => (i < 6 ? 'present' : i === 6 ? 'partial' : i === 7 ? 'data-only' : 'absent'),
    ),
    plan: {
      mode: 'bridge',
      action: 'refuse',
      refusal: {
        kind: 'unknown',
        message: `${path}: unrecognised legacy schema: no bridge rule and no version of the sequence matches it. Nearest: rule legacy-r08 (2 checks failed: index idx_projects_path, index idx_execution_diffs_session_sequence); rule legacy-r07 (2 checks failed: user_version, absent index idx_sessions_status); version 0007_late_indexes (3 differences); version 0006_session_favorites_and_status_check (5 differences). Nothing was changed. Add a bridge rule for this state, or run with --mode auto to let the app's old migrations bring it to a known state first.`,
      },
      prepare: null,
      backfill: [],
      imported: [],
      pending: [],
      target: '0010_session_tags',
      estimate: { rowsTouched: 0, seconds: 0, basis: ESTIMATE_BASIS },
      command: `npx drawbridge upgrade ${path}`,
    },
    health: HEALTHY,
  };
}

/** Tracked, with two migrations this app does not know: written by a newer app. Refused. */
export function newerReport(): Report {
  const path = 'C:\\Users\\dana\\AppData\\Roaming\\Crystal\\crystal.db';
  return {
    format: 'drawbridge-report',
    version: 1,
    generatedAt: '2025-03-16T08:00:00.000Z',
    toolVersion: '0.1.0',
    file: file(path, { userVersion: 0, applicationId: 0x43525953, lastWrittenBySqlite: '3.46.0' }),
    tables: [...TABLES, { name: 'drawbridge_migrations', rows: 12, columns: 6 }, { name: 'session_archive', rows: 77, columns: 4 }, { name: 'session_tags', rows: 58, columns: 3 }],
    detection: {
      state: 'newer',
      rule: null,
      bridgePoint: null,
      derived: null,
      evidence: [],
      candidates: [],
      nearest: { rules: [], versions: [] },
      tracking: { applied: 10, pending: 0, unknown: ['0011_session_archive', '0012_workspace_sync'], newerButCompatible: false, compatibilityFloor: null },
      foreignHistories: [],
    },
    timeline: timeline(() => 'applied', 9),
    plan: {
      mode: 'bridge',
      action: 'refuse',
      refusal: {
        kind: 'newer',
        message: `${path} was written by a newer version of the app: the tracking table records migrations this app does not have (0011_session_archive, 0012_workspace_sync). Nothing was changed. Run the newer app.`,
      },
      prepare: null,
      backfill: [],
      imported: [],
      pending: [],
      target: '0010_session_tags',
      estimate: { rowsTouched: 0, seconds: 0, basis: ESTIMATE_BASIS },
      command: `npx drawbridge upgrade '${path}'`,
    },
    health: HEALTHY,
  };
}

/** Tracked at 0007, upgraded --to 0009: a damaged page, three orphaned rows and a hand-made index. */
export function unhealthyReport(): Report {
  const path = '/srv/crystal/data/crystal.db';
  return {
    format: 'drawbridge-report',
    version: 1,
    generatedAt: '2025-03-17T11:45:30.000Z',
    toolVersion: '0.1.0',
    file: file(path, { userVersion: 0, freelistCount: 41 }),
    tables: [...TABLES, { name: 'drawbridge_migrations', rows: 7, columns: 6 }],
    detection: {
      state: 'tracked',
      rule: null,
      bridgePoint: null,
      derived: null,
      evidence: [],
      candidates: [],
      nearest: { rules: [], versions: [] },
      tracking: { applied: 7, pending: 3, unknown: [], newerButCompatible: false, compatibilityFloor: null },
      foreignHistories: [],
    },
    timeline: timeline((i) => (i < 7 ? 'applied' : i <= 8 ? 'pending' : 'beyond-target'), 6),
    plan: {
      mode: 'bridge',
      action: 'run-pending',
      refusal: null,
      prepare: null,
      backfill: [],
      imported: [],
      pending: [
        {
          name: '0008_session_activity',
          sql: null,
          flags: [CODE_FLAG],
        },
        {
          name: '0009_session_git_tracking',
          sql: `${SQL_0009}\nUPDATE sessions SET base_branch = 'main' WHERE base_branch IS NULL;\nDELETE FROM user_preferences WHERE key = 'migration.git_tracking';`,
          flags: [
            { kind: 'data', detail: 'updates sessions', rows: 1_342 },
            { kind: 'drop', detail: 'deletes rows from user_preferences', rows: 7 },
          ],
        },
      ],
      target: '0009_session_git_tracking',
      estimate: { rowsTouched: 1_349, seconds: 0.01, basis: ESTIMATE_BASIS },
      command: `npx drawbridge upgrade ${path} --to 0009_session_git_tracking`,
    },
    health: {
      check: 'integrity_check',
      ok: false,
      problems: ['*** in database main ***\nPage 212: btreeInitPage() returns error code 11', 'row 17 missing from index idx_sessions_status', 'wrong # of entries in index idx_sessions_status'],
      foreignKeyViolations: {
        count: 3,
        sample: [
          { table: 'session_outputs', rowid: 90_211, parent: 'sessions', values: ['d3f1c2aa-07'] },
          { table: 'session_outputs', rowid: 90_212, parent: 'sessions', values: ['d3f1c2aa-07'] },
          { table: 'prompt_markers', rowid: null, parent: 'sessions', values: [null, 42] },
        ],
      },
      drift: { against: '0007_late_indexes', identical: false, lines: ['+ index idx_sessions_custom_created', '~ table sessions: + column notes TEXT'] },
    },
  };
}

/** Strings that try to break out of the HTML, each to appear only escaped. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '"><img src=x onerror=alert(1)>',
  pwnScript: '<script>window.__pwned=1</script>',
  pwnImg: '<img src=x onerror="window.__pwned=1">',
  quotes: `it's "quoted"; DROP TABLE x; -- & more`,
  unicode: 'projekte_ü_プロジェクト_🚀_\u202Eevil',
  long: `t${'x'.repeat(198)}z`,
  style: '</style><style>body{display:none}</style>',
  comment: '--><!--',
} as const;

/** A legacy report in which every name and value a customer's database can carry is hostile. */
export function hostileReport(): Report {
  const base = legacyReport();
  const h = HOSTILE;
  const path = `/tmp/${h.img}/${h.pwnScript}.db`;
  return {
    ...base,
    toolVersion: h.style,
    file: { ...base.file, path, journalMode: h.comment, encoding: h.quotes },
    tables: [
      ...base.tables,
      { name: h.script, rows: 1, columns: 1 },
      { name: h.img, rows: 2, columns: 2 },
      { name: h.pwnScript, rows: 3, columns: 3 },
      { name: h.pwnImg, rows: 4, columns: 4 },
      { name: h.quotes, rows: 5, columns: 5 },
      { name: h.unicode, rows: 6, columns: 6 },
      { name: h.long, rows: 7, columns: 7 },
    ],
    detection: {
      ...base.detection,
      state: h.pwnImg,
      rule: { id: h.pwnScript, title: h.img, notes: h.script, then: 'bridge', location: h.style },
      bridgePoint: h.pwnImg,
      derived: { name: h.quotes, userAdditions: [h.script, h.unicode] },
      evidence: [
        { check: `table ${h.script}`, expected: { columns: [h.img, h.quotes] }, found: { columns: [h.img], missing: [h.quotes] }, ok: false },
        { check: `index ${h.pwnImg}`, expected: h.pwnScript, found: h.long, ok: true },
        { check: 'sql', expected: 'truthy', found: `error: no such table: ${h.unicode}`, ok: false },
      ],
      candidates: [
        { source: 'rule', id: h.script, bridgePoint: h.img },
        { source: 'derived', id: h.pwnImg, bridgePoint: null },
      ],
      nearest: {
        rules: [{ id: h.img, failed: [{ check: `absent table ${h.pwnScript}`, expected: 'absent', found: h.pwnImg, ok: false }] }],
        versions: [{ name: h.script, differences: 2, lines: [`+ table ${h.pwnScript}`, `~ table ${h.img}: + column ${h.quotes}`], diff: schemaDiff({ added: [h.pwnScript] }) }],
      },
      tracking: { applied: 1, pending: 2, unknown: [h.pwnImg], newerButCompatible: false, compatibilityFloor: null },
      foreignHistories: [{ tool: h.img, table: h.script, rows: 1, imported: true, problems: [`${h.pwnScript} is dirty`] }],
    },
    timeline: [
      { migration: h.script, rules: [h.img, h.pwnScript], status: 'backfill', presence: 'present', here: false },
      { migration: h.pwnImg, rules: [h.long], status: 'backfill', presence: 'partial', here: true },
      { migration: h.unicode, rules: [], status: 'pending', presence: 'absent', here: false },
      { migration: h.long, rules: [h.quotes], status: 'beyond-target', presence: 'data-only', here: false },
    ],
    plan: {
      mode: h.quotes,
      action: h.img,
      refusal: { kind: h.script, message: `refused: ${h.pwnImg} ${h.style}` },
      prepare: { name: `fix-up of rule ${h.pwnScript}`, sql: `DROP TABLE "${h.script}";\n-- ${h.comment}`, flags: [{ kind: 'drop', detail: `drops table ${h.script}`, rows: 1 }] },
      backfill: [h.script, h.pwnImg],
      imported: [{ name: h.pwnImg, tool: h.img, table: h.script, ids: [h.pwnScript, h.quotes] }],
      pending: [
        { name: h.unicode, sql: `UPDATE "${h.img}" SET x = '${h.pwnImg}';`, flags: [{ kind: 'data', detail: `updates ${h.img}`, rows: null }] },
        { name: h.long, sql: null, flags: [{ kind: 'code', detail: h.pwnScript, rows: null }] },
      ],
      target: h.long,
      estimate: { rowsTouched: 1, seconds: 0, basis: h.script },
      command: `npx drawbridge upgrade '${path}'`,
    },
    health: {
      check: 'quick_check',
      ok: false,
      problems: [h.script, h.pwnImg],
      foreignKeyViolations: { count: 1, sample: [{ table: h.img, rowid: 1, parent: h.pwnScript, values: [h.quotes, h.pwnImg, 3, null] }] },
      drift: { against: h.script, identical: false, lines: [`+ index ${h.pwnImg}`] },
    },
  };
}

export const SAMPLES: readonly { readonly name: string; readonly report: () => Report }[] = [
  { name: 'legacy', report: legacyReport },
  { name: 'unknown', report: unknownReport },
  { name: 'newer', report: newerReport },
  { name: 'unhealthy', report: unhealthyReport },
  { name: 'hostile', report: hostileReport },
];
