// Comparing two TPP rule set versions: what changed is marked, what is only spelled differently
// is not, a moved band limit marks the band after it too, a band added shows against nothing.
import { describe, expect, it } from 'vitest';
import { asDraft, compareRuleSets, percent, samePercent, type RuleSet } from '../src/lib/ruleSetDiff';
import { ruleLabels } from '../src/screens/hr/ruleWords';

// Version 1 as README "Rule sets and penalties" describes the default.
const v1: RuleSet = {
  version: 1,
  name: 'Perbup default',
  legal_basis: null,
  effective_from: '2024-01-01',
  late_bands: [
    { up_to_minutes: 30, percent: '0.50' },
    { up_to_minutes: 60, percent: '1.00' },
    { up_to_minutes: 90, percent: '1.25' },
    { up_to_minutes: null, percent: '2.50' },
  ],
  early_bands: [
    { up_to_minutes: 30, percent: '0.50' },
    { up_to_minutes: 60, percent: '1.00' },
    { up_to_minutes: 90, percent: '1.25' },
    { up_to_minutes: null, percent: '2.50' },
  ],
  missing_check_in_band: 4,
  missing_check_out_band: 4,
  absent_percent: '3.00',
  leave_percent: { izin: '1.00', cuti_tahunan: '0.00', dinas_luar: '0.00' },
  max_day_percent: null,
  discipline_cap_percent: '40.00',
  zero_without_presence: true,
  cltn: 'pro_rata',
  rounding: 'half_up',
  published_at: '2026-01-01T00:00:00Z',
  published_by: 'system',
};

function changedKeys(a: RuleSet, b: RuleSet): string[] {
  return compareRuleSets(a, b, ruleLabels)
    .filter((row) => row.changed)
    .map((row) => row.key);
}

describe('rule set comparison', () => {
  it('marks nothing for the same version, nor for the same numbers spelled otherwise', () => {
    expect(changedKeys(v1, v1)).toEqual([]);
    const respelled: RuleSet = { ...v1, version: 2, absent_percent: '3', leave_percent: { ...v1.leave_percent, izin: '1.0' }, published_by: '1990' };
    expect(changedKeys(v1, respelled)).toEqual([]);
  });

  it('marks the values that changed, and only those', () => {
    const v2: RuleSet = {
      ...v1,
      version: 2,
      name: 'Perbup 12/2026',
      effective_from: '2027-01-01',
      absent_percent: '4.00',
      leave_percent: { ...v1.leave_percent, izin: '1.50' },
      rounding: 'down',
      max_day_percent: '5.00',
    };
    expect(changedKeys(v1, v2)).toEqual(['name', 'effective_from', 'absent', 'leave.izin', 'max_day', 'rounding']);
    const rows = compareRuleSets(v1, v2, ruleLabels);
    const absent = rows.find((row) => row.key === 'absent')!;
    expect([absent.label, absent.left, absent.right]).toEqual(['Tanpa keterangan (TK)', '3 %', '4 %']);
    expect(rows.find((row) => row.key === 'max_day')!.left).toBe('–');
    expect(rows.find((row) => row.key === 'rounding')!.right).toBe('Ke bawah');
    expect(rows.find((row) => row.key === 'leave.izin')!.label).toBe('Cuti/izin: Izin');
  });

  it('marks a band whose limit moved and the band that starts after it', () => {
    const moved: RuleSet = { ...v1, late_bands: v1.late_bands.map((b, i) => (i === 0 ? { ...b, up_to_minutes: 15 } : b)) };
    expect(changedKeys(v1, moved)).toEqual(['late.1', 'late.2']);
    const rows = compareRuleSets(v1, moved, ruleLabels);
    expect(rows.find((row) => row.key === 'late.2')!.right).toBe('16–60 menit: 1 %');
    expect(rows.find((row) => row.key === 'late.4')!.left).toBe('91 menit ke atas: 2,5 %');
  });

  it('shows a band or leave type one version lacks against nothing', () => {
    const more: RuleSet = {
      ...v1,
      early_bands: [...v1.early_bands.slice(0, 3), { up_to_minutes: 120, percent: '2.00' }, { up_to_minutes: null, percent: '3.00' }],
      leave_percent: { ...v1.leave_percent, cuti_sakit: '0.00' },
    };
    const rows = compareRuleSets(v1, more, ruleLabels);
    expect(changedKeys(v1, more)).toEqual(['early.4', 'early.5', 'leave.cuti_sakit']);
    expect(rows.find((row) => row.key === 'early.5')!.left).toBe('–');
    expect(rows.find((row) => row.key === 'leave.cuti_sakit')!.left).toBe('–');
  });

  it('drafts a new version without the server-set fields, not sharing the bands', () => {
    const draft = asDraft(v1);
    expect('version' in draft || 'published_at' in draft || 'published_by' in draft).toBe(false);
    draft.late_bands[0]!.percent = '9';
    expect(v1.late_bands[0]!.percent).toBe('0.50');
  });

  it('compares percentages as numbers', () => {
    expect(samePercent('1', '1.00')).toBe(true);
    expect(samePercent('1', '1.01')).toBe(false);
    expect(samePercent(null, null)).toBe(true);
    expect(samePercent(null, '0')).toBe(false);
    expect(percent('0.50')).toBe('0,5 %');
  });
});
