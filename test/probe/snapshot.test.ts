import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotOf } from '../helpers/database.js';
import { diffSnapshots, type ColumnChange, type FieldChange, type ObjectChanges, type SchemaDiff, type TableChange } from '../../src/probe/diff.js';
import { schemaHash } from '../../src/probe/snapshot.js';

/**
 * The must-show list: two real (in-memory) databases per test, compared by
 * their snapshots. Equal schemas must give deep-equal snapshots; different
 * ones a diff that names exactly the difference, and nothing else.
 */


/** `base` with `from` replaced by `to`; `from` must occur exactly once. */
function variant(base: string, from: string, to: string): string {
  assert.equal(base.split(from).length, 2, `expected exactly one ${JSON.stringify(from)} in the base schema`);
  return base.replace(from, to);
}

function assertSameSnapshot(a: string, b: string, tables: readonly string[]): void {
  const left = snapshotOf(a);
  assert.deepEqual(Object.keys(left.tables), tables);
  assert.deepEqual(snapshotOf(b), left);
}

const noObjects = <C>(): ObjectChanges<C> => ({ added: [], removed: [], changed: [] });

function schemaDiff(parts: Partial<Pick<SchemaDiff, 'tables' | 'indexes' | 'triggers' | 'views'>>): SchemaDiff {
  return { identical: false, tables: noObjects(), indexes: noObjects(), triggers: noObjects(), views: noObjects(), ...parts };
}

function tableChange(table: string, parts: Partial<Omit<TableChange, 'table'>>): TableChange {
  return {
    table,
    columns: noObjects<ColumnChange>(),
    foreignKeys: { added: [], removed: [] },
    checks: { added: [], removed: [] },
    uniques: { added: [], removed: [] },
    fields: [],
    ...parts,
  };
}

const changedTable = (change: TableChange): SchemaDiff => schemaDiff({ tables: { added: [], removed: [], changed: [change] } });

const changedColumn = (table: string, column: string, changes: FieldChange[]): SchemaDiff =>
  changedTable(tableChange(table, { columns: { added: [], removed: [], changed: [{ column, changes }] } }));

const changedIndex = (name: string, changes: FieldChange[]): SchemaDiff => schemaDiff({ indexes: { added: [], removed: [], changed: [{ name, changes }] } });

function diffOf(from: string, to: string): SchemaDiff {
  return diffSnapshots(snapshotOf(from), snapshotOf(to));
}

const SESSIONS = `
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  updated_at TEXT
);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN ('initializing', 'ready', 'closed')),
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE tags (
  label TEXT NOT NULL PRIMARY KEY,
  color TEXT
);
CREATE INDEX idx_sessions_status ON sessions (status);
CREATE INDEX idx_sessions_open ON sessions (created_at) WHERE status <> 'closed';
CREATE INDEX idx_sessions_name_lower ON sessions (lower(name));
CREATE TRIGGER trg_sessions_touch AFTER UPDATE OF status ON sessions
BEGIN
  UPDATE projects SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.project_id;
END;
CREATE VIEW open_sessions AS SELECT id, name FROM sessions WHERE status <> 'closed';
`;

// ---- equal -------------------------------------------------------------------

test('reordered columns give equal snapshots', () => {
  assertSameSnapshot(
    'CREATE TABLE sessions (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT DEFAULT \'new\', score REAL)',
    'CREATE TABLE sessions (score REAL, status TEXT DEFAULT \'new\', name TEXT NOT NULL, id INTEGER PRIMARY KEY)',
    ['sessions'],
  );
});

test('whitespace, comments and identifier quoting give equal snapshots', () => {
  const spellings = [
    'CREATE TABLE sessions (id INTEGER PRIMARY KEY, status TEXT NOT NULL CHECK (status <> \'\')); CREATE INDEX idx_status ON sessions (status);',
    'CREATE TABLE "sessions" (\n  "id" INTEGER PRIMARY KEY, -- the key\n  "status" TEXT NOT NULL CHECK ("status" <> \'\')\n);\nCREATE INDEX "idx_status" ON "sessions" ("status");',
    'CREATE   TABLE [sessions](/* key */[id] INTEGER   PRIMARY KEY,[status] TEXT NOT NULL CHECK([status]<>\'\'));CREATE INDEX [idx_status] ON [sessions]([status]);',
    'CREATE TABLE `sessions` (`id` INTEGER PRIMARY KEY, `status` TEXT NOT NULL CHECK (`status` <> \'\')); CREATE INDEX `idx_status` ON `sessions` (`status`);',
  ];
  const [first, ...rest] = spellings.map(snapshotOf);
  assert.deepEqual(Object.keys(first?.tables ?? {}), ['sessions']);
  for (const snapshot of rest) assert.deepEqual(snapshot, first);
});

test('identifier case in constraints and index definitions gives equal snapshots', () => {
  assertSameSnapshot(
    `CREATE TABLE projects (id INTEGER, code TEXT, PRIMARY KEY (id), UNIQUE (code));
     CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id), status TEXT CHECK (status <> 'x'));
     CREATE INDEX idx_status ON sessions (status, project_id) WHERE status IS NOT NULL;`,
    `CREATE TABLE projects (id INTEGER, code TEXT, PRIMARY KEY (ID), UNIQUE (Code));
     CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES PROJECTS(ID), status TEXT CHECK (STATUS <> 'x'));
     CREATE INDEX idx_status ON SESSIONS (Status, PROJECT_ID) WHERE STATUS IS NOT NULL;`,
    ['projects', 'sessions'],
  );
});

test('VARCHAR(255) and TEXT (the same affinity) give equal snapshots', () => {
  assertSameSnapshot('CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(255))', 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)', ['t']);
});

test('VARCHAR(255) and TEXT (the same affinity) diff as identical', () => {
  assert.equal(diffOf('CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(255))', 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)').identical, true);
});

test('REFERENCES projects and REFERENCES projects(id), id being its primary key, give equal snapshots', () => {
  assertSameSnapshot(
    'CREATE TABLE projects (id INTEGER PRIMARY KEY); CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects ON DELETE CASCADE)',
    'CREATE TABLE projects (id INTEGER PRIMARY KEY); CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE)',
    ['projects', 'sessions'],
  );
});

test('a CHECK at column level and the same CHECK at table level give equal snapshots', () => {
  assertSameSnapshot(
    "CREATE TABLE sessions (id INTEGER PRIMARY KEY, status TEXT CHECK (status IN ('new', 'done')))",
    "CREATE TABLE sessions (id INTEGER PRIMARY KEY, status TEXT, CHECK (status IN ('new', 'done')))",
    ['sessions'],
  );
});

test('CREATE INDEX IF NOT EXISTS and CREATE INDEX give equal snapshots', () => {
  assertSameSnapshot(
    'CREATE TABLE t (a TEXT, b TEXT); CREATE INDEX IF NOT EXISTS idx_ab ON t (a, b DESC) WHERE a IS NOT NULL',
    'CREATE TABLE t (a TEXT, b TEXT); CREATE INDEX idx_ab ON t (a, b DESC) WHERE a IS NOT NULL',
    ['t'],
  );
});

test('a trigger and a view written with different whitespace and case give equal snapshots', () => {
  assertSameSnapshot(
    `CREATE TABLE t (a INTEGER, b TEXT);
     CREATE TRIGGER trg_t AFTER INSERT ON t BEGIN UPDATE t SET b = 'Set' WHERE a = NEW.a; END;
     CREATE VIEW v AS SELECT a, b FROM t WHERE b <> 'X';`,
    `CREATE TABLE t (a INTEGER, b TEXT);
     create trigger trg_t
       after insert on T
     begin
       update T set B='Set'   where A=new.A;
     end;
     create view v as
       select A,B
       from T where B<>'X';`,
    ['t'],
  );
});

test('a table created at once and the same table built by ALTER TABLE ADD COLUMN give equal snapshots', () => {
  assertSameSnapshot(
    `CREATE TABLE projects (id INTEGER PRIMARY KEY);
     CREATE TABLE sessions (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '' COLLATE NOCASE CHECK (length(name) < 100),
       project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL, score REAL DEFAULT 0);`,
    `CREATE TABLE projects (id INTEGER PRIMARY KEY);
     CREATE TABLE sessions (id INTEGER PRIMARY KEY);
     ALTER TABLE sessions ADD COLUMN name TEXT NOT NULL DEFAULT '' COLLATE NOCASE CHECK (length(name) < 100);
     ALTER TABLE sessions ADD COLUMN project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL;
     ALTER TABLE sessions ADD COLUMN score REAL DEFAULT 0;`,
    ['projects', 'sessions'],
  );
});

// ---- different -----------------------------------------------------------------

test('a changed default is exactly that column default', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, "DEFAULT 'initializing'", "DEFAULT 'ready'")),
    changedColumn('sessions', 'status', [{ field: 'default', from: "'initializing'", to: "'ready'" }]),
  );
});

test('a missing index is exactly that index', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, 'CREATE INDEX idx_sessions_status ON sessions (status);', '')),
    schemaDiff({ indexes: { added: [], removed: ['idx_sessions_status'], changed: [] } }),
  );
});

test('a changed foreign key action is one removed and one added foreign key', () => {
  const fk = { columns: ['project_id'], parentTable: 'projects', parentColumns: ['id'], onUpdate: 'NO ACTION', match: 'NONE' };
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, 'ON DELETE CASCADE', 'ON DELETE SET NULL')),
    changedTable(tableChange('sessions', { foreignKeys: { removed: [{ ...fk, onDelete: 'CASCADE' }], added: [{ ...fk, onDelete: 'SET NULL' }] } })),
  );
});

test('a changed trigger body is exactly that trigger', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, 'SET updated_at = CURRENT_TIMESTAMP', "SET updated_at = 'touched'")),
    schemaDiff({
      triggers: {
        added: [],
        removed: [],
        changed: [
          {
            name: 'trg_sessions_touch',
            changes: [
              {
                field: 'sql',
                from: 'create trigger trg_sessions_touch after update of status on sessions begin update projects set updated_at=current_timestamp where id=new.project_id;end',
                to: "create trigger trg_sessions_touch after update of status on sessions begin update projects set updated_at='touched' where id=new.project_id;end",
              },
            ],
          },
        ],
      },
    }),
  );
});

test('NOT NULL added is exactly that column', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '  name TEXT,', '  name TEXT NOT NULL,')),
    changedColumn('sessions', 'name', [{ field: 'notNull', from: false, to: true }]),
  );
});

test('a different collation is exactly that column', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '  name TEXT,', '  name TEXT COLLATE NOCASE,')),
    changedColumn('sessions', 'name', [{ field: 'collation', from: 'BINARY', to: 'NOCASE' }]),
  );
});

test('a COLLATE inside a CHECK expression is not the column collation', () => {
  assert.deepEqual(
    diffOf("CREATE TABLE t (name TEXT CHECK (name COLLATE NOCASE <> 'x'))", "CREATE TABLE t (name TEXT COLLATE NOCASE CHECK (name COLLATE NOCASE <> 'x'))"),
    changedColumn('t', 'name', [{ field: 'collation', from: 'BINARY', to: 'NOCASE' }]),
  );
});

test('a changed CHECK is one removed and one added check', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, "'ready', 'closed')", "'ready', 'closed', 'archived')")),
    changedTable(
      tableChange('sessions', {
        checks: { removed: ["status in('initializing','ready','closed')"], added: ["status in('initializing','ready','closed','archived')"] },
      }),
    ),
  );
});

test('a unique index against a non-unique one is exactly its unique flag', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, 'CREATE INDEX idx_sessions_status', 'CREATE UNIQUE INDEX idx_sessions_status')),
    changedIndex('idx_sessions_status', [{ field: 'unique', from: false, to: true }]),
  );
});

test('a changed partial-index WHERE is exactly that where', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, "WHERE status <> 'closed';\nCREATE INDEX", "WHERE status NOT IN ('closed', 'archived');\nCREATE INDEX")),
    changedIndex('idx_sessions_open', [{ field: 'where', from: "status<>'closed'", to: "status not in('closed','archived')" }]),
  );
});

test('a changed expression-index expression is exactly those index columns', () => {
  const term = (expression: string): { column: null; expression: string; descending: boolean; collation: string } => ({
    column: null,
    expression,
    descending: false,
    collation: 'BINARY',
  });
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '(lower(name))', '(upper(name))')),
    changedIndex('idx_sessions_name_lower', [{ field: 'columns', from: [term('lower(name)')], to: [term('upper(name)')] }]),
  );
});

test('a column type with a different affinity is exactly that affinity', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '  name TEXT,', '  name INTEGER,')),
    changedColumn('sessions', 'name', [{ field: 'affinity', from: 'TEXT', to: 'INTEGER' }]),
  );
});

test('AUTOINCREMENT added is exactly that table flag', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL', '  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  name TEXT NOT NULL')),
    changedTable(tableChange('projects', { fields: [{ field: 'autoincrement', from: false, to: true }] })),
  );
});

test('WITHOUT ROWID is exactly that table flag', () => {
  assert.deepEqual(
    diffOf(SESSIONS, variant(SESSIONS, '  color TEXT\n);', '  color TEXT\n) WITHOUT ROWID;')),
    changedTable(tableChange('tags', { fields: [{ field: 'withoutRowid', from: false, to: true }] })),
  );
});

// ---- what the snapshot leaves out, and the hash ------------------------------------

test('the tracking table, its indexes and its triggers are left out of the snapshot', () => {
  const app = 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);';
  const withTracking = `${app}
    CREATE TABLE drawbridge_migrations (name TEXT PRIMARY KEY, checksum TEXT, applied_at TEXT);
    CREATE INDEX idx_drawbridge_applied ON drawbridge_migrations (applied_at);
    CREATE TRIGGER trg_drawbridge AFTER INSERT ON drawbridge_migrations BEGIN SELECT 1; END;`;
  const snapshot = snapshotOf(withTracking);
  assert.deepEqual(Object.keys(snapshot.tables), ['notes']);
  assert.deepEqual(snapshot, snapshotOf(app));
});

test('sqlite_sequence is left out of the snapshot', () => {
  const snapshot = snapshotOf("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT); INSERT INTO notes (body) VALUES ('x');");
  assert.deepEqual(Object.keys(snapshot.tables), ['notes']);
  assert.deepEqual(snapshot.indexes, {});
});

test('schemaHash is equal for equal snapshots', () => {
  const a = snapshotOf('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL); CREATE INDEX i ON t (b)');
  const b = snapshotOf('CREATE TABLE "t" (\n  "b" TEXT NOT NULL, -- reordered\n  a INTEGER PRIMARY KEY\n); CREATE INDEX IF NOT EXISTS i ON [T] ([B])');
  assert.match(schemaHash(a), /^[0-9a-f]{64}$/);
  assert.equal(schemaHash(b), schemaHash(a));
});

test('schemaHash differs for different snapshots', () => {
  const a = snapshotOf("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'x')");
  const b = snapshotOf("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'y')");
  assert.notEqual(schemaHash(b), schemaHash(a));
});

test('two tables whose names differ only in non-ASCII case are both in the snapshot', () => {
  const snapshot = snapshotOf('CREATE TABLE "données" (a INTEGER); CREATE TABLE "DONNÉES" (b INTEGER);');
  assert.deepEqual(Object.values(snapshot.tables).map((t) => t.name).sort(), ['DONNÉES', 'données']);
});
