import type { Report } from './types.js';

/**
 * The report for a terminal. Colour only where it helps and only when asked
 * (the CLI asks on a TTY, and never when NO_COLOR is set).
 */

export interface TextOptions {
  readonly color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export function renderText(report: Report, options: TextOptions = { color: false }): string {
  const paint = (code: keyof typeof CODES, text: string): string => (options.color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text);
  const { file, detection: d, plan, health } = report;
  const lines: string[] = [];
  const heading = (text: string): void => {
    lines.push('', paint('bold', text));
  };
  const stateColour = d.state === 'legacy' || d.state === 'tracked' || d.state === 'fresh' ? 'green' : d.state === 'unknown' || d.state === 'ambiguous' ? 'yellow' : 'red';
  lines.push(`${paint('bold', file.path)}: ${paint(stateColour, d.state)}${d.rule === null ? '' : ` — rule ${d.rule.id}${d.rule.title === null ? '' : ` (${d.rule.title})`}`}${d.bridgePoint === null ? '' : `, bridge point ${d.bridgePoint}`}`);
  lines.push(`  upgrade: ${plan.refusal === null ? `${plan.action}: ${plan.backfill.length} to record as applied, ${plan.pending.length} to run` : paint('red', `refused — ${plan.refusal.message}`)}`);
  lines.push(`  health: ${health.ok ? paint('green', `${health.check} ok`) : paint('red', `${health.check}: ${health.problems.length} problem(s)`)}, ${health.foreignKeyViolations.count} foreign-key violation(s)`);

  heading('Identity');
  lines.push(
    `  ${file.sizeBytes} bytes · ${file.pageCount} pages of ${file.pageSize} · journal ${file.journalMode} · ${file.encoding} · user_version ${file.userVersion} · application_id ${file.applicationId}`,
    `  last written by SQLite ${file.lastWrittenBySqlite} · -wal ${file.wal.present ? `${file.wal.sizeBytes} bytes` : 'absent'} · -shm ${file.shm.present ? 'present' : 'absent'}${file.readFromCopy ? ' · read from a private copy' : ''}`,
    `  ${report.tables.length} tables: ${report.tables.map((t) => `${t.name} (${t.rows})`).join(', ')}`,
  );

  heading('Detection');
  if (d.rule !== null && d.rule.notes !== null) lines.push(`  notes: ${d.rule.notes}`);
  for (const e of d.evidence) lines.push(`  ${e.ok ? paint('green', 'ok  ') : paint('red', 'FAIL')} ${e.check}: expected ${show(e.expected)}, found ${show(e.found)}`);
  for (const c of d.candidates.length > 1 ? d.candidates : []) lines.push(`  candidate: ${c.source} ${c.id}${c.bridgePoint === null ? '' : ` → ${c.bridgePoint}`}`);
  for (const r of d.nearest.rules) lines.push(`  nearest rule ${r.id}: ${r.failed.map((f) => `${f.check} (expected ${show(f.expected)}, found ${show(f.found)})`).join('; ')}`);
  for (const v of d.nearest.versions) lines.push(`  nearest version ${v.name ?? '(empty)'} — ${v.differences} difference(s):`, ...v.lines.map((l) => `    ${l}`));

  heading('Timeline');
  for (const t of report.timeline) {
    const mark = t.here ? paint('blue', '▶') : ' ';
    lines.push(`  ${mark} ${t.migration.padEnd(44)} ${t.status.padEnd(13)} ${paint('dim', t.presence)}${t.rules.length === 0 ? '' : `  ← ${t.rules.join(', ')}`}`);
  }

  heading(`Plan (mode ${plan.mode})`);
  if (plan.prepare !== null) lines.push(`  fix-up: ${plan.prepare.flags.map((f) => `[${f.kind}] ${f.detail}`).join('; ') || 'no destructive steps'}`, ...(plan.prepare.sql ?? '').split('\n').map((l) => `    ${l}`));
  if (plan.backfill.length > 0) lines.push(`  record as applied (${plan.imported.length > 0 ? 'bridged or imported' : 'bridged'}): ${plan.backfill.join(', ')}`);
  for (const i of plan.imported) lines.push(`    ${i.name} imported from ${i.table} (${i.tool}): ${i.ids.join(', ')}`);
  for (const s of plan.pending) {
    lines.push(`  run ${s.name}${s.flags.length === 0 ? '' : `  ${s.flags.map((f) => paint(f.kind === 'drop' ? 'red' : 'yellow', `[${f.kind}${f.rows === null ? '' : ` ${f.rows} rows`}] ${f.detail}`)).join(' ')}`}`);
  }
  lines.push(`  estimate: ${plan.estimate.rowsTouched} rows touched, ~${plan.estimate.seconds} s (${plan.estimate.basis})`, `  command: ${plan.command}`);

  heading('Health');
  lines.push(`  ${health.check}: ${health.ok ? 'ok' : health.problems.join('; ')}`);
  for (const v of health.foreignKeyViolations.sample) lines.push(`  foreign key: ${v.table} rowid ${v.rowid ?? '-'} → no row in ${v.parent} (${show(v.values)})`);
  if (health.drift !== null) lines.push(`  drift from ${health.drift.against ?? '(nothing)'}: ${health.drift.identical ? 'none' : ''}`, ...health.drift.lines.map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}
