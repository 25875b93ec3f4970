import Database from 'better-sqlite3';

/**
 * agent-world (seed 002) before drawbridge: `sqlite-schema.ts` created the
 * base tables, then patched the schema version by version, probing columns
 * and bumping PRAGMA user_version (0–7). Its error handling "tried to
 * continue anyway": a failed ALTER was logged and swallowed, and the version
 * was bumped regardless. Late in 2025 a SQL-file runner with a
 * `schema_migrations` table took over the new tables (events, event
 * sequences) on top of version 7.
 */

export type LegacyHandle = Database.Database;

export interface LegacyOptions {
  /** Simulate installs where adding message_id failed at version 5 and was swallowed. */
  readonly messageIdFails?: boolean;
}

const BASE_TABLES = `
create table if not exists worlds(
  id text primary key, name text not null, description text,
  turn_limit integer not null default 5, created_at text not null default (datetime('now')));
create table if not exists agents(
  id text not null, world_id text not null references worlds(id) on delete cascade,
  name text not null, type text not null default 'assistant', system_prompt text,
  primary key (id, world_id));
create table if not exists agent_memory(
  id integer primary key autoincrement, agent_id text not null, world_id text not null,
  role text not null, content text not null, created_at text not null default (datetime('now')),
  foreign key (agent_id, world_id) references agents(id, world_id) on delete cascade);
create index if not exists idx_agent_memory_agent on agent_memory(agent_id, world_id);
`;

function hasColumn(db: LegacyHandle, table: string, column: string): boolean {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).some((c) => c.name === column);
}

/** The old code's "try to continue anyway". */
function tryToContinue(db: LegacyHandle, sql: string, fails: boolean): void {
  try {
    if (fails) throw new Error(`simulated failure: ${sql}`);
    db.exec(sql);
  } catch {
    // swallowed, as the original did
  }
}

/** One step per schema version: what version N added over N-1. */
const STEPS: readonly ((db: LegacyHandle, options: LegacyOptions) => void)[] = [
  () => undefined,
  (db) => db.exec("create table if not exists chats(id text primary key, world_id text not null references worlds(id) on delete cascade, name text not null, created_at text not null default (datetime('now')), updated_at text not null default (datetime('now'))); create index if not exists idx_chats_world on chats(world_id);"),
  (db) => {
    if (!hasColumn(db, 'agent_memory', 'chat_id')) db.exec('alter table agent_memory add column chat_id text');
    db.exec('create index if not exists idx_agent_memory_chat on agent_memory(chat_id)');
  },
  (db) => {
    for (const [column, type] of [['provider', 'text'], ['model', 'text'], ['temperature', 'real']] as const) {
      if (!hasColumn(db, 'agents', column)) db.exec(`alter table agents add column ${column} ${type}`);
    }
  },
  (db) => {
    if (!hasColumn(db, 'worlds', 'current_chat_id')) db.exec('alter table worlds add column current_chat_id text');
  },
  (db, options) => {
    if (!hasColumn(db, 'agent_memory', 'message_id')) tryToContinue(db, 'alter table agent_memory add column message_id text', options.messageIdFails === true);
  },
  (db) => {
    if (!hasColumn(db, 'agent_memory', 'reply_to_message_id')) db.exec('alter table agent_memory add column reply_to_message_id text');
  },
  (db, options) => {
    tryToContinue(db, 'create index if not exists idx_agent_memory_message on agent_memory(message_id)', options.messageIdFails === true);
    db.exec('create index if not exists idx_agent_memory_reply on agent_memory(reply_to_message_id)');
  },
];

export const LATEST_VERSION = STEPS.length - 1;

/** `initializeSchema()` of the release whose schema version was `target`. */
export function runLegacySchema(db: LegacyHandle, target: number = LATEST_VERSION, options: LegacyOptions = {}): void {
  db.exec(BASE_TABLES);
  const from = Number(db.pragma('user_version', { simple: true }));
  for (let version = from + 1; version <= target; version += 1) {
    STEPS[version]?.(db, options);
    db.pragma(`user_version = ${version}`);
  }
}

/** The feature flag's fallback (`--legacy`): the last release's initializeSchema. */
export function run(db: LegacyHandle): void {
  runLegacySchema(db);
}

/** The late-2025 SQL-file runner: its files, as it numbered them, and its tracking table. */
export const RUNNER_FILES: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 1,
    name: '0001_create_events_table.sql',
    sql: "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE, chat_id TEXT, seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL DEFAULT (datetime('now')), UNIQUE (world_id, chat_id, seq)); CREATE INDEX IF NOT EXISTS idx_events_world_chat ON events(world_id, chat_id);",
  },
  {
    version: 2,
    name: '0002_add_event_sequences.sql',
    sql: "CREATE TABLE IF NOT EXISTS event_sequences (world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE, chat_id TEXT NOT NULL DEFAULT '', last_seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (world_id, chat_id));",
  },
];

/** Run the SQL-file runner's first `count` files, recording each in schema_migrations as it did. */
export function runSqlFileRunner(db: LegacyHandle, count: number = RUNNER_FILES.length): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))");
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const file of RUNNER_FILES.slice(0, count)) {
    db.transaction(() => {
      db.exec(file.sql);
      record.run(file.version, file.name, `2025-11-0${file.version + 1} 09:30:00`);
    })();
  }
}

/** Some rows a user of that version would have: two worlds, agents, chats and memory where the schema has them. */
export function addActivity(db: LegacyHandle): void {
  db.prepare("INSERT INTO worlds (id, name, description) VALUES ('w1', 'Default World', 'first'), ('w2', 'Side', NULL)").run();
  db.prepare("INSERT INTO agents (id, world_id, name, system_prompt) VALUES ('a1', 'w1', 'Ada', 'You are Ada'), ('a2', 'w1', 'Bob', NULL), ('a1', 'w2', 'Ada', NULL)").run();
  const hasChats = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'chats'").get() !== undefined;
  if (hasChats) db.prepare("INSERT INTO chats (id, world_id, name) VALUES ('c1', 'w1', 'Morning'), ('c2', 'w1', 'Evening')").run();
  const insert = db.prepare('INSERT INTO agent_memory (agent_id, world_id, role, content) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 25; i += 1) insert.run(i % 2 === 0 ? 'a1' : 'a2', 'w1', i % 2 === 0 ? 'user' : 'assistant', `message ${i}`);
  if (hasColumn(db, 'agent_memory', 'chat_id')) db.prepare("UPDATE agent_memory SET chat_id = CASE WHEN id % 2 = 0 THEN 'c1' ELSE 'c2' END").run();
}

/** A database file as an install of schema version `version` left it (with some activity). */
export function createLegacyDatabase(file: string, version: number, options: LegacyOptions & { readonly runnerFiles?: number } = {}): void {
  const db = new Database(file);
  try {
    runLegacySchema(db, version, options);
    addActivity(db);
    if (options.runnerFiles !== undefined) runSqlFileRunner(db, options.runnerFiles);
  } finally {
    db.close();
  }
}
