import { detect as detectDatabase, type Detection } from '../../bridge/detect.js';
import { formatDiff } from '../../probe/format-diff.js';
import { loadMigrations } from '../../runner/migration-set.js';
import { databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

function describe(d: Detection, total: number): string[] {
  const { facts, snapshot, trackingTables, schemaHash } = d.fingerprint;
  const count = (m: object): number => Object.keys(m).length;
  const head: Record<Detection['state'], string> = {
    fresh: 'fresh: no schema yet; `up` would apply the whole sequence',
    tracked: `tracked by drawbridge${d.derived === null ? '' : `; schema equals the sequence after ${d.derived.name ?? '(nothing)'}`}`,
    legacy: `legacy: untracked, and its schema equals the sequence after ${d.derived?.name ?? ''} (${d.derived?.index ?? 0} of ${total})`,
    unknown: 'unknown: untracked, and no version of the sequence has this schema',
  };
  const lines = [
    `${d.file}: ${head[d.state]}`,
    `  user_version ${facts.userVersion} · application_id ${facts.applicationId} · journal ${facts.journalMode} · page size ${facts.pageSize} · ` +
      `${count(snapshot.tables)} tables, ${count(snapshot.indexes)} indexes, ${count(snapshot.triggers)} triggers, ${count(snapshot.views)} views`,
    `  tracking tables: ${trackingTables.length === 0 ? 'none' : trackingTables.map((t) => `${t.table} (${t.tool})`).join(', ')}`,
    `  schema sha256: ${schemaHash}`,
  ];
  for (const near of d.nearest) {
    lines.push(`  nearest: ${near.name ?? '(empty schema)'} — ${near.differences} difference${near.differences === 1 ? '' : 's'}:`);
    lines.push(...formatDiff(near.diff).map((l) => `    ${l}`));
  }
  return lines;
}

export const detect: Command = {
  name: 'detect',
  summary: 'fingerprint a database and name the version of the sequence it matches',
  synopsis: 'detect <db>',
  help: ['Never writes: the .db, -wal and -shm stay byte-identical (WAL databases are read from a private copy).', 'Exit 0 whenever the database could be read; the state is in the output.'],
  options: {},
  async run(args, out) {
    const database = databaseArgument('detect', args);
    const settings = await resolveSettings(args);
    const migrations = loadMigrations(settings.migrationsDir);
    const detection = await detectDatabase(database, { migrations, trackingTable: settings.table, lockTimeoutMs: settings.lockTimeoutMs });
    out.result({ command: 'detect', ...detection }, describe(detection, migrations.migrations.length));
    return 0;
  },
};
