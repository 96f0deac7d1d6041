// A unit's day counted as a head reads it, and the units a head may pick: his own (when he
// heads it), those he acts for, and all below; hr every unit.
import { describe, expect, it } from 'vitest';
import type { Me, Unit } from '../src/api/client';
import { countDay, groupsOf, visibleUnits, type StaffDay } from '../src/lib/unitDay';

const day = (nip: string, status: StaffDay['status'], extra: Partial<StaffDay> = {}): StaffDay => ({
  day: '2026-12-07',
  nip,
  name: `Pegawai ${nip}`,
  unit_id: 'u1',
  status,
  minutes_early: 0,
  minutes_late: 0,
  pending_checkins: 0,
  ...extra,
});

describe('unit day counts', () => {
  it('counts late people among those in, and the rest apart', () => {
    const days = [
      day('1', 'present'),
      day('2', 'present', { minutes_late: 12, late_band: 'TL1' }),
      day('3', 'absent'),
      day('4', 'leave', { leave_type: 'cuti_tahunan' }),
      day('5', 'not_yet'),
      day('6', 'pending_review'),
    ];
    expect(countDay(days)).toEqual({ in: 2, late: 1, absent: 1, leave: 1, other: 2 });
    expect(groupsOf(days[1]!)).toEqual(['in', 'late']);
    expect(countDay([])).toEqual({ in: 0, late: 0, absent: 0, leave: 0, other: 0 });
  });
});

const unit = (unit_id: string, parent_id: string | null, active = true): Unit =>
  ({ unit_id, parent_id, name: unit_id, code: unit_id, kind: 'section', active }) as Unit;
const units = [unit('pemkab', null), unit('dinas', 'pemkab'), unit('bidang', 'dinas'), unit('seksi', 'bidang'), unit('lama', 'dinas', false), unit('lain', 'pemkab')];
const me = (roles: Me['roles'], unitId: string, acting: string[] = []): Me =>
  ({
    roles,
    unit: { unit_id: unitId },
    employee: { nip: '1' },
    acting: acting.map((unit_id) => ({ unit_id })),
  }) as unknown as Me;

describe('units a head may look at', () => {
  it('a head: his unit and all below, inactive ones left out', () => {
    expect(visibleUnits(me(['head'], 'dinas'), units).map((u) => u.unit_id)).toEqual(['dinas', 'bidang', 'seksi']);
  });
  it('a staff member acting for a section: that section and below only', () => {
    expect(visibleUnits(me(['staff'], 'lain', ['bidang']), units).map((u) => u.unit_id)).toEqual(['bidang', 'seksi']);
  });
  it('staff without acting: none; hr: every active unit', () => {
    expect(visibleUnits(me(['staff'], 'dinas'), units)).toEqual([]);
    expect(visibleUnits(me(['hr', 'staff'], 'lain'), units)).toHaveLength(5);
  });
});
