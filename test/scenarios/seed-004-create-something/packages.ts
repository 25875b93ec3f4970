import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../../helpers/temp.js';
import { scenarioFolder } from '../scenario-helpers.js';
import { migrationFiles, type SampleRows } from './legacy.js';

/**
 * The packages of the CREATE SOMETHING monorepo this scenario carries, one
 * D1 database each, and the way every per-package test is registered once
 * for all of them.
 */

export const SCENARIO = scenarioFolder('seed-004-create-something');
export const RULES = join(SCENARIO, 'bridge-rules.yaml');

export interface Package {
  readonly name: 'space' | 'io' | 'lms';
  /** Its migrations directory as it stands in the repository (io's still has a 3-digit file). */
  readonly source: string;
  /**
   * How many files a typical install ran by hand: those before the package's
   * table recreation, so that drawbridge runs the recreation with child rows
   * in place (run by hand with foreign keys on, it would have cascaded).
   */
  readonly ranByHand: number;
  /** Rows its users made, per table. */
  readonly rows: SampleRows;
}

const packageDir = (name: string): string => join(SCENARIO, 'packages', name, 'migrations');

export const PACKAGES: readonly Package[] = [
  {
    name: 'space',
    source: packageDir('space'),
    ranByHand: 2,
    rows: {
      papers: "INSERT INTO papers (id, slug, title, category) VALUES ('p1', 'why-sqlite', 'Why SQLite', 'research'), ('p2', 'd1-in-practice', 'D1 in practice', 'case-study')",
      paper_reactions: `INSERT INTO paper_reactions (paper_id, user_id, kind, metadata) VALUES ('p1', 'u1', 'like', '{"source":"feed"}'), ('p1', 'u2', 'like', '{}'), ('p2', 'u1', 'bookmark', '{"folder":"later"}')`,
      paper_views: "INSERT INTO paper_views (paper_id, day, views) VALUES ('p1', '2025-10-01', 42), ('p2', '2025-10-01', 7)",
    },
  },
  {
    name: 'io',
    source: packageDir('io'),
    ranByHand: 6,
    rows: {
      users: "INSERT INTO users (id, email) VALUES ('u1', 'ada@example.com'), ('u2', 'bob@example.com')",
      sessions: "INSERT INTO sessions (id, user_id, expires_at) VALUES ('s1', 'u1', '2025-12-01'), ('s2', 'u2', '2025-12-02')",
      analytics_events: `INSERT INTO analytics_events (event, path, metadata) VALUES ('view', '/papers', '{"ref":"hn"}'), ('view', '/experiments', '{}'), ('signup', '/join', '{"plan":"free"}')`,
      experiments: "INSERT INTO experiments (id, slug, title, status) VALUES ('e1', 'pricing-page', 'Pricing page', 'live'), ('e2', 'onboarding', 'Onboarding', 'draft')",
      experiment_runs: `INSERT INTO experiment_runs (experiment_id, user_id, result, metadata) VALUES ('e1', 'u1', 'converted', '{"variant":"b"}'), ('e1', 'u2', 'bounced', '{"variant":"a"}'), ('e2', NULL, NULL, '{}')`,
      user_plugins: `INSERT INTO user_plugins (user_id, plugin_id, config) VALUES ('u1', 'notion-sync', '{"workspace":"ada"}'), ('u2', 'slack', '{}')`,
    },
  },
  {
    name: 'lms',
    source: packageDir('lms'),
    ranByHand: 4,
    rows: {
      courses: "INSERT INTO courses (id, slug, title) VALUES ('c1', 'sqlite-basics', 'SQLite basics')",
      // m2 has no title yet: 0005 gives it one when it makes the column NOT NULL.
      modules: "INSERT INTO modules (id, course_id, position, title) VALUES ('m1', 'c1', 1, 'Tables'), ('m2', 'c1', 2, NULL)",
      learners: "INSERT INTO learners (id, email) VALUES ('l1', 'ada@example.com'), ('l2', 'bob@example.com')",
      module_enrollment: `INSERT INTO module_enrollment (module_id, learner_id, status, metadata) VALUES ('m1', 'l1', 'completed', '{"score":93}'), ('m2', 'l1', 'enrolled', '{}'), ('m1', 'l2', 'enrolled', '{}')`,
    },
  },
];

/** A copy of a migrations directory with 3-digit prefixes made 4-digit (009_x.sql → 0009_x.sql), as io's files must be for drawbridge. */
export function fourDigitCopy(source: string, target: string): string {
  mkdirSync(target, { recursive: true });
  for (const file of migrationFiles(source)) copyFileSync(join(source, file), join(target, file.replace(/^(\d{3})_/, '0$1_')));
  return target;
}

/** The package's migrations as drawbridge reads them: its own folder, or a 4-digit copy where it still has 3-digit names. */
export function drawbridgeMigrations(t: TestContext, pkg: Package): string {
  const misnamed = migrationFiles(pkg.source).some((file) => /^\d{3}_/.test(file));
  return misnamed ? fourDigitCopy(pkg.source, join(tempDir(t), `${pkg.name}-migrations`)) : pkg.source;
}

/** The migration names of a directory drawbridge reads, in order. */
export function sequenceOf(dir: string): string[] {
  return migrationFiles(dir).map((file) => file.replace(/\.sql$/, ''));
}

export interface PackageContext {
  readonly pkg: Package;
  /** The package's migrations directory in drawbridge form. */
  readonly migrations: string;
  /** --migrations and --rules for the CLI. */
  readonly inputs: readonly string[];
  /** The migration names, in order. */
  readonly sequence: readonly string[];
}

/** Register one test per package, named `seed 004 [package]: title`. */
export function eachPackage(title: string, body: (t: TestContext, context: PackageContext) => void): void {
  for (const pkg of PACKAGES) {
    test(`seed 004 [${pkg.name}]: ${title}`, (t) => {
      const migrations = drawbridgeMigrations(t, pkg);
      body(t, { pkg, migrations, inputs: ['--migrations', migrations, '--rules', RULES], sequence: sequenceOf(migrations) });
    });
  }
}
