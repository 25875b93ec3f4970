import Database from 'better-sqlite3';
import fc from 'fast-check';
import { SimulatedCrash } from '../../legacy-fixtures/generate.js';
import { RELEASES, releaseById } from '../../legacy-fixtures/index.js';

/**
 * Random histories of the reference app's legacy code, for property tests:
 * any release's old inline runMigrations() applied in any order (subsets,
 * repeats, going backwards), each possibly dying at one of its checkpoints
 * the way generate.ts simulates a crash (legacy code used no transaction, so
 * everything done before the checkpoint stays).
 */

export interface LegacyStep {
  /** r01 … r10. */
  readonly release: string;
  /** The checkpoint label the function throws a SimulatedCrash at, or null to let it finish. */
  readonly crashAt: string | null;
}

/**
 * Every checkpoint label each release's function can reach, in order: found by
 * upgrading one database through r01 … r10 (that path reaches all of them,
 * "r07:copied" included, which a fresh 0.6.0 install skips).
 */
function checkpointLabels(): ReadonlyMap<string, readonly string[]> {
  const labels = new Map<string, string[]>();
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    for (const module of RELEASES) {
      const seen: string[] = [];
      module.runMigrations(db, { checkpoint: (label) => void seen.push(label) });
      labels.set(module.release.id, seen);
    }
  } finally {
    db.close();
  }
  return labels;
}

export const CHECKPOINTS: ReadonlyMap<string, readonly string[]> = checkpointLabels();

function labelsOf(release: string): readonly string[] {
  const labels = CHECKPOINTS.get(release);
  if (labels === undefined || labels.length === 0) throw new Error(`release ${release} reaches no checkpoint`);
  return labels;
}

/** One step: a release (uniformly), finishing two times in three, otherwise crashing at one of its checkpoints. */
export const legacyStep: fc.Arbitrary<LegacyStep> = fc.oneof(
  ...RELEASES.map(({ release: { id } }) =>
    fc.record({
      release: fc.constant(id),
      crashAt: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...labelsOf(id)) }),
    }),
  ),
);

/** A legacy history: 1 to 6 steps. */
export const legacySteps: fc.Arbitrary<LegacyStep[]> = fc.array(legacyStep, { minLength: 1, maxLength: 6 });

/** e.g. "r06, r07 (crash at r07:copied)": short enough for a failure message, exact enough to replay. */
export function describeSteps(steps: readonly LegacyStep[]): string {
  return steps.map((s) => (s.crashAt === null ? s.release : `${s.release} (crash at ${s.crashAt})`)).join(', ');
}

/**
 * Run the steps on a database, in order. A step whose crash label is never
 * reached (e.g. "r07:copied" when sessions already has its CHECK) finishes.
 */
export function applySteps(db: Database.Database, steps: readonly LegacyStep[]): void {
  for (const step of steps) {
    const module = releaseById(step.release);
    try {
      module.runMigrations(db, {
        checkpoint: (label) => {
          if (label === step.crashAt) throw new SimulatedCrash(label);
        },
      });
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
    }
  }
}

/** A fresh in-memory database with the legacy steps applied (foreign keys OFF, as the fixture generator writes). */
export function legacyDatabase(steps: readonly LegacyStep[]): Database.Database {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    applySteps(db, steps);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
