import { MODES, refusalError, type Mode } from '../../bridge/plan.js';
import { upgrade as upgradeDatabase, type UpgradeResult } from '../../bridge/upgrade.js';
import { UsageError } from '../../errors.js';
import { booleanOption, databaseArgument, oneOf, stringOption } from '../args.js';
import { ProgressLine } from '../progress-line.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { loadInputs, loadLegacyModule } from '../../bridge/load-inputs.js';

function names(list: readonly string[]): string {
  if (list.length === 0) return 'none';
  return list.length <= 2 ? list.join(', ') : `${list[0] ?? ''} … ${list.at(-1) ?? ''} (${list.length})`;
}

export function upgradeLines(r: UpgradeResult): string[] {
  const rule = r.rule === null ? '' : ` (rule ${r.rule})`;
  const plan = r.plan;
  if (r.action === 'nothing') return [`${r.file}: up to date (${r.state}), nothing to do`];
  if (r.dryRun) {
    const lines = [`${r.file}: ${r.state}${rule} — dry run, nothing written. The upgrade would:`];
    if (plan.action === 'legacy-only') lines.push("  run the app's old migrations (mode legacy) and nothing else");
    if (plan.action === 'legacy-then-bridge') lines.push("  run the app's old migrations, detect again, then bridge what they leave");
    if (plan.prepare.length > 0) lines.push(`  run the rule's fix-up:`, ...plan.prepare.map((sql) => `    ${sql.trim().replace(/\s+/g, ' ')}`));
    if (plan.backfill.length > 0) lines.push(`  record ${plan.backfill.length} migration(s) as already applied (bridged at ${plan.bridgePoint ?? ''}): ${names(plan.backfill.map((m) => m.name))}`);
    for (const m of plan.backfill) if (m.source !== null) lines.push(`    ${m.name}: imported from ${m.source.table} (${m.source.tool}) ${m.source.ids.join(', ')}`);
    if (plan.pending.length > 0) lines.push(`  run ${plan.pending.length} migration(s): ${plan.pending.map((m) => m.name).join(', ')}`);
    lines.push(`  then check the schema equals the sequence's at ${plan.target ?? '(nothing)'}, all in one transaction`);
    return lines;
  }
  const what = r.action === 'legacy-only' ? "ran the app's old migrations (mode legacy)" : `${r.backfilled.length > 0 ? `bridged at ${r.bridgePoint ?? ''}${rule}, backfilled ${r.backfilled.length}, ` : ''}applied ${r.applied.length}`;
  const lines = [`${r.file}: ${what} in ${Math.round(r.durations.totalMs)} ms`];
  if (r.backup !== null) lines.push(`  backup: ${r.backup.path} (${r.backup.method}${r.backup.fallbackReason === null ? '' : `: ${r.backup.fallbackReason}`}, ${r.backup.bytes} bytes, checked by ${r.backup.verified})`);
  if (r.imported.length > 0) lines.push(`  imported from another tool's history: ${r.imported.join(', ')}`);
  if (r.applied.length > 0) lines.push(`  applied: ${r.applied.join(', ')}`);
  if (r.legacy !== null && r.legacy.droppedTables.length > 0) lines.push(`  the old migrations dropped: ${r.legacy.droppedTables.map((t) => `${t.table} (${t.rows} rows)`).join(', ')}`);
  if (r.foreignKeyViolationsKept.length > 0) lines.push(`  note: ${r.foreignKeyViolationsKept.length} foreign-key violation(s) were already in the data; kept exactly as they were`);
  return lines;
}

export const upgrade: Command = {
  name: 'upgrade',
  summary: 'the one-time upgrade: detect, bridge onto the sequence, run what is pending — one transaction',
  synopsis: 'upgrade <db> [--dry-run] [--to NAME] [--backup PATH | --no-backup] [--mode bridge|auto|legacy]',
  help: [
    '--mode bridge   (default) detect, backfill, run the sequence; refuse unknown states (exit 3)',
    "--mode auto     as bridge, but an unknown state first runs the app's old migrations (--legacy), then bridges",
    "--mode legacy   run only the app's old migrations, never create a tracking table (the escape hatch)",
    '                The mode defaults to the DRAWBRIDGE_MODE environment variable, else bridge.',
    '--dry-run       print the plan; write nothing',
    '--to NAME       stop at migration NAME',
    '--backup PATH   where to put the backup taken before the first write (default: beside the database,',
    '                named with the time and the versions); --no-backup: none',
  ],
  options: { 'dry-run': { type: 'boolean' }, to: { type: 'string' }, mode: { type: 'string' }, backup: { type: 'string' }, 'no-backup': { type: 'boolean' } },
  async run(args, out) {
    const database = databaseArgument('upgrade', args);
    const settings = await resolveSettings(args);
    const { migrations, rules } = loadInputs(settings);
    const mode: Mode | undefined = oneOf(args, 'mode', MODES);
    const legacy = settings.legacy === undefined ? undefined : await loadLegacyModule(settings.legacy);
    const backupPath = stringOption(args, 'backup');
    if (backupPath !== undefined && booleanOption(args, 'no-backup')) throw new UsageError('--backup and --no-backup cannot be combined: choose one.');
    const progress = out.json || !process.stderr.isTTY ? undefined : new ProgressLine((text) => process.stderr.write(text));
    const result = await upgradeDatabase(database, {
      migrations,
      rules,
      legacy,
      mode,
      dryRun: booleanOption(args, 'dry-run'),
      to: stringOption(args, 'to'),
      table: settings.table,
      lockTimeoutMs: settings.lockTimeoutMs,
      logger: { info: (m) => out.note(m), warn: (m) => out.note(`warning: ${m}`) },
      backup: booleanOption(args, 'no-backup') ? false : backupPath === undefined ? {} : { path: backupPath },
      onProgress: (event) => {
        if (event.type === 'waiting-for-lock') out.note(`${database}: another process holds the write lock; waiting up to ${settings.lockTimeoutMs} ms…`);
        progress?.update(event);
      },
    });
    progress?.done();
    // A dry run predicts the real run, exit code included.
    if (result.plan.action === 'refuse') throw refusalError(result.plan);
    out.result({ command: 'upgrade', ...result }, upgradeLines(result));
    return 0;
  },
};
