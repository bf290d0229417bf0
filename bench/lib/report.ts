// One line of the result table, the Markdown rendering and the JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './postgres.js';

export type Verdict = 'PASS' | 'MISS' | 'INFO' | 'not measured';

export interface ResultRow {
  /** Row number of issue #8 and a short name, e.g. "1 REST read". */
  row: string;
  metric: string;
  /** Berth's figure next to the baseline's, human-readable. */
  measured: string;
  /** The compared quantity (ratio or absolute), as shown. */
  value: string;
  goal: string;
  verdict: Verdict;
  note?: string;
  /** Raw numbers for the JSON file. */
  data?: Record<string, unknown>;
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'PASS' : 'MISS';
}

export function notMeasured(row: string, metric: string, goal: string, why: string): ResultRow {
  return { row, metric, measured: '-', value: '-', goal, verdict: 'not measured', note: why };
}

export const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
export const times = (x: number): string => `${x.toFixed(2)}×`;
export const num = (x: number, digits = 0): string => x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function markdown(rows: ResultRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| Row | Metric | Measured (Berth vs baseline) | Value | Goal | Result |', '|---|---|---|---:|---|---|'];
  for (const r of rows) {
    const result = r.verdict === 'not measured' ? `not measured: ${r.note ?? ''}` : r.verdict;
    lines.push(`| ${esc(r.row)} | ${esc(r.metric)} | ${esc(r.measured)} | ${esc(r.value)} | ${esc(r.goal)} | ${esc(result)} |`);
  }
  const notes = rows.filter((r) => r.note && r.verdict !== 'not measured').map((r) => `- ${r.row} — ${r.metric}: ${r.note}`);
  return [...lines, ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

export function writeJson(rows: ResultRow[], meta: Record<string, unknown>, file = 'latest.json'): string {
  const dir = join(repoRoot(), 'bench/results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
  return path;
}
