import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFixture } from '../../legacy-fixtures/generate.js';
import { mulberry32 } from '../../legacy-fixtures/random.js';
import { CLI } from '../helpers/cli.js';

/**
 * The crash harness: proves that an upgrade is atomic under SIGKILL (DESIGN:
 * "crash, kill -9 or power loss at any instant leaves either the old database
 * or the fully upgraded one, never a mix").
 *
 * A trial copies a legacy fixture, starts an upgrade of it in a child process
 * and kills that process with SIGKILL, either after a random delay or from
 * inside the transaction (a SQL function `die()` the child registers). Then:
 *
 *  - a copy of what the kill left (database, -journal, -wal, -shm as they are)
 *    is opened — SQLite rolls back a hot journal, recovers a WAL — and its
 *    logical content (every table's rows in rowid order over all columns,
 *    sqlite_master, user_version, application_id, journal mode) is compared
 *    with the two reference states: the original fixture, and a copy upgraded
 *    without interruption. It must be exactly one of them, and
 *    `PRAGMA quick_check` must say ok;
 *  - the file as the kill left it (hot journal and all) is upgraded again,
 *    which must succeed and give exactly the upgraded state.
 *
 * Two kinds of kill target:
 *  - `cli`: the real command, `node dist/src/cli/main.js upgrade <db> …`,
 *    killed at a random instant between 0 and the duration of an
 *    uninterrupted run of it (measured first), so most kills land in process
 *    start-up and detection, some inside the transaction, some after it;
 *  - `warm`: crash-child.js calling the library `upgrade()` on its own
 *    better-sqlite3 handle, after loading everything and deriving the schemas
 *    (a dry-run `plan()`), so the random window (0 to its measured go→exit
 *    time) is mostly the transaction. Its handle reports `BEGIN`/`COMMIT` as
 *    they happen, so the state found can be held to where the kill landed:
 *    before `BEGIN` returned or before `COMMIT` was called → exactly old;
 *    after `COMMIT` returned → exactly upgraded; inside `COMMIT` → either.
 *
 * Chosen points kill at exact instants instead: die() called from a migration
 * or from the app's legacy function in the library child, or strace killing
 * the real command on entering a given system call of COMMIT (where strace
 * can run). A sabotaged point (a migration that commits half-way) shows the
 * harness reports a broken guarantee.
 *
 * Checks and second upgrades run in a separate service process (crash-child.js
 * --serve), so that this process's event loop is free and the kill timers fire
 * on time. Nothing here asserts a duration: delays are inputs.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MIGRATIONS = join(ROOT, 'migrations');
export const RULES = join(ROOT, 'bridge-rules');
export const LEGACY_MODULE = join(ROOT, 'dist/legacy-fixtures/index.js');
export const CHILD_SCRIPT = fileURLToPath(new URL('./crash-child.js', import.meta.url));
export { CLI };

export type Mode = 'bridge' | 'auto';

/** How a fixture is upgraded: the same in the kill target, the reference run and the second upgrade. */
export interface UpgradeConfig {
  readonly mode: Mode;
  /** Pass the reference app's old inline function (legacy-fixtures' latestLegacyRun). */
  readonly legacy: boolean;
}

/** Columns left out of the comparison with the upgraded reference (never out of the one with the original). */
export type Mask = Readonly<Record<string, readonly string[]>>;

/** When and how long each migration took are the only things two uninterrupted upgrades may differ in. */
const TRACKING_MASK: Mask = { drawbridge_migrations: ['applied_at', 'duration_ms'] };

export const FIXTURES = {
  /** 0.5.1 hotfix: a fix-up rebuild of sessions, a backfill of 6, then 0007–0010 (0008 is TypeScript). */
  'release-r06': { config: { mode: 'bridge', legacy: false }, mask: TRACKING_MASK },
  /** 0.1.0: a backfill of 1, then 9 pending migrations (0006 rebuilds sessions). */
  'release-r01': { config: { mode: 'bridge', legacy: false }, mask: TRACKING_MASK },
  /** A WAL database whose last activity is only in the -wal: a backfill of 9, then 0010. */
  'variant-wal-uncheckpointed': { config: { mode: 'bridge', legacy: false }, mask: TRACKING_MASK },
  /**
   * 0.6.0 died half-way through its rebuild: mode auto runs the old inline
   * function first (which stamps its marker row in user_preferences with
   * CURRENT_TIMESTAMP, hence the mask), then bridges at 0009.
   */
  'variant-crashed-r07': { config: { mode: 'auto', legacy: true }, mask: { ...TRACKING_MASK, user_preferences: ['updated_at'] } },
} as const satisfies Record<string, { config: UpgradeConfig; mask: Mask }>;

export type FixtureName = keyof typeof FIXTURES;
export const FIXTURE_NAMES = Object.keys(FIXTURES) as FixtureName[];

// ---------------------------------------------------------------------------
// Files

const COMPANIONS = ['', '-wal', '-shm', '-journal'] as const;

/** Copy a database with its -wal, -shm and -journal exactly as they are (a missing one stays missing). */
export function copyDatabase(from: string, to: string): void {
  for (const suffix of COMPANIONS) {
    rmSync(`${to}${suffix}`, { force: true });
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
  }
}

function sizeOf(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null;
}

/** What a kill left next to the database, before anything opened it. */
export interface Traces {
  /** Size of the -journal left behind (a hot journal SQLite rolls back on open), or null. */
  readonly journalBytes: number | null;
  readonly walBytes: number | null;
  /** The -wal's size in the original fixture (frames beyond it were written by the upgrade). */
  readonly walBytesBefore: number | null;
  /** The main file's bytes differ from the original's (pages written before the kill). */
  readonly mainFileChanged: boolean;
  /**
   * Backups beside the database (`<name>.<stamp>.<from>-to-<to>.backup`), and
   * unfinished ones (`….backup.partial`): upgrade() takes its backup under the
   * write lock, inside the transaction, before its first write.
   */
  readonly backups: readonly string[];
  readonly partialBackups: number;
}

export function tracesOf(file: string, original: string): Traces {
  const beside = readdirSync(dirname(file)).filter((name) => name.startsWith(`${basename(file)}.`));
  return {
    journalBytes: sizeOf(`${file}-journal`),
    walBytes: sizeOf(`${file}-wal`),
    walBytesBefore: sizeOf(`${original}-wal`),
    mainFileChanged: !readFileSync(file).equals(readFileSync(original)),
    backups: beside.filter((name) => name.endsWith('.backup')),
    partialBackups: beside.filter((name) => name.endsWith('.backup.partial')).length,
  };
}

/**
 * The kill left evidence that the transaction had begun: a backup (whole or
 * partial), a journal, new WAL frames, or changed pages. (Without any, the
 * kill may still have landed just after BEGIN: such kills count as before.)
 */
export function transactionTraces(traces: Traces): boolean {
  return (
    traces.backups.length > 0 ||
    traces.partialBackups > 0 ||
    traces.journalBytes !== null ||
    (traces.walBytes ?? 0) > (traces.walBytesBefore ?? 0) ||
    traces.mainFileChanged
  );
}

// ---------------------------------------------------------------------------
// The state checker

/**
 * A database's logical content, as digests: one per table (its column names,
 * then every row in rowid order — primary-key order for WITHOUT ROWID tables —
 * over all columns, values with their storage class), one for sqlite_master
 * (type, name, tbl_name, sql: not rootpage, which is physical), and the
 * PRAGMAs that are part of the file (user_version, application_id,
 * journal_mode). `masked` is the same with the mask's columns blanked.
 */
export interface Fingerprint {
  readonly quickCheck: string;
  readonly strict: Readonly<Record<string, string>>;
  readonly masked: Readonly<Record<string, string>>;
}

function cell(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `int:${value.toString()}`;
  if (typeof value === 'number') return `real:${Buffer.from(new Float64Array([value]).buffer).toString('hex')}`;
  if (typeof value === 'string') return `text:${JSON.stringify(value)}`;
  if (Buffer.isBuffer(value)) return `blob:${value.toString('hex')}`;
  throw new Error(`unexpected SQLite value ${typeof value}`);
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

class Digest {
  private readonly strict = createHash('sha256');
  private readonly masked = createHash('sha256');

  line(cells: readonly string[], maskedAt: ReadonlySet<number> = new Set()): void {
    this.strict.update(`${JSON.stringify(cells)}\n`);
    this.masked.update(`${JSON.stringify(cells.map((c, i) => (maskedAt.has(i) ? '*' : c)))}\n`);
  }

  done(): { strict: string; masked: string } {
    return { strict: this.strict.digest('hex'), masked: this.masked.digest('hex') };
  }
}

/**
 * Open the file read-write (so that SQLite may roll back a hot journal or
 * recover a WAL, as any app opening it would) and take its fingerprint.
 * Opening changes the file: call it on a copy when the original must stay as it is.
 */
export function fingerprint(file: string, mask: Mask = {}): Fingerprint {
  const db = new Database(file, { fileMustExist: true });
  try {
    const quickCheck = (db.prepare('PRAGMA quick_check').pluck().all() as string[]).join('; ');
    db.defaultSafeIntegers(true);
    const strict: Record<string, string> = {};
    const masked: Record<string, string> = {};
    const put = (key: string, digest: { strict: string; masked: string }): void => {
      strict[key] = digest.strict;
      masked[key] = digest.masked;
    };
    for (const pragma of ['user_version', 'application_id', 'journal_mode']) {
      const value = cell(db.prepare(`PRAGMA ${pragma}`).pluck().get());
      put(`pragma ${pragma}`, { strict: value, masked: value });
    }
    const master = new Digest();
    for (const row of db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').raw(true).all() as unknown[][]) master.line(row.map(cell));
    put('sqlite_master', master.done());
    const tables = db
      .prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT IN ('sqlite_schema', 'sqlite_master') ORDER BY name")
      .all() as { name: string; wr: bigint }[];
    for (const { name, wr } of tables) {
      const columns = db.prepare('SELECT name, pk FROM pragma_table_xinfo(?) ORDER BY cid').all(name) as { name: string; pk: bigint }[];
      const order = wr === 0n ? 'rowid' : columns.filter((c) => c.pk > 0n).sort((a, b) => Number(a.pk - b.pk)).map((c) => quoteName(c.name)).join(', ');
      const maskedColumns = new Set(mask[name] ?? []);
      const maskedAt = new Set(columns.flatMap((c, i) => (maskedColumns.has(c.name) ? [i] : [])));
      const digest = new Digest();
      digest.line(columns.map((c) => c.name));
      const rows = db.prepare(`SELECT ${columns.map((c) => quoteName(c.name)).join(', ')} FROM ${quoteName(name)} ORDER BY ${order}`).raw(true);
      for (const row of rows.iterate() as IterableIterator<unknown[]>) digest.line(row.map(cell), maskedAt);
      put(`table ${name}`, digest.done());
    }
    return { quickCheck, strict, masked };
  } finally {
    db.close();
  }
}

/** The keys (tables, sqlite_master, PRAGMAs) whose digests differ. */
export function differences(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).sort();
}

export type StateVerdict = 'old' | 'upgraded' | 'neither' | 'corrupt';

export interface References {
  readonly old: Fingerprint;
  readonly upgraded: Fingerprint;
}

export interface StateFound {
  readonly verdict: StateVerdict;
  readonly quickCheck: string;
  /** What differs from each reference (empty for the one it is). */
  readonly differsFromOld: readonly string[];
  readonly differsFromUpgraded: readonly string[];
}

/** Exactly the old database, exactly the upgraded one, neither, or not sound (quick_check, or it would not open). */
export function classify(found: Fingerprint | { readonly error: string }, refs: References): StateFound {
  if ('error' in found) return { verdict: 'corrupt', quickCheck: found.error, differsFromOld: [], differsFromUpgraded: [] };
  const differsFromOld = differences(found.strict, refs.old.strict);
  const differsFromUpgraded = differences(found.masked, refs.upgraded.masked);
  const verdict: StateVerdict = found.quickCheck !== 'ok' ? 'corrupt' : differsFromOld.length === 0 ? 'old' : differsFromUpgraded.length === 0 ? 'upgraded' : 'neither';
  return { verdict, quickCheck: found.quickCheck, differsFromOld, differsFromUpgraded };
}

/** classify(), catching a file SQLite refuses to open or read. */
export function classifyFile(file: string, mask: Mask, refs: References): StateFound {
  let found: Fingerprint | { error: string };
  try {
    found = fingerprint(file, mask);
  } catch (error) {
    found = { error: `cannot be read: ${(error as Error).message}` };
  }
  return classify(found, refs);
}

// ---------------------------------------------------------------------------
// Processes

/** What the upgrade child is asked to do (crash-child.js takes it as JSON in argv[2]). */
export interface ChildSpec {
  readonly file: string;
  readonly migrations: string;
  readonly rules: string;
  readonly mode: Mode;
  /** Give upgrade() the reference app's old function; with dieAt, it SIGKILLs its process at that checkpoint. */
  readonly legacy: { readonly dieAt: string | null } | null;
  /** Load and derive everything (a dry-run plan), print @ready, and start only when "go" arrives on stdin. */
  readonly waitForGo: boolean;
  /** Register die(), a SQL function that SIGKILLs the child's own process. */
  readonly registerDie: boolean;
  /** PRAGMA cache_size on the handle: a tiny cache spills dirty pages into the file before COMMIT. */
  readonly cacheSize: number | null;
}

export interface Marker {
  readonly name: string;
  /** Milliseconds since the child got "go" (or since it started, without waitForGo), by its own clock. */
  readonly at: number;
}

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the harness sent the SIGKILL (it may have landed after the process had exited). */
  readonly killSent: boolean;
  /** Milliseconds from the start of the window (spawn for cli, "go" for warm) to the kill, as it happened. */
  readonly killedAtMs: number | null;
  /** Milliseconds from the start of the window to exit. */
  readonly elapsedMs: number;
  /** It ran for HUNG_MS and was killed for it (a bug, whatever the delay was). */
  readonly hung: boolean;
  readonly markers: readonly Marker[];
  readonly stdout: string;
  readonly stderr: string;
}

/** Guard against a child that never ends (a bug, not a timing assertion): kill it and report it. */
const HUNG_MS = 120_000;

interface Started {
  readonly child: ChildProcess;
  /** Set when the hang guard killed the child. */
  readonly guard: { hung: boolean; timer: NodeJS.Timeout };
  readonly markers: Marker[];
  readonly output: { stdout: string; stderr: string };
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the child prints @ready. */
  readonly ready: Promise<void>;
}

function start(args: readonly string[], stdin: 'pipe' | 'ignore', command = process.execPath): Started {
  const child = spawn(command, args, { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: [stdin, 'pipe', 'pipe'] });
  const markers: Marker[] = [];
  const output = { stdout: '', stderr: '' };
  let pending = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output.stdout += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^@(\S+) (\S+)$/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) continue;
      markers.push({ name: match[1], at: Number(match[2]) });
      if (match[1] === 'ready') onReady();
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const guard = {
    hung: false,
    timer: setTimeout(() => {
      guard.hung = true;
      child.kill('SIGKILL');
    }, HUNG_MS),
  };
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard.timer);
      resolve({ code, signal });
    });
  });
  return { child, guard, markers, output, closed, ready };
}

async function finish(started: Started, windowStart: number, killAfterMs: number | null): Promise<ProcessRun> {
  let killSent = false;
  let killedAtMs: number | null = null;
  const kill = (): void => {
    killedAtMs = performance.now() - windowStart;
    killSent = started.child.kill('SIGKILL');
  };
  const timer = killAfterMs === null ? undefined : setTimeout(kill, killAfterMs);
  try {
    const { code, signal } = await started.closed;
    const { markers, output, guard } = started;
    return { code, signal, killSent, killedAtMs, elapsedMs: performance.now() - windowStart, hung: guard.hung, markers, stdout: output.stdout, stderr: output.stderr };
  } finally {
    clearTimeout(timer);
  }
}

export function cliArgs(config: UpgradeConfig): string[] {
  return ['--migrations', MIGRATIONS, '--rules', RULES, ...(config.legacy ? ['--legacy', LEGACY_MODULE] : []), '--mode', config.mode];
}

/** The real command on `file`, SIGKILLed after killAfterMs from spawn (null: let it finish). */
export async function runCliUpgrade(file: string, config: UpgradeConfig, killAfterMs: number | null): Promise<ProcessRun> {
  const started = start([CLI, 'upgrade', file, ...cliArgs(config)], 'ignore');
  return finish(started, performance.now(), killAfterMs);
}

/**
 * A SIGKILL at an exact system call of the real command: strace stops the
 * process on entering the nth matching call on `<db><companion>` and kills
 * it there (the call never runs). In rollback-journal mode the first write to
 * the database file is COMMIT's first page, after the journal was synced.
 */
export interface SyscallKill {
  readonly companion: '' | '-journal' | '-wal';
  readonly syscalls: readonly string[];
  readonly nth: number;
}

let straceUsable: boolean | undefined;

/** strace is installed and may trace here (containers may forbid ptrace). */
export function straceAvailable(): boolean {
  straceUsable ??= spawnSync('strace', ['-qq', '-o', '/dev/null', process.execPath, '-e', '0'], { stdio: 'ignore' }).status === 0;
  return straceUsable;
}

/** The real command under strace, killed at the system call `kill` names. */
export async function runCliKilledAtSyscall(file: string, config: UpgradeConfig, kill: SyscallKill): Promise<ProcessRun> {
  const calls = kill.syscalls.join(',');
  const args = ['-f', '-qq', '-o', '/dev/null', '-P', `${file}${kill.companion}`, '-e', `trace=${calls}`, '-e', `inject=${calls}:signal=KILL:when=${kill.nth}`];
  const started = start([...args, process.execPath, CLI, 'upgrade', file, ...cliArgs(config)], 'ignore', 'strace');
  return finish(started, performance.now(), null);
}

export function childSpec(file: string, config: UpgradeConfig, extra: Partial<ChildSpec> = {}): ChildSpec {
  return {
    file,
    migrations: MIGRATIONS,
    rules: RULES,
    mode: config.mode,
    legacy: config.legacy ? { dieAt: null } : null,
    waitForGo: false,
    registerDie: false,
    cacheSize: null,
    ...extra,
  };
}

/**
 * crash-child.js with `spec`. With waitForGo, the window starts when "go" is
 * written (after @ready); otherwise at spawn. SIGKILLed after killAfterMs
 * from the window's start (null: not by the harness).
 */
export async function runChild(spec: ChildSpec, killAfterMs: number | null): Promise<ProcessRun> {
  const started = start([CHILD_SCRIPT, JSON.stringify(spec)], spec.waitForGo ? 'pipe' : 'ignore');
  if (!spec.waitForGo) return finish(started, performance.now(), killAfterMs);
  const early = await Promise.race([started.ready.then(() => null), started.closed]);
  if (early !== null) return finish(started, performance.now(), null); // died before it was ready: reported as it is
  const windowStart = performance.now();
  started.child.stdin?.end('go\n');
  return finish(started, windowStart, killAfterMs);
}

/** Where the upgrade child was when it died, from the markers its handle printed. */
export type Stage = 'before' | 'during' | 'commit' | 'after';

export function stageOfMarkers(markers: readonly Marker[]): Stage {
  const seen = new Set(markers.map((m) => m.name));
  if (seen.has('commit-done')) return 'after';
  if (seen.has('commit')) return 'commit';
  if (seen.has('begin-done')) return 'during';
  return 'before';
}

// ---------------------------------------------------------------------------
// The service process (checks and second upgrades, off this event loop)

export type ServiceRequest =
  | { readonly id: number; readonly op: 'classify'; readonly file: string; readonly mask: Mask; readonly refs: References }
  | { readonly id: number; readonly op: 'upgrade'; readonly file: string; readonly config: UpgradeConfig };

export type ServiceReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

export interface UpgradeOutcome {
  /** 0, or the exit code the CLI would give for the error. */
  readonly exitCode: number;
  readonly message: string;
}

type ServiceWork = { readonly op: 'classify'; readonly file: string; readonly mask: Mask; readonly refs: References } | { readonly op: 'upgrade'; readonly file: string; readonly config: UpgradeConfig };

/** A long-lived crash-child.js --serve: classify files and run the library upgrade(), one request at a time. */
export class Service {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private next = 1;
  private stderr = '';
  private exited = false;

  constructor() {
    this.child = spawn(process.execPath, [CHILD_SCRIPT, '--serve'], { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (message: ServiceReply) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.error));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`the crash service exited (${String(code ?? signal)}): ${this.stderr}`));
      this.waiting.clear();
    });
  }

  private request(work: ServiceWork): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error(`the crash service is gone: ${this.stderr}`));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, ...work });
    });
  }

  async classify(file: string, mask: Mask, refs: References): Promise<StateFound> {
    return (await this.request({ op: 'classify', file, mask, refs })) as StateFound;
  }

  async upgrade(file: string, config: UpgradeConfig): Promise<UpgradeOutcome> {
    return (await this.request({ op: 'upgrade', file, config })) as UpgradeOutcome;
  }

  close(): void {
    if (!this.exited) this.child.kill();
  }
}

/** The service's side (crash-child.js --serve). */
export async function serve(): Promise<void> {
  const { upgrade, loadMigrations, loadRules } = await import('../../src/index.js');
  const { latestLegacyRun } = await import('../../legacy-fixtures/index.js');
  const migrations = loadMigrations(MIGRATIONS);
  const rules = loadRules(RULES);
  const handle = async (request: ServiceRequest): Promise<unknown> => {
    if (request.op === 'classify') return classifyFile(request.file, request.mask, request.refs);
    try {
      const result = await upgrade(request.file, {
        migrations,
        rules,
        mode: request.config.mode,
        legacy: request.config.legacy ? { run: (db) => latestLegacyRun(db) } : undefined,
      });
      return { exitCode: 0, message: `${result.action}: applied ${result.applied.length}` } satisfies UpgradeOutcome;
    } catch (error) {
      const exitCode = (error as { exitCode?: unknown }).exitCode;
      return { exitCode: typeof exitCode === 'number' ? exitCode : 1, message: (error as Error).message } satisfies UpgradeOutcome;
    }
  };
  let queue = Promise.resolve();
  process.on('message', (request: ServiceRequest) => {
    queue = queue.then(async () => {
      let reply: ServiceReply;
      try {
        reply = { id: request.id, ok: true, value: await handle(request) };
      } catch (error) {
        reply = { id: request.id, ok: false, error: (error as Error).stack ?? String(error) };
      }
      process.send?.(reply);
    });
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------
// The workspace: fixtures, references, calibration

export interface Calibration {
  /** An uninterrupted run, spawn → exit (cli) or go → exit (warm): the random window. */
  readonly windowMs: number;
  /** warm only: when BEGIN returned, COMMIT was called, COMMIT returned (ms after go). */
  readonly begunAt: number | null;
  readonly commitAt: number | null;
  readonly committedAt: number | null;
}

export interface FixtureState {
  readonly name: FixtureName;
  readonly config: UpgradeConfig;
  readonly mask: Mask;
  /** The generated fixture (with its -wal/-shm): never opened after generation, only copied. */
  readonly original: string;
  /** The copy the real command upgraded without interruption (the upgraded reference). */
  readonly upgradedFile: string;
  readonly refs: References;
  readonly calibration: { cli: Calibration; warm: Calibration | null };
}

export type Runner = 'cli' | 'warm';

export interface WorkspaceOptions {
  readonly fixtures: readonly FixtureName[];
  /** Fixtures that get warm trials (need a warm calibration run). */
  readonly warmFixtures: readonly FixtureName[];
  /**
   * How many calibration runs at once: use the trials' concurrency, so that
   * the windows are measured under the load the trials will run in.
   */
  readonly concurrency: number;
  readonly log?: (line: string) => void;
}

async function inPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

function markerAt(markers: readonly Marker[], name: string): number | null {
  return markers.find((m) => m.name === name)?.at ?? null;
}

function describeRun(run: ProcessRun): string {
  return `exit ${String(run.code)} signal ${String(run.signal)}; stderr: ${run.stderr.trim().slice(0, 2000)}`;
}

export class Workspace {
  readonly service = new Service();
  /** What calibration measured, one line per fixture. */
  readonly calibrationLines: string[] = [];
  private readonly states = new Map<FixtureName, FixtureState>();

  private constructor(readonly dir: string) {}

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const workspace = new Workspace(mkdtempSync(join(tmpdir(), 'drawbridge-crash-')));
    try {
      await workspace.prepare(options);
    } catch (error) {
      workspace.close();
      throw error;
    }
    return workspace;
  }

  private async prepare(options: WorkspaceOptions): Promise<void> {
    const log = options.log ?? (() => undefined);
    const fixtureDir = join(this.dir, 'fixtures');
    const refDir = join(this.dir, 'references');
    mkdirSync(refDir, { recursive: true });
    const names = [...new Set([...options.fixtures, ...options.warmFixtures])];
    await inPool(names, options.concurrency, async (name) => {
      const { config, mask } = FIXTURES[name];
      const original = generateFixture(name, fixtureDir).file;
      const oldCopy = join(refDir, `${name}.old.db`);
      copyDatabase(original, oldCopy);
      const old = fingerprint(oldCopy, mask);
      // The upgraded reference: the real command, uninterrupted; its duration is the cli window.
      const upgradedFile = join(refDir, `${name}.upgraded.db`);
      copyDatabase(original, upgradedFile);
      const cliRun = await runCliUpgrade(upgradedFile, config, null);
      if (cliRun.code !== 0) throw new Error(`${name}: the reference upgrade failed: ${describeRun(cliRun)}`);
      const upgraded = fingerprint(upgradedFile, mask);
      if (old.quickCheck !== 'ok' || upgraded.quickCheck !== 'ok') throw new Error(`${name}: quick_check of a reference: ${old.quickCheck} / ${upgraded.quickCheck}`);
      if (differences(old.strict, upgraded.strict).length === 0) throw new Error(`${name}: the upgrade changed nothing, so old and upgraded cannot be told apart`);
      const refs: References = { old, upgraded };
      let warm: Calibration | null = null;
      if (options.warmFixtures.includes(name)) {
        const warmFile = join(refDir, `${name}.warm.db`);
        copyDatabase(original, warmFile);
        const warmRun = await runChild(childSpec(warmFile, config, { waitForGo: true }), null);
        if (warmRun.code !== 0) throw new Error(`${name}: the uninterrupted warm upgrade failed: ${describeRun(warmRun)}`);
        const again = classifyFile(warmFile, mask, refs);
        if (again.verdict !== 'upgraded') throw new Error(`${name}: two uninterrupted upgrades disagree (${again.verdict}: ${again.differsFromUpgraded.join(', ')})`);
        warm = { windowMs: warmRun.elapsedMs, begunAt: markerAt(warmRun.markers, 'begin-done'), commitAt: markerAt(warmRun.markers, 'commit'), committedAt: markerAt(warmRun.markers, 'commit-done') };
      }
      const cli: Calibration = { windowMs: cliRun.elapsedMs, begunAt: null, commitAt: null, committedAt: null };
      this.states.set(name, { name, config, mask, original, upgradedFile, refs, calibration: { cli, warm } });
      this.calibrationLines.push(`${name}: cli upgrade ${cliRun.elapsedMs.toFixed(0)} ms${warm === null ? '' : `; warm go→exit ${warm.windowMs.toFixed(0)} ms`}`);
      log(`${name}: cli upgrade ${cliRun.elapsedMs.toFixed(0)} ms${warm === null ? '' : `; warm go→exit ${warm.windowMs.toFixed(0)} ms (BEGIN done ${fmt(warm.begunAt)}, COMMIT ${fmt(warm.commitAt)}–${fmt(warm.committedAt)})`}`);
    });
  }

  fixture(name: FixtureName): FixtureState {
    const state = this.states.get(name);
    if (state === undefined) throw new Error(`fixture ${name} was not prepared`);
    return state;
  }

  /** A fresh directory for one trial. */
  trialDir(label: string): string {
    const dir = join(this.dir, 'trials', label);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  close(options: { keep?: boolean } = {}): void {
    this.service.close();
    if (options.keep !== true) rmSync(this.dir, { recursive: true, force: true });
  }
}

function fmt(ms: number | null): string {
  return ms === null ? '?' : `${ms.toFixed(0)} ms`;
}

// ---------------------------------------------------------------------------
// Judging one kill

export interface KillOutcome {
  readonly runner: Runner;
  readonly run: ProcessRun;
  readonly traces: Traces;
  /** The state a copy of the left-over files opened as. */
  readonly found: StateFound;
  /** The second upgrade, on the files exactly as the kill left them. */
  readonly second: UpgradeOutcome;
  readonly afterSecond: StateFound;
  /** The backups the killed run left (traces.backups), each compared with the original. */
  readonly backups: readonly { readonly name: string; readonly state: StateFound }[];
}

export interface Judgement {
  readonly stage: Stage;
  /** Empty when the guarantee held. */
  readonly violations: readonly string[];
}

function describeState(state: StateFound): string {
  if (state.verdict === 'corrupt') return `corrupt (${state.quickCheck})`;
  if (state.verdict === 'neither') return `neither (differs from the original in ${state.differsFromOld.join(', ')}; from the upgraded one in ${state.differsFromUpgraded.join(', ')})`;
  return state.verdict;
}

/**
 * Did the guarantee hold? The state found must be exactly old or exactly
 * upgraded (and sound); for the warm child it must also fit where the kill
 * landed; a run that finished by itself must have upgraded; the second
 * upgrade must succeed and give exactly the upgraded state.
 *
 * The stage: for warm, from the markers; for cli, from what was found —
 * upgraded → after; old with traces of the transaction (a backup, a journal,
 * new WAL frames, changed pages) → during; old without → before.
 */
export function judge(outcome: KillOutcome): Judgement {
  const { run, found } = outcome;
  const violations: string[] = [];
  const finished = run.signal === null;
  if (run.hung) violations.push(`the upgrade was still running after ${HUNG_MS / 1000} s and was killed for it`);
  if (finished && run.code !== 0) violations.push(`the upgrade failed by itself: ${describeRun(run)}`);
  if (!finished && run.signal !== 'SIGKILL') violations.push(`the upgrade died of ${run.signal}, not of the SIGKILL: ${describeRun(run)}`);
  if (found.verdict !== 'old' && found.verdict !== 'upgraded') violations.push(`after the kill the database is ${describeState(found)}`);
  let stage: Stage;
  if (outcome.runner === 'warm') {
    stage = stageOfMarkers(run.markers);
    if (run.markers.some((m) => m.name === 'rollback')) violations.push('the upgrade rolled back by itself (an error inside the transaction)');
    const allowed: readonly StateVerdict[] = stage === 'commit' ? ['old', 'upgraded'] : stage === 'after' ? ['upgraded'] : ['old'];
    if ((found.verdict === 'old' || found.verdict === 'upgraded') && !allowed.includes(found.verdict)) {
      violations.push(`killed ${stage === 'after' ? 'after COMMIT returned' : stage === 'during' ? 'inside the transaction, before COMMIT' : 'before the transaction began'} but found the ${found.verdict} state`);
    }
  } else {
    stage = found.verdict === 'upgraded' ? 'after' : transactionTraces(outcome.traces) ? 'during' : 'before';
  }
  if (finished && run.code === 0 && found.verdict !== 'upgraded') violations.push(`the upgrade exited 0 but the database is ${describeState(found)}`);
  for (const backup of outcome.backups) {
    // A backup of a WAL database is switched to a rollback journal (one self-contained file): its journal mode may differ, nothing else.
    const differs = backup.state.differsFromOld.filter((key) => key !== 'pragma journal_mode');
    if (backup.state.quickCheck !== 'ok' || differs.length > 0) violations.push(`the backup ${backup.name} the killed run left is not the original database: ${describeState(backup.state)}`);
  }
  if (outcome.second.exitCode !== 0) violations.push(`the second upgrade failed (exit ${outcome.second.exitCode}): ${outcome.second.message}`);
  else if (outcome.afterSecond.verdict !== 'upgraded') violations.push(`after the second upgrade the database is ${describeState(outcome.afterSecond)}`);
  return { stage, violations };
}

// ---------------------------------------------------------------------------
// Random instants

export interface TrialSpec {
  readonly index: number;
  readonly fixture: FixtureName;
  readonly runner: Runner;
  /** The random delay, from spawn (cli) or "go" (warm). */
  readonly delayMs: number;
}

export interface TrialResult extends Judgement {
  readonly spec: TrialSpec;
  readonly outcome: KillOutcome;
  /** Kept for inspection when something was violated. */
  readonly dir: string | null;
  readonly durationMs: number;
  /** Of durationMs: the killed process's life, and the check plus second upgrade after it. */
  readonly runMs: number;
  readonly inspectMs: number;
}

/** After a kill: look at a copy of what it left, then upgrade the left-over files themselves. */
export async function inspectKill(ws: Workspace, fixture: FixtureState, runner: Runner, run: ProcessRun, file: string, options: { secondVia?: 'library' | 'cli' } = {}): Promise<KillOutcome> {
  const traces = tracesOf(file, fixture.original);
  const dir = dirname(file);
  const backups: { name: string; state: StateFound }[] = [];
  for (const name of traces.backups) {
    const backupCopy = join(dir, `backup-${backups.length}.db`);
    copyDatabase(join(dir, name), backupCopy);
    backups.push({ name, state: await ws.service.classify(backupCopy, fixture.mask, fixture.refs) });
  }
  const copy = join(dir, 'as-left.db');
  copyDatabase(file, copy);
  const found = await ws.service.classify(copy, fixture.mask, fixture.refs);
  let second: UpgradeOutcome;
  if (options.secondVia === 'cli') {
    const cli = await runCliUpgrade(file, fixture.config, null);
    second = { exitCode: cli.code ?? -1, message: `${cli.stdout.trim()} ${cli.stderr.trim()}`.trim() };
  } else {
    second = await ws.service.upgrade(file, fixture.config);
  }
  const afterSecond = await ws.service.classify(file, fixture.mask, fixture.refs);
  return { runner, run, traces, found, second, afterSecond, backups };
}

export async function runTrial(ws: Workspace, spec: TrialSpec, options: { keepFailures?: boolean } = {}): Promise<TrialResult> {
  const started = performance.now();
  const fixture = ws.fixture(spec.fixture);
  const dir = ws.trialDir(`random-${spec.index}`);
  const file = join(dir, 'app.db');
  copyDatabase(fixture.original, file);
  const run = spec.runner === 'cli' ? await runCliUpgrade(file, fixture.config, spec.delayMs) : await runChild(childSpec(file, fixture.config, { waitForGo: true }), spec.delayMs);
  const killed = performance.now();
  const outcome = await inspectKill(ws, fixture, spec.runner, run, file);
  const judgement = judge(outcome);
  const keep = judgement.violations.length > 0 && options.keepFailures === true;
  if (!keep) rmSync(dir, { recursive: true, force: true });
  const ended = performance.now();
  return { spec, outcome, ...judgement, dir: keep ? dir : null, durationMs: ended - started, runMs: killed - started, inspectMs: ended - killed };
}

export interface RandomOptions {
  readonly trials: number;
  readonly seed: number;
  readonly concurrency: number;
  /** Weights of the fixtures to draw from. */
  readonly fixtures: Partial<Record<FixtureName, number>>;
  /** Share of the trials that use the warm child (the rest: the real CLI). */
  readonly warmShare: number;
  readonly keepFailures?: boolean;
  readonly onResult?: (result: TrialResult, done: number) => void;
}

/** The trials a seed gives: fixture, kill target and delay of each (uniform in 0 … the measured window). */
export function planTrials(ws: Workspace, options: RandomOptions): TrialSpec[] {
  const random = mulberry32(options.seed);
  const weighted = Object.entries(options.fixtures) as [FixtureName, number][];
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  return Array.from({ length: options.trials }, (_, index) => {
    let pick = random() * total;
    const fixture = weighted.find(([, w]) => (pick -= w) < 0)?.[0] ?? weighted[0]?.[0];
    if (fixture === undefined) throw new Error('no fixtures to draw from');
    const state = ws.fixture(fixture);
    // Spread evenly: exactly floor(trials × warmShare) warm trials (fixtures without a warm calibration fall back to cli).
    const warmTurn = Math.floor((index + 1) * options.warmShare) > Math.floor(index * options.warmShare);
    const runner: Runner = state.calibration.warm !== null && warmTurn ? 'warm' : 'cli';
    const windowMs = (runner === 'warm' ? state.calibration.warm?.windowMs : state.calibration.cli.windowMs) ?? 0;
    return { index, fixture, runner, delayMs: random() * windowMs };
  });
}

export async function runRandomTrials(ws: Workspace, options: RandomOptions): Promise<TrialResult[]> {
  let done = 0;
  return inPool(planTrials(ws, options), options.concurrency, async (spec) => {
    const result = await runTrial(ws, spec, { keepFailures: options.keepFailures ?? false });
    options.onResult?.(result, ++done);
    return result;
  });
}

// ---------------------------------------------------------------------------
// Chosen points: kills from inside the transaction

/** SQL that is true only on a connection with die() registered: the derived-schema replay (in memory) never dies. */
const ARMED = "SELECT count(*) AS n FROM pragma_function_list WHERE name = 'die'";

/** Statement text: on the kill target's handle, die() at the middle row of the copy; elsewhere, copy everything. */
const DIE_AT_MIDDLE = (table: string): string => `CASE WHEN rowid > (SELECT (min(rowid) + max(rowid)) / 2 FROM ${table}) THEN die() ELSE 1 END`;

function upSectionOf(sqlFile: string): string {
  const text = readFileSync(join(MIGRATIONS, sqlFile), 'utf8');
  const up = text.split('-- migrate:up')[1]?.split('-- migrate:down')[0];
  if (up === undefined) throw new Error(`${sqlFile} has no up section`);
  return up;
}

/** The reference migrations, copied, with `replace` removed and `files` added. */
function migrationsCopy(dir: string, replace: string | null, files: Record<string, string>): string {
  const target = join(dir, 'migrations');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(MIGRATIONS)) {
    if (file === replace || !/^\d{4}_.*\.(sql|ts)$/.test(file)) continue;
    copyFileSync(join(MIGRATIONS, file), join(target, file));
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(target, name), text);
  return target;
}

/** A module migration whose up runs `sql`, or on the kill target's handle `armedSql`. */
function armedModule(sql: string, armedSql: string, before = ''): string {
  if (sql === armedSql && before === '') throw new Error('the armed migration would never die (the reference migration changed shape?)');
  return [
    `const ARMED = ${JSON.stringify(ARMED)};`,
    `const SQL = ${JSON.stringify(sql)};`,
    `const ARMED_SQL = ${JSON.stringify(armedSql)};`,
    'export function up(ctx) {',
    '  const armed = ctx.db.prepare(ARMED).get().n > 0;',
    before === '' ? '' : `  if (armed) ctx.db.prepare(${JSON.stringify(before)}).get();`,
    '  ctx.sql(armed ? ARMED_SQL : SQL);',
    '}',
    '',
  ].join('\n');
}

export interface ChosenPoint {
  readonly id: string;
  readonly title: string;
  readonly fixture: FixtureName;
  /** Build the migrations directory for the kill target (default: the reference one). */
  readonly migrations?: (dir: string) => string;
  readonly legacyDieAt?: string;
  readonly cacheSize?: number;
  /** Kill the real command at a system call (strace) instead of the library child by die(). */
  readonly syscallKill?: SyscallKill;
  /** A known drawbridge bug makes this point fail: the test runs it as a todo. */
  readonly knownIssue?: string;
  /** Spilled pages must be in the main file when the process dies (the rollback has real work to do). */
  readonly expectMainFileChanged?: boolean;
  readonly expectWalGrown?: boolean;
  /** Second upgrade through the real CLI (exit code checked) or the library. */
  readonly secondVia: 'library' | 'cli';
}

export const CHOSEN_POINTS: readonly ChosenPoint[] = [
  {
    id: 'after-backfill',
    title: 'release-r06, right after the fix-up rebuild and the tracking-table backfill (0007 starts with SELECT die())',
    fixture: 'release-r06',
    migrations: (dir) => {
      const up = upSectionOf('0007_late_indexes.sql');
      return migrationsCopy(dir, '0007_late_indexes.sql', { '0007_late_indexes.mjs': armedModule(up, up, 'SELECT die()') });
    },
    secondVia: 'cli',
  },
  {
    id: 'mid-rebuild-copy',
    title: "release-r01, half-way through 0006's copy of sessions into sessions_new (INSERT … SELECT … die())",
    fixture: 'release-r01',
    migrations: (dir) => {
      const up = upSectionOf('0006_session_favorites_and_status_check.sql');
      const armed = up.replace('  FROM sessions\n  ORDER BY rowid;', `  FROM sessions\n  WHERE ${DIE_AT_MIDDLE('sessions')}\n  ORDER BY rowid;`);
      return migrationsCopy(dir, '0006_session_favorites_and_status_check.sql', { '0006_session_favorites_and_status_check.mjs': armedModule(up, armed) });
    },
    secondVia: 'library',
  },
  {
    id: 'mid-copy-spilled',
    title: 'release-r06 with a 1-page cache, half-way through copying session_outputs in an added 0011: dirty pages already spilled into the file',
    fixture: 'release-r06',
    cacheSize: 1,
    migrations: (dir) => {
      const sql = 'CREATE TABLE session_outputs_archive AS SELECT * FROM session_outputs WHERE 0;\nINSERT INTO session_outputs_archive SELECT * FROM session_outputs WHERE 1 ORDER BY rowid;';
      return migrationsCopy(dir, null, { '0011_archive_outputs.mjs': armedModule(sql, sql.replace('WHERE 1', `WHERE ${DIE_AT_MIDDLE('session_outputs')}`)) });
    },
    expectMainFileChanged: true,
    secondVia: 'library',
  },
  {
    id: 'mid-typescript-migration',
    title: 'release-r06, inside the TypeScript migration 0008: after its ALTER TABLE and backfill UPDATE, before its trigger and view',
    fixture: 'release-r06',
    migrations: (dir) =>
      migrationsCopy(dir, '0008_session_activity.ts', {
        '0008_session_activity.ts': [
          `import * as original from ${JSON.stringify(pathToFileURL(join(MIGRATIONS, '0008_session_activity.ts')).href)};`,
          '',
          'interface Ctx { readonly db: { prepare(sql: string): { get(): unknown } }; sql(script: string): void }',
          '',
          'export function up(ctx: Ctx): void {',
          `  const armed = (ctx.db.prepare(${JSON.stringify(ARMED)}).get() as { n: number }).n > 0;`,
          '  let calls = 0;',
          '  // The real migration, with die() just before its second ctx.sql (the trigger).',
          "  original.up({ ...ctx, sql: (script: string) => { if (armed && ++calls === 2) ctx.db.prepare('SELECT die()').get(); ctx.sql(script); } } as never);",
          '}',
          '',
        ].join('\n'),
      }),
    secondVia: 'library',
  },
  {
    id: 'wal-mid-copy-spilled',
    title: 'variant-wal-uncheckpointed with a 1-page cache, half-way through an added 0011 copy: uncommitted frames already in the -wal',
    fixture: 'variant-wal-uncheckpointed',
    cacheSize: 1,
    migrations: (dir) => {
      const sql = 'CREATE TABLE session_outputs_archive AS SELECT * FROM session_outputs WHERE 0;\nINSERT INTO session_outputs_archive SELECT * FROM session_outputs WHERE 1 ORDER BY rowid;';
      return migrationsCopy(dir, null, { '0011_archive_outputs.mjs': armedModule(sql, sql.replace('WHERE 1', `WHERE ${DIE_AT_MIDDLE('session_outputs')}`)) });
    },
    expectWalGrown: true,
    secondVia: 'library',
  },
  {
    id: 'commit-before-journal-delete',
    title: "release-r06, the real CLI killed inside COMMIT on entering the unlink of its -journal: every page written and the file grown, the commit point not reached (strace)",
    fixture: 'release-r06',
    // SQLite deletes the journal with unlink(); arm64 Linux has only unlinkat.
    syscallKill: { companion: '-journal', syscalls: process.arch === 'x64' ? ['unlink', 'unlinkat'] : ['unlinkat'], nth: 1 },
    expectMainFileChanged: true,
    secondVia: 'library',
  },
  {
    id: 'commit-after-page-1',
    title: "release-r06, the real CLI killed inside COMMIT on entering its second database write: page 1 (whose header already counts the new pages) written, the file not yet grown (strace)",
    fixture: 'release-r06',
    syscallKill: { companion: '', syscalls: ['pwrite64'], nth: 2 },
    expectMainFileChanged: true,
    secondVia: 'cli',
  },
  {
    id: 'wal-commit-mid-frames',
    title: 'variant-wal-uncheckpointed, the real CLI killed inside COMMIT on entering its third write to the -wal: frames appended, no commit frame (strace)',
    fixture: 'variant-wal-uncheckpointed',
    syscallKill: { companion: '-wal', syscalls: ['pwrite64'], nth: 3 },
    expectWalGrown: true,
    secondVia: 'library',
  },
  {
    id: 'legacy-mid-rebuild',
    title: "variant-crashed-r07, mode auto: the app's old function dies half-way (at its r07:copied checkpoint, sessions_new rebuilt and filled again)",
    fixture: 'variant-crashed-r07',
    legacyDieAt: 'r07:copied',
    secondVia: 'cli',
  },
  {
    id: 'legacy-end',
    title: "variant-crashed-r07, mode auto: the app's old function dies at its last checkpoint (r10:git-tracking), before drawbridge detects again and bridges",
    fixture: 'variant-crashed-r07',
    legacyDieAt: 'r10:git-tracking',
    secondVia: 'library',
  },
];

/**
 * Not atomic on purpose, to show the harness catches it: 0007 (a module
 * migration) commits drawbridge's transaction half-way — the fix-up and the
 * backfill become durable — opens a new one, and dies. The kill leaves
 * neither the original nor the upgraded database, and runChosenPoint must say so.
 */
export const SABOTAGED_POINT: ChosenPoint = {
  id: 'sabotaged-commit',
  title: 'release-r06 with a 0007 that COMMITs drawbridge\'s transaction, BEGINs another, then dies (atomicity broken on purpose)',
  fixture: 'release-r06',
  migrations: (dir) => {
    const up = upSectionOf('0007_late_indexes.sql');
    const module = armedModule(up, up, 'SELECT die()').replace('  if (armed) ctx.db.prepare(', "  if (armed) ctx.db.exec('COMMIT');\n  if (armed) ctx.db.exec('BEGIN IMMEDIATE');\n  if (armed) ctx.db.prepare(");
    return migrationsCopy(dir, '0007_late_indexes.sql', { '0007_late_indexes.mjs': module });
  },
  secondVia: 'library',
};

export interface ChosenResult {
  readonly point: ChosenPoint;
  readonly outcome: KillOutcome;
  readonly violations: readonly string[];
  readonly durationMs: number;
}

/**
 * Run a chosen point: the child dies by its own hand inside the transaction.
 * The state must be exactly the old one, and the rest as for a random kill.
 */
export async function runChosenPoint(ws: Workspace, point: ChosenPoint): Promise<ChosenResult> {
  const started = performance.now();
  const fixture = ws.fixture(point.fixture);
  const dir = ws.trialDir(`chosen-${point.id}`);
  const file = join(dir, 'app.db');
  copyDatabase(fixture.original, file);
  let run: ProcessRun;
  if (point.syscallKill === undefined) {
    const spec = childSpec(file, fixture.config, {
      registerDie: true,
      migrations: point.migrations?.(dir) ?? MIGRATIONS,
      legacy: fixture.config.legacy ? { dieAt: point.legacyDieAt ?? null } : null,
      cacheSize: point.cacheSize ?? null,
    });
    run = await runChild(spec, null);
  } else {
    run = await runCliKilledAtSyscall(file, fixture.config, point.syscallKill);
  }
  const outcome = await inspectKill(ws, fixture, point.syscallKill === undefined ? 'warm' : 'cli', run, file, { secondVia: point.secondVia });
  const violations = [...judge(outcome).violations];
  if (run.signal !== 'SIGKILL') violations.push(`the process was not killed where it should have been: ${describeRun(run)}`);
  if (point.syscallKill === undefined) {
    if (!run.markers.some((m) => m.name === 'die')) violations.push('die() was never called');
    if (stageOfMarkers(run.markers) !== 'during') violations.push(`die() ran outside the transaction (stage ${stageOfMarkers(run.markers)})`);
  }
  if (outcome.found.verdict !== 'old') violations.push(`killed inside the transaction, the database is ${describeState(outcome.found)} instead of exactly the original`);
  if (point.expectMainFileChanged === true && !outcome.traces.mainFileChanged) violations.push('no page reached the main file before the kill (the spill this point needs did not happen)');
  if (point.expectWalGrown === true && !((outcome.traces.walBytes ?? 0) > (outcome.traces.walBytesBefore ?? 0))) violations.push('no frame reached the -wal before the kill (the spill this point needs did not happen)');
  rmSync(dir, { recursive: true, force: true });
  return { point, outcome, violations, durationMs: performance.now() - started };
}

// ---------------------------------------------------------------------------
// Counting

export interface Counts {
  trials: number;
  before: number;
  during: number;
  /** Of `during`: killed inside COMMIT (warm only; either state is allowed there). */
  inCommit: number;
  after: number;
  violations: number;
  /** Backups the killed runs left (each checked to be the original), and unfinished .partial ones. */
  backups: number;
  partialBackups: number;
}

function emptyCounts(): Counts {
  return { trials: 0, before: 0, during: 0, inCommit: 0, after: 0, violations: 0, backups: 0, partialBackups: 0 };
}

export function countResults(results: readonly TrialResult[]): { total: Counts; byRunner: Record<string, Counts>; byFixture: Record<string, Counts> } {
  const total = emptyCounts();
  const byRunner: Record<string, Counts> = {};
  const byFixture: Record<string, Counts> = {};
  for (const result of results) {
    for (const counts of [total, (byRunner[result.spec.runner] ??= emptyCounts()), (byFixture[`${result.spec.fixture} (${result.spec.runner})`] ??= emptyCounts())]) {
      counts.trials++;
      if (result.stage === 'before') counts.before++;
      else if (result.stage === 'after') counts.after++;
      else counts.during++;
      if (result.stage === 'commit') counts.inCommit++;
      if (result.violations.length > 0) counts.violations++;
      counts.backups += result.outcome.backups.length;
      counts.partialBackups += result.outcome.traces.partialBackups;
    }
  }
  return { total, byRunner, byFixture };
}

export function formatCounts(label: string, c: Counts): string {
  return `${label.padEnd(42)} ${String(c.trials).padStart(5)} trials: before ${String(c.before).padStart(4)}, during ${String(c.during).padStart(4)} (in COMMIT ${c.inCommit}), after ${String(c.after).padStart(4)}; violations ${c.violations}`;
}

export function summaryLines(results: readonly TrialResult[]): string[] {
  const { total, byRunner, byFixture } = countResults(results);
  return [
    formatCounts('all', total),
    `${''.padEnd(42)} backups left by killed runs: ${total.backups} (each exactly the original), unfinished .backup.partial files: ${total.partialBackups}`,
    ...Object.entries(byRunner).map(([runner, c]) => formatCounts(`  ${runner === 'cli' ? 'cli (real command, killed from spawn)' : 'warm (library child, killed from go)'}`, c)),
    ...Object.entries(byFixture)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, c]) => formatCounts(`    ${key}`, c)),
  ];
}

export function describeViolation(result: TrialResult): string {
  const { spec, outcome } = result;
  return (
    `trial ${spec.index} (${spec.fixture}, ${spec.runner}, delay ${spec.delayMs.toFixed(1)} ms, killed at ${outcome.run.killedAtMs?.toFixed(1) ?? '-'} ms, stage ${result.stage}, ` +
    `markers ${outcome.run.markers.map((m) => m.name).join('>') || '-'}, traces ${JSON.stringify(outcome.traces)}${result.dir === null ? '' : `, kept in ${result.dir}`}): ${result.violations.join('; ')}`
  );
}
