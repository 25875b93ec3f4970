import { fileURLToPath } from 'node:url';

/**
 * The package's own folders (the reference app), wherever drawbridge is
 * installed: this module sits at dist/src/package-paths.js.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REFERENCE_MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
export const REFERENCE_RULES = fileURLToPath(new URL('../../bridge-rules', import.meta.url));
