// Two versions of the TPP rule set side by side: every value a rule set has, as labelled rows
// (bands one row each, leave types one row each), with the rows whose values differ marked.
// Percentages are compared as numbers ("1.0" and "1.00" are the same rate), so a version that
// only spells a value differently shows no change. Pure, for the comparison screen and its test.

import type { Schemas } from '../api/client';

export type RuleSet = Schemas['RuleSet'];
type Band = Schemas['Band-Output'];

export interface RuleRow {
  /** A stable key ("late.2", "leave.izin"), for lists and tests. */
  key: string;
  /** What the row is, in Bahasa (from the labels given). */
  label: string;
  left: string;
  right: string;
  changed: boolean;
}

export interface RuleLabels {
  name: string;
  legalBasis: string;
  effectiveFrom: string;
  lateBand: (n: number) => string;
  earlyBand: (n: number) => string;
  missingIn: string;
  missingOut: string;
  absent: string;
  leave: (type: string) => string;
  maxDay: string;
  disciplineCap: string;
  zeroWithoutPresence: string;
  cltn: string;
  rounding: string;
  yes: string;
  no: string;
  none: string;
  /** "s.d. 30 menit: 0,5 %", the last band "lebih dari 90 menit: 2,5 %". */
  band: (band: Band | undefined, previousLimit: number | null | undefined) => string;
  value: (field: 'cltn' | 'rounding', value: string) => string;
}

/** The same number as a percentage, whatever its spelling ("1", "1.0", "1.00"). */
export function samePercent(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x === y : a === b;
}

/** "0.50" → "0,5 %". */
export function percent(value: string | null | undefined, none = '–'): string {
  if (value == null) return none;
  const n = Number(value);
  return Number.isFinite(n) ? `${n.toLocaleString('id-ID', { maximumFractionDigits: 2 })} %` : value;
}

function bandRows(kind: 'late' | 'early', a: Band[], b: Band[], words: RuleLabels): RuleRow[] {
  const rows: RuleRow[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i];
    const right = b[i];
    const same =
      left !== undefined &&
      right !== undefined &&
      left.up_to_minutes === right.up_to_minutes &&
      samePercent(left.percent, right.percent) &&
      // The band starts where the one before ends: a moved limit changes this band too.
      a[i - 1]?.up_to_minutes === b[i - 1]?.up_to_minutes;
    rows.push({
      key: `${kind}.${i + 1}`,
      label: kind === 'late' ? words.lateBand(i + 1) : words.earlyBand(i + 1),
      left: left ? words.band(left, a[i - 1]?.up_to_minutes) : words.none,
      right: right ? words.band(right, b[i - 1]?.up_to_minutes) : words.none,
      changed: !same,
    });
  }
  return rows;
}

/** Every value of two versions as rows, changed ones marked. */
export function compareRuleSets(a: RuleSet, b: RuleSet, words: RuleLabels): RuleRow[] {
  const text = (key: string, label: string, left: string, right: string, changed = left !== right): RuleRow => ({
    key,
    label,
    left,
    right,
    changed,
  });
  const pct = (key: string, label: string, l: string | null | undefined, r: string | null | undefined) =>
    text(key, label, percent(l, words.none), percent(r, words.none), !samePercent(l, r));
  const yes = (v: boolean) => (v ? words.yes : words.no);
  const leaveTypes = [...new Set([...Object.keys(a.leave_percent), ...Object.keys(b.leave_percent)])];
  return [
    text('name', words.name, a.name, b.name),
    text('legal_basis', words.legalBasis, a.legal_basis ?? words.none, b.legal_basis ?? words.none),
    text('effective_from', words.effectiveFrom, a.effective_from, b.effective_from),
    ...bandRows('late', a.late_bands, b.late_bands, words),
    ...bandRows('early', a.early_bands, b.early_bands, words),
    text('missing_in', words.missingIn, `TL${a.missing_check_in_band}`, `TL${b.missing_check_in_band}`),
    text('missing_out', words.missingOut, `PSW${a.missing_check_out_band}`, `PSW${b.missing_check_out_band}`),
    pct('absent', words.absent, a.absent_percent, b.absent_percent),
    ...leaveTypes.map((type) => pct(`leave.${type}`, words.leave(type), a.leave_percent[type], b.leave_percent[type])),
    pct('max_day', words.maxDay, a.max_day_percent, b.max_day_percent),
    pct('discipline_cap', words.disciplineCap, a.discipline_cap_percent, b.discipline_cap_percent),
    text('zero', words.zeroWithoutPresence, yes(a.zero_without_presence), yes(b.zero_without_presence)),
    text('cltn', words.cltn, words.value('cltn', a.cltn), words.value('cltn', b.cltn)),
    text('rounding', words.rounding, words.value('rounding', a.rounding), words.value('rounding', b.rounding)),
  ];
}

/** What is published from a version edited on screen: its values without the server's fields. */
export function asDraft(rule: RuleSet): Schemas['RuleSetCreate'] {
  const { version: _v, published_at: _at, published_by: _by, ...rest } = rule;
  return { ...rest, late_bands: rule.late_bands.map((b) => ({ ...b })), early_bands: rule.early_bands.map((b) => ({ ...b })), leave_percent: { ...rule.leave_percent } };
}
