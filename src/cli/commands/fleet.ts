import { MODES, type Mode } from '../../bridge/plan.js';
import { EXIT, UsageError } from '../../errors.js';
import { FleetProgressBar } from '../../fleet/progress-bar.js';
import { renderSummary } from '../../fleet/render-summary.js';
import { ResultsFile } from '../../fleet/results-file.js';
import { runFleet, type FleetOptions } from '../../fleet/run-fleet.js';
import { parseShard } from '../../fleet/shard.js';
import { failuresError } from '../../fleet/summary.js';
import { booleanOption, integerOption, oneOf, stringOption, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

function backupOption(args: ParsedArgs): FleetOptions['backup'] {
  const dir = stringOption(args, 'backup-dir');
  const none = booleanOption(args, 'no-backup');
  if (dir !== undefined && none) throw new UsageError('--backup-dir and --no-backup cannot be combined: choose one.');
  if (none) return false;
  return dir === undefined ? undefined : { dir };
}

export const fleet: Command = {
  name: 'fleet',
  summary: 'detect (or upgrade) many databases at once on worker threads: one JSON line each, a histogram of the lot',
  synopsis: 'fleet <dir|glob|db...> [--upgrade] [--concurrency N] [--shard K/N] [--out results.jsonl]',
  help: [
    'Directories are searched recursively for .db, .sqlite, .sqlite3 and .db3 files (-wal/-shm/-journal',
    "sidecars and .backup files are skipped); quote globs ('fleet/**/*.db'); files are taken as given.",
    '--out FILE        one JSON line per database, written as each finishes (shards merge with cat)',
    '--concurrency N   worker threads (default: the number of CPUs)',
    '--shard K/N       only the K-th of N slices, chosen by a hash of each path relative to its argument:',
    '                  run 1/N … N/N on N machines (a CI matrix, Kubernetes Jobs) and concatenate the results',
    '--upgrade         upgrade every database (default: detect, and plan what an upgrade would do)',
    '  --mode bridge|auto|legacy, --to NAME   as for upgrade, and for the plan of a detection',
    '  --backup-dir DIR | --no-backup         where each backup goes (default: beside each database)',
    'Exit 0 when every database succeeded; 9 when any failed (each failure is listed with its own code).',
    'Without --upgrade a database an upgrade would refuse is not a failure: its action is "refuse".',
  ],
  options: {
    upgrade: { type: 'boolean' },
    concurrency: { type: 'string' },
    shard: { type: 'string' },
    out: { type: 'string' },
    mode: { type: 'string' },
    to: { type: 'string' },
    'backup-dir': { type: 'string' },
    'no-backup': { type: 'boolean' },
  },
  async run(args, out) {
    const settings = await resolveSettings(args);
    const shardText = stringOption(args, 'shard');
    const mode: Mode | undefined = oneOf(args, 'mode', MODES);
    const outPath = stringOption(args, 'out');
    const options: Omit<FleetOptions, 'onResult' | 'onProgress'> = {
      sources: { migrationsDir: settings.migrationsDir, rules: settings.rules, legacy: settings.legacy, table: settings.table, lockTimeoutMs: settings.lockTimeoutMs },
      upgrade: booleanOption(args, 'upgrade'),
      mode,
      to: stringOption(args, 'to'),
      backup: backupOption(args),
      concurrency: integerOption(args, 'concurrency', 1),
      shard: shardText === undefined ? undefined : parseShard(shardText),
    };
    const results = outPath === undefined ? undefined : ResultsFile.create(outPath);
    const bar = out.json || !process.stderr.isTTY ? undefined : new FleetProgressBar((text) => process.stderr.write(text));
    const { summary, listed } = await runFleet(args.positionals, { ...options, onResult: (r) => results?.write(r), onProgress: (p) => bar?.update(p) }).finally(() => {
      bar?.done();
      results?.close();
    });
    const failure = failuresError(summary);
    const error = failure === undefined ? {} : { ok: false, error: { code: failure.code, exitCode: failure.exitCode, message: failure.message } };
    const written = outPath === undefined ? [] : [`results: ${outPath} (one JSON line per database)`];
    out.result({ command: 'fleet', ...summary, listed, out: outPath ?? null, ...error }, [...renderSummary(summary), ...written]);
    if (failure === undefined) return EXIT.ok;
    if (!out.json) out.note(`drawbridge: ${failure.message}`);
    return failure.exitCode;
  },
};
