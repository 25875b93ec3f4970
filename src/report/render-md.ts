import type { Report } from './types.js';

/** The report as Markdown, for a support ticket. Every value is escaped for tables and code fences. */

/** A table cell: pipes and newlines would break the table; backslashes and backticks would change it. */
function cell(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

/** A fenced code block whose fence is longer than any run of backticks inside it. */
function fence(code: string, language = ''): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code}\n${ticks}`;
}

export function renderMarkdown(report: Report): string {
  const { file, detection: d, plan, health } = report;
  const out: string[] = [];
  out.push(`# drawbridge report: ${cell(file.path)}`, '');
  out.push(`**State:** ${cell(d.state)}${d.rule === null ? '' : ` — rule \`${cell(d.rule.id)}\`${d.rule.title === null ? '' : ` (${cell(d.rule.title)})`}`}  `);
  out.push(`**Bridge point:** ${d.bridgePoint === null ? '—' : `\`${cell(d.bridgePoint)}\``}  `);
  out.push(`**Upgrade:** ${plan.refusal === null ? `${cell(plan.action)}: ${plan.backfill.length} to record as applied, ${plan.pending.length} to run` : `refused — ${cell(plan.refusal.message)}`}  `);
  out.push(`**Health:** ${health.ok ? `${health.check} ok` : `${health.check}: ${health.problems.length} problem(s)`}, ${health.foreignKeyViolations.count} foreign-key violation(s)`, '');
  out.push(fence(plan.command, 'sh'), '');

  out.push('## Evidence', '', '| check | expected | found | ok |', '|---|---|---|---|');
  for (const e of d.evidence) out.push(`| ${cell(e.check)} | ${cell(e.expected)} | ${cell(e.found)} | ${e.ok ? '✓' : '✗'} |`);
  if (d.rule !== null && d.rule.notes !== null) out.push('', `> ${cell(d.rule.notes)}`);
  if (d.candidates.length > 1) out.push('', '**Candidates:**', ...d.candidates.map((c) => `- ${cell(c.source)} \`${cell(c.id)}\``));
  if (d.nearest.rules.length > 0 || d.nearest.versions.length > 0) {
    out.push('', '## Nearest', '');
    for (const r of d.nearest.rules) out.push(`- rule \`${cell(r.id)}\`: ${r.failed.map((f) => `${cell(f.check)} (found ${cell(f.found)})`).join('; ')}`);
    for (const v of d.nearest.versions) out.push(`- version \`${cell(v.name ?? '(empty)')}\`: ${v.differences} difference(s)`, '', fence(v.lines.join('\n'), 'diff'), '');
  }

  out.push('', '## Timeline', '', '| migration | status | on this database | legacy releases joining here |', '|---|---|---|---|');
  for (const t of report.timeline) out.push(`| ${t.here ? '▶ ' : ''}\`${cell(t.migration)}\` | ${cell(t.status)} | ${cell(t.presence)} | ${t.rules.map((r) => `\`${cell(r)}\``).join(', ')} |`);

  out.push('', `## Plan (mode ${cell(plan.mode)})`, '');
  if (plan.refusal !== null) out.push(`**Refused:** ${cell(plan.refusal.message)}`, '');
  if (plan.prepare !== null) out.push('**Fix-up:**', '', fence(plan.prepare.sql ?? '', 'sql'), '');
  if (plan.backfill.length > 0) out.push(`**Recorded as applied (${plan.imported.length > 0 ? 'bridged or imported' : 'bridged'}):** ${plan.backfill.map((b) => `\`${cell(b)}\``).join(', ')}`, '');
  for (const i of plan.imported) out.push(`- \`${cell(i.name)}\` imported from \`${cell(i.table)}\` (${cell(i.tool)}): ${i.ids.map((id) => `\`${cell(id)}\``).join(', ')}`);
  if (plan.imported.length > 0) out.push('');
  for (const s of plan.pending) {
    out.push(`### ${cell(s.name)}`, '', ...s.flags.map((f) => `- **${f.kind}**${f.rows === null ? '' : ` (${f.rows} rows)`}: ${cell(f.detail)}`));
    if (s.sql !== null) out.push('', '<details><summary>SQL</summary>', '', fence(s.sql, 'sql'), '', '</details>');
    out.push('');
  }
  out.push(`**Estimate:** ${plan.estimate.rowsTouched} rows touched, ~${plan.estimate.seconds} s (${cell(plan.estimate.basis)})`, '');

  out.push('## Health', '', `- ${health.check}: ${health.ok ? 'ok' : health.problems.map(cell).join('; ')}`);
  for (const v of health.foreignKeyViolations.sample) out.push(`- foreign key: \`${cell(v.table)}\` rowid ${v.rowid ?? '—'} → no row in \`${cell(v.parent)}\` (${cell(v.values)})`);
  if (health.drift !== null) out.push(`- drift from \`${cell(health.drift.against ?? '(nothing)')}\`: ${health.drift.identical ? 'none' : ''}`, ...(health.drift.identical ? [] : ['', fence(health.drift.lines.join('\n'), 'diff')]));

  out.push('', '## Identity', '', '| fact | value |', '|---|---|');
  const facts: [string, unknown][] = [
    ['size', `${file.sizeBytes} bytes`],
    ['pages', `${file.pageCount} × ${file.pageSize} bytes (${file.freelistCount} free)`],
    ['journal mode', file.journalMode],
    ['encoding', file.encoding],
    ['user_version', file.userVersion],
    ['application_id', file.applicationId],
    ['last written by SQLite', file.lastWrittenBySqlite],
    ['-wal', file.wal.present ? `${file.wal.sizeBytes} bytes` : 'absent'],
    ['-shm', file.shm.present ? 'present' : 'absent'],
  ];
  for (const [k, v] of facts) out.push(`| ${k} | ${cell(v)} |`);
  out.push('', '| table | rows | columns |', '|---|---|---|', ...report.tables.map((t) => `| \`${cell(t.name)}\` | ${t.rows} | ${t.columns} |`));
  out.push('', `_Generated by drawbridge ${cell(report.toolVersion)} at ${cell(report.generatedAt)}; nothing was written to the database._`, '');
  return out.join('\n');
}
