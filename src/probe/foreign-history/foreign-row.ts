import type { ForeignHistory, ForeignRow, ForeignTool } from '../types.js';
import type { SourceRow } from './source-row.js';

type RowFacts = Pick<ForeignRow, 'id'> & Partial<Omit<ForeignRow, 'id' | 'source'>>;

/** A normalised row; what a tool does not record stays null, and a row is applied unless said otherwise. */
export function foreignRow(source: SourceRow, facts: RowFacts): ForeignRow {
  return {
    id: facts.id,
    status: facts.status ?? 'applied',
    appliedAt: facts.appliedAt ?? null,
    durationMs: facts.durationMs ?? null,
    checksum: facts.checksum ?? null,
    source,
  };
}

export function foreignHistory(tool: ForeignTool, table: string, rows: readonly ForeignRow[], options: { cumulative?: boolean; locked?: boolean } = {}): ForeignHistory {
  return { tool, table, cumulative: options.cumulative ?? false, rows, locked: options.locked ?? false };
}
