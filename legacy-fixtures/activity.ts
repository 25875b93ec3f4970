import type { LegacyDb } from './legacy-db.js';
import type { Clock, Rng } from './random.js';
import { SESSION_STATUSES } from './releases/ddl.js';
import { columnNames, sessionsHasStatusCheck, tableExists } from './releases/probes.js';

/**
 * Realistic use of the reference app between two releases: projects opened,
 * sessions run, their output, conversations, prompt markers, diffs, run
 * commands, folders, UI state, app opens, preferences. It writes only into
 * the tables and columns the database has at that point (it probes, like the
 * app of that release would simply have known), and only values that
 * release's constraints accept. Every value comes from the seeded Rng and
 * Clock: the same seed writes the same rows.
 */

type Value = string | number | null;
type Row = Record<string, Value>;

const PROJECT_NAMES = ['crystal', 'billing-api', 'docs-site', 'mobile-app', 'infra', 'data-pipeline', 'design-system', 'cli-tools'] as const;
const SESSION_VERBS = ['Fix', 'Add', 'Refactor', 'Investigate', 'Speed up', 'Document', 'Remove', 'Test'] as const;
const SESSION_NOUNS = ['login flow', 'flaky test', 'sidebar', 'export to CSV', 'dark mode', 'rate limiter', 'retry logic', 'search index'] as const;
const RUN_SCRIPTS = ['npm run dev', 'pnpm dev', 'cargo run', 'make serve', '', null] as const;
const EXTRA_COMMANDS = [
  ['npm test', 'Test'],
  ['npm run lint', 'Lint'],
  ['docker compose up', 'Services'],
  ['npm run build', 'Build'],
] as const;
const FOLDER_NAMES = ['Bugs', 'Features', 'Spikes', 'Release prep', 'Chores'] as const;
const LEGACY_STATUSES = ['paused', null] as const;

class Writer {
  private readonly columns = new Map<string, ReadonlySet<string>>();

  constructor(readonly db: LegacyDb) {}

  has(table: string): boolean {
    return tableExists(this.db, table);
  }

  /** INSERT the values whose columns the table has; returns the new rowid. */
  insert(table: string, row: Row, verb = 'INSERT'): number {
    let columns = this.columns.get(table);
    if (columns === undefined) {
      columns = new Set(columnNames(this.db, table));
      this.columns.set(table, columns);
    }
    const keys = Object.keys(row).filter((key) => columns.has(key));
    const placeholders = keys.map(() => '?').join(', ');
    this.db.prepare(`${verb} INTO ${table} (${keys.join(', ')}) VALUES (${placeholders})`).run(...keys.map((key) => row[key] ?? null));
    return this.number('SELECT last_insert_rowid()');
  }

  number(sql: string, ...params: Value[]): number {
    const row = this.db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
    const value = row === undefined ? undefined : Object.values(row)[0];
    return typeof value === 'number' ? value : 0;
  }

  column<T extends Value>(sql: string, ...params: Value[]): T[] {
    const rows = this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    return rows.map((row) => Object.values(row)[0] as T);
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function addProjects(w: Writer, rng: Rng, clock: Clock, count: number): void {
  for (let i = 0; i < count; i++) {
    const n = w.number('SELECT coalesce(max(id), 0) + 1 FROM projects');
    const name = `${rng.pick(PROJECT_NAMES)}-${n}`;
    const at = clock.tick(60, 3600);
    w.insert('projects', {
      name,
      path: `/Users/dev/code/${name}`, // unique: idx_projects_path is UNIQUE from 0.7.0
      system_prompt: rng.chance(0.4) ? 'Prefer small, reviewed commits. Run the tests before you finish.' : null,
      run_script: rng.pick(RUN_SCRIPTS),
      display_order: n,
      created_at: at,
      updated_at: at,
    });
  }
}

function addProjectExtras(w: Writer, rng: Rng, clock: Clock, projects: readonly number[]): void {
  if (w.has('folders')) {
    const projectId = rng.pick(projects);
    w.insert('folders', {
      id: rng.uuid(),
      name: rng.pick(FOLDER_NAMES),
      project_id: projectId,
      display_order: w.number('SELECT count(*) FROM folders WHERE project_id = ?', projectId),
      created_at: clock.tick(),
    });
  }
  if (w.has('project_run_commands')) {
    const projectId = rng.pick(projects);
    const [command, displayName] = rng.pick(EXTRA_COMMANDS);
    w.insert('project_run_commands', {
      project_id: projectId,
      command,
      display_name: displayName,
      order_index: w.number('SELECT count(*) FROM project_run_commands WHERE project_id = ?', projectId),
      created_at: clock.tick(),
    });
  }
  if (w.has('workspaces')) {
    const id = rng.uuid();
    w.insert('workspaces', { id, name: `Workspace ${w.number('SELECT count(*) + 1 FROM workspaces')}`, created_at: clock.tick() });
    w.db.prepare('UPDATE projects SET workspace_id = ? WHERE id = ?').run(id, rng.pick(projects));
  }
}

function statusFor(rng: Rng, checked: boolean): string | null {
  // Before 0.6.0 nothing stopped the app from writing a status outside the list.
  if (!checked && rng.chance(0.2)) return rng.pick(LEGACY_STATUSES);
  return rng.pick(SESSION_STATUSES);
}

function addOutputs(w: Writer, rng: Rng, clock: Clock, sessionId: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const type = rng.pick(['stdout', 'stdout', 'json', 'stderr'] as const);
    const data =
      type === 'json'
        ? JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: `Step ${i + 1} done.` }] } })
        : type === 'stderr'
          ? `warning: unused variable \`x${rng.int(1, 99)}\``
          : `$ ${rng.pick(['npm test', 'git status', 'ls src', 'npm run build'])}\n${rng.int(1, 40)} lines of output`;
    w.insert('session_outputs', { session_id: sessionId, type, data, timestamp: clock.tick(1, 90) });
  }
}

function addConversation(w: Writer, rng: Rng, clock: Clock, sessionId: string, prompt: string): void {
  if (!w.has('conversation_messages')) return;
  w.insert('conversation_messages', { session_id: sessionId, message_type: 'user', content: prompt, timestamp: clock.tick(1, 30) });
  w.insert('conversation_messages', {
    session_id: sessionId,
    message_type: 'assistant',
    content: `I looked at it and changed ${rng.int(1, 6)} file(s).`,
    timestamp: clock.tick(5, 300),
  });
}

function addExecutions(w: Writer, rng: Rng, clock: Clock, sessionId: string, prompt: string): void {
  if (!w.has('prompt_markers')) return;
  const markers = rng.int(1, 2);
  for (let i = 0; i < markers; i++) {
    const markerId = w.insert('prompt_markers', {
      session_id: sessionId,
      prompt_text: i === 0 ? prompt : 'Now add a test for it.',
      output_index: w.number('SELECT count(*) FROM session_outputs WHERE session_id = ?', sessionId),
      output_line: rng.chance(0.5) ? rng.int(1, 200) : null,
      timestamp: clock.tick(1, 60),
    });
    if (!w.has('execution_diffs')) continue;
    const file = `src/${rng.pick(['auth', 'ui', 'db', 'api'])}/${rng.pick(['index', 'service', 'util'])}.ts`;
    const additions = rng.int(0, 120);
    const deletions = rng.int(0, 60);
    w.insert('execution_diffs', {
      session_id: sessionId,
      prompt_marker_id: markerId,
      // unique per session (idx_execution_diffs_session_sequence is UNIQUE from 0.7.0)
      execution_sequence: w.number('SELECT coalesce(max(execution_sequence), 0) + 1 FROM execution_diffs WHERE session_id = ?', sessionId),
      git_diff: `diff --git a/${file} b/${file}\n@@ -1,3 +1,${3 + additions} @@\n+// ${additions} lines added\n`,
      files_changed: JSON.stringify([file]),
      stats_additions: additions,
      stats_deletions: deletions,
      stats_files_changed: 1,
      before_commit_hash: rng.hex(40),
      after_commit_hash: rng.hex(40),
      timestamp: clock.tick(5, 600),
    });
  }
}

function addSessions(w: Writer, rng: Rng, clock: Clock, projects: readonly number[], count: number): string[] {
  const checked = sessionsHasStatusCheck(w.db);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = rng.uuid();
    const projectId = rng.pick(projects);
    const projectPath = w.column<string>('SELECT path FROM projects WHERE id = ?', projectId)[0] ?? '/tmp';
    const name = `${rng.pick(SESSION_VERBS)} ${rng.pick(SESSION_NOUNS)}`;
    const worktree = `${slug(name)}-${w.number('SELECT count(*) + 1 FROM sessions')}`;
    const folders = w.has('folders') ? w.column<string>('SELECT id FROM folders WHERE project_id = ? ORDER BY id', projectId) : [];
    const prompt = `${name} (see the issue tracker)`;
    const createdAt = clock.tick(60, 7200);
    w.insert('sessions', {
      id,
      project_id: projectId,
      name,
      worktree_name: worktree,
      worktree_path: `${projectPath}/worktrees/${worktree}`,
      status: statusFor(rng, checked),
      created_at: createdAt,
      updated_at: createdAt,
      prompt,
      last_viewed_at: rng.chance(0.5) ? clock.tick(10, 600) : null,
      folder_id: folders.length > 0 && rng.chance(0.4) ? rng.pick(folders) : null,
      is_favorite: rng.chance(0.25) ? 1 : 0,
      base_commit: rng.hex(40),
      base_branch: rng.pick(['main', 'main', 'develop']),
    });
    addConversation(w, rng, clock, id, prompt);
    addOutputs(w, rng, clock, id, rng.int(2, 5));
    addExecutions(w, rng, clock, id, prompt);
    ids.push(id);
  }
  return ids;
}

/** Sessions from earlier rounds are reopened: more output, a new status, viewed again. */
function touchOldSessions(w: Writer, rng: Rng, clock: Clock, fresh: readonly string[]): void {
  const old = w.column<string>('SELECT id FROM sessions ORDER BY rowid').filter((id) => !fresh.includes(id));
  if (old.length === 0) return;
  const checked = sessionsHasStatusCheck(w.db);
  for (let i = 0; i < 2; i++) {
    const id = rng.pick(old);
    addOutputs(w, rng, clock, id, 1);
    w.db.prepare('UPDATE sessions SET status = ? WHERE id = ?').run(statusFor(rng, checked), id);
    if (columnNames(w.db, 'sessions').includes('last_viewed_at')) {
      w.db.prepare('UPDATE sessions SET last_viewed_at = ? WHERE id = ?').run(clock.tick(10, 600), id);
    }
  }
}

function addAppState(w: Writer, rng: Rng, clock: Clock, projects: readonly number[]): void {
  if (w.has('ui_state')) {
    w.insert('ui_state', { key: 'sidebar.width', value: String(rng.int(200, 420)), updated_at: clock.tick() }, 'INSERT OR REPLACE');
    w.insert('ui_state', { key: 'sidebar.lastProject', value: String(rng.pick(projects)), updated_at: clock.tick() }, 'INSERT OR REPLACE');
  }
  if (w.has('app_opens')) {
    const opens = rng.int(1, 3);
    for (let i = 0; i < opens; i++) {
      w.insert('app_opens', { opened_at: clock.tick(600, 86_400), welcome_hidden: rng.chance(0.7) ? 1 : 0, discord_shown: rng.chance(0.3) ? 1 : 0 });
    }
  }
  if (w.has('user_preferences')) {
    w.insert('user_preferences', { key: 'theme', value: rng.pick(['dark', 'light', 'system']), updated_at: clock.tick() }, 'INSERT OR REPLACE');
    w.insert('user_preferences', { key: 'notifications.enabled', value: rng.pick(['true', 'false']), updated_at: clock.tick() }, 'INSERT OR REPLACE');
  }
}

/** One round of use of the app (between two releases, or after a fresh install). */
export function addActivity(db: LegacyDb, rng: Rng, clock: Clock): void {
  const w = new Writer(db);
  const first = w.number('SELECT count(*) FROM projects') === 0;
  addProjects(w, rng, clock, rng.int(1, 2) + (first ? 1 : 0));
  const projects = w.column<number>('SELECT id FROM projects ORDER BY id');
  addProjectExtras(w, rng, clock, projects);
  const fresh = addSessions(w, rng, clock, projects, rng.int(2, 4));
  touchOldSessions(w, rng, clock, fresh);
  addAppState(w, rng, clock, projects);
}

/** Rows whose parent session does not exist (written with foreign keys off): what a crash or a bug leaves behind. */
export function addOrphans(db: LegacyDb, rng: Rng, clock: Clock): void {
  const w = new Writer(db);
  for (let i = 0; i < 3; i++) {
    const ghost = `deleted-${rng.uuid()}`;
    w.insert('session_outputs', { session_id: ghost, type: 'stdout', data: 'output of a session that is gone', timestamp: clock.tick() });
    w.insert('conversation_messages', { session_id: ghost, message_type: 'user', content: 'a message of a session that is gone', timestamp: clock.tick() });
  }
}
