// The import preview: the file as the administrator chose it, row by row, beside what the API's
// dry run said of each bad row (its record number: the header is 1, the first employee 2, as
// employee_import.py counts records, so a quoted line break does not shift the numbers). Nothing here decides validity: the API does;
// this only lays its answer over the file so every bad row is seen before anything is applied.

import type { Schemas } from '../api/client';
import { rowProblemText } from '../strings.importRows';

/** A bad row as the API reports it (``rows`` of its import_rejected problem). */
export type RowProblem = Pick<Schemas['RowError'], 'row' | 'nip' | 'messages'> & Partial<Pick<Schemas['RowError'], 'problems'>>;

export interface PreviewRow {
  /** The record number the API reports (header = 1). */
  row: number;
  nip: string;
  name: string;
  unit: string;
  /** What is wrong with it, in Bahasa Indonesia (the API's English when it gave no codes). */
  messages: string[];
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Each employee row with the API's messages for it; rows the API did not name have none. */
export function preview(text: string, problems: RowProblem[]): PreviewRow[] {
  const [header, ...body] = parseCsv(text);
  if (!header) return [];
  const col = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [nip, name, unit] = [col('nip'), col('name'), col('unit_code')];
  const byRow = new Map<number, string[]>();
  for (const p of problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), ...said(p)]);
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
  const rows = body.map((r, i) => ({
    row: i + 2,
    nip: cell(r, nip),
    name: cell(r, name),
    unit: cell(r, unit),
    messages: byRow.get(i + 2) ?? [],
  }));
  // A row the API names that the simple reading here did not find (a quoted line break) is
  // still shown: no message may be lost.
  const seen = new Set(rows.map((r) => r.row));
  for (const p of problems)
    if (!seen.has(p.row)) rows.push({ row: p.row, nip: p.nip ?? '', name: '', unit: '', messages: said(p) });
  return rows.sort((a, b) => a.row - b.row);
}

/** A bad row's problems as the administrator reads them. */
function said(p: RowProblem): string[] {
  return p.problems?.length ? p.problems.map(rowProblemText) : p.messages;
}

/** Only the rows with problems, first: what the administrator must fix. */
export function badRows(rows: PreviewRow[]): PreviewRow[] {
  return rows.filter((r) => r.messages.length > 0);
}
