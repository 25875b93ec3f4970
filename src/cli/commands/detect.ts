import { detect as detectDatabase, type Detection } from '../../bridge/detect.js';
import type { CheckEvidence } from '../../bridge/evaluate-rule.js';
import { formatDiff } from '../../probe/format-diff.js';
import { databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { loadInputs } from '../../bridge/load-inputs.js';

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

function evidenceLine(e: CheckEvidence): string {
  return `    ${e.ok ? 'ok  ' : 'FAIL'} ${e.check}: expected ${show(e.expected)}, found ${show(e.found)}`;
}

/** Why another tool's history cannot be taken as it stands (the upgrade would refuse). */
function historyProblems(d: Detection): string[] {
  const own = (d.history?.problems ?? []).filter((p) => p.kind !== 'unfinished' && p.kind !== 'locked');
  return [...d.unfinished, ...own].map((p) => p.message);
}

function headline(d: Detection): string {
  if (historyProblems(d).length > 0 && (d.state === 'legacy' || d.state === 'unknown')) {
    return `${d.state}${d.rule === null ? '' : ` (rule ${d.rule.id})`}: another tool's history cannot be imported as it stands, so an upgrade refuses it`;
  }
  const rule = d.rule === null ? '' : `rule ${d.rule.id}${d.rule.title === undefined ? '' : ` (${d.rule.title})`}`;
  switch (d.state) {
    case 'fresh':
      return 'fresh: no schema yet; an upgrade applies the whole sequence';
    case 'tracked':
      return `tracked by drawbridge: ${d.tracking?.applied ?? 0} applied, ${d.tracking?.pending ?? 0} pending`;
    case 'newer':
      return d.rule === null
        ? `newer: its tracking table records migrations this app does not have (${d.tracking?.unknown.join(', ') ?? ''})`
        : `newer: ${rule} says a newer app wrote it`;
    case 'legacy':
      if (d.rule === null) return `legacy: its schema is the sequence's after ${d.bridgePoint ?? '(nothing)'}`;
      if (d.rule.then === 'refuse') return `legacy: ${rule} refuses this state`;
      if (d.rule.then === 'legacy-fallback') return `legacy: ${rule} — run the app's old migrations, then bridge at ${d.bridgePoint ?? '?'}`;
      return `legacy: ${rule} — bridge at ${d.bridgePoint ?? '?'}${d.rule.prepare.length > 0 ? ' after its fix-up' : ''}`;
    case 'ambiguous':
      return `ambiguous: ${d.candidates.map((c) => `${c.source} ${c.id}${c.bridgePoint === null ? '' : ` → ${c.bridgePoint}`}`).join('; ')}`;
    case 'unknown':
      return 'unknown: no rule and no version of the sequence matches';
  }
}

function describe(d: Detection): string[] {
  const { facts, snapshot, trackingTables } = d.fingerprint;
  const count = (m: object, noun: string): string => {
    const n = Object.keys(m).length;
    return `${n} ${noun}${n === 1 ? '' : noun.endsWith('x') ? 'es' : 's'}`;
  };
  const lines = [
    `${d.file}: ${headline(d)}`,
    `  user_version ${facts.userVersion} · journal ${facts.journalMode} · ` +
      `${count(snapshot.tables, 'table')}, ${count(snapshot.indexes, 'index')}, ${count(snapshot.triggers, 'trigger')}, ${count(snapshot.views, 'view')}` +
      ` · tracking tables: ${trackingTables.length === 0 ? 'none' : trackingTables.map((t) => `${t.table} (${t.tool})`).join(', ')}`,
  ];
  const problems = historyProblems(d);
  if (problems.length > 0) lines.push('  history problems:', ...problems.map((p) => `    - ${p}`));
  for (const h of d.fingerprint.foreignHistories) lines.push(`  history: ${h.table} (${h.tool}), ${h.rows.length} row${h.rows.length === 1 ? '' : 's'}${d.history?.table === h.table ? ', imported by the rule' : ''}`);
  if (d.evidence.length > 0) lines.push('  evidence:', ...d.evidence.map(evidenceLine));
  if (d.rule?.notes !== undefined) lines.push(`  notes: ${d.rule.notes.trim()}`);
  if (d.derived !== null && d.derived.userAdditions.length > 0) lines.push(`  left alone (the user's own): ${d.derived.userAdditions.join(', ')}`);
  if (d.migrations.length > 0) lines.push(`  migrations: ${d.migrations.map((m) => `${m.name} ${m.presence}`).join(' · ')}`);
  for (const near of d.nearest.rules) {
    lines.push(`  nearest rule: ${near.id} — ${near.failed.length} check${near.failed.length === 1 ? '' : 's'} failed:`, ...near.failed.map(evidenceLine));
  }
  for (const near of d.nearest.versions) {
    lines.push(`  nearest version: ${near.name ?? '(empty schema)'} — ${near.differences} difference${near.differences === 1 ? '' : 's'}:`);
    lines.push(...formatDiff(near.diff).map((l) => `    ${l}`));
  }
  return lines;
}

export const detect: Command = {
  name: 'detect',
  summary: 'fingerprint a database and say what it is: fresh, tracked, legacy (which rule or version), unknown',
  synopsis: 'detect <db>',
  help: [
    'Never writes: the .db, -wal and -shm stay byte-identical (WAL databases are read from a private copy).',
    'Uses the bridge rules given by --rules (or the config); without rules, only exact schema matches count.',
    'Exit 0 whenever the database could be read; the state is in the output.',
  ],
  options: {},
  async run(args, out) {
    const database = databaseArgument('detect', args);
    const settings = await resolveSettings(args);
    const { migrations, rules } = loadInputs(settings);
    const detection = await detectDatabase(database, { migrations, rules, trackingTable: settings.table, lockTimeoutMs: settings.lockTimeoutMs });
    out.result({ command: 'detect', ...detection }, describe(detection));
    return 0;
  },
};
