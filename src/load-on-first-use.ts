import { createRequire } from 'node:module';
import { UnexpectedError } from './errors.js';

/**
 * A module (one of drawbridge's, a dependency such as yaml or ajv, or a
 * builtin such as node:crypto) loaded when first used rather than with
 * drawbridge. An app imports drawbridge on every start to call upgrade(),
 * which on a current database reads one table; importing all of drawbridge
 * with it (the probe, the rules loader, the runner, ~70 files) cost ~35 ms of
 * every start (bench startup), most of it loading files that the no-op never
 * calls.
 *
 * Async entry points use `await import()`. This is for the synchronous ones
 * (loadRules, probeDatabase, rebuildTable…), which must stay synchronous: it
 * uses Node's require() of an ES module (Node ≥ 20.19), which loads the
 * same module instance that `import` does, so classes and caches are shared.
 *
 * `specifier` is a package or builtin name, or a path relative to this
 * file (src/).
 */
const requireFromSrc = createRequire(import.meta.url);

export function loadOnFirstUse<M>(specifier: string): () => M {
  let loaded: M | undefined;
  return () => (loaded ??= requireModule<M>(specifier));
}

function requireModule<M>(specifier: string): M {
  try {
    return requireFromSrc(specifier) as M;
  } catch (error) {
    throw new UnexpectedError(
      `drawbridge could not load the module ${specifier}: ${error instanceof Error ? error.message : String(error)}. ` +
        'drawbridge loads parts of itself on first use, from the files beside its index.js, with require() of ES modules: ' +
        'run it on Node 20.19 or later, and if a bundler inlines drawbridge into your app, mark "drawbridge" as external (as better-sqlite3 must be).',
      { cause: error, details: { module: specifier } },
    );
  }
}
