import { UsageError } from '../errors.js';

/**
 * The feature flag (DESIGN.md, "Modes"): `bridge` detects, backfills and runs
 * the new sequence; `auto` runs the app's old inline migrations first when the
 * legacy state is unknown; `legacy` runs only the old ones.
 */
export type Mode = 'bridge' | 'auto' | 'legacy';
export const MODES: readonly Mode[] = ['bridge', 'auto', 'legacy'];

/** The mode asked for, else the DRAWBRIDGE_MODE environment variable, else 'bridge'. */
export function resolveMode(mode: Mode | undefined): Mode {
  const chosen = mode ?? process.env.DRAWBRIDGE_MODE ?? 'bridge';
  if (!(MODES as readonly string[]).includes(chosen)) {
    throw new UsageError(`mode "${chosen}" is not one of ${MODES.join(', ')}${mode === undefined ? ' (from DRAWBRIDGE_MODE)' : ''}.`);
  }
  return chosen as Mode;
}
