// A unit's day in the four counts a head asks first (who is in, late, absent, on leave), and
// which units a head may look at. Pure, for the screen and its test.

import type { Me, Schemas, Unit } from '../api/client';

export type StaffDay = Schemas['StaffDay'];
export type DayGroup = 'in' | 'late' | 'absent' | 'leave' | 'other';

/** Where one employee's day counts: late ones are in too (late is a kind of in). */
export function groupsOf(day: StaffDay): DayGroup[] {
  switch (day.status) {
    case 'present':
      return (day.minutes_late ?? 0) > 0 || day.late_band ? ['in', 'late'] : ['in'];
    case 'absent':
      return ['absent'];
    case 'leave':
      return ['leave'];
    default:
      return ['other'];
  }
}

export function countDay(days: StaffDay[]): Record<DayGroup, number> {
  const counts: Record<DayGroup, number> = { in: 0, late: 0, absent: 0, leave: 0, other: 0 };
  for (const day of days) for (const group of groupsOf(day)) counts[group] += 1;
  return counts;
}

/** The units whose day the user may see: those he heads or acts for, and every unit below.
 * The API decides again (access.py); this only fills the picker. hr: every unit. */
export function visibleUnits(me: Me, units: Unit[]): Unit[] {
  if (me.roles.includes('hr')) return units.filter((u) => u.active !== false);
  const roots = new Set<string>(me.acting.map((a) => a.unit_id));
  if (me.roles.includes('head') || me.roles.includes('sekda')) roots.add(me.unit.unit_id);
  const children = new Map<string, Unit[]>();
  for (const u of units) {
    if (!u.parent_id) continue;
    children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u]);
  }
  const seen = new Set<string>();
  const out: Unit[] = [];
  const walk = (unitId: string) => {
    if (seen.has(unitId)) return;
    seen.add(unitId);
    const unit = units.find((u) => u.unit_id === unitId);
    if (unit && unit.active !== false) out.push(unit);
    for (const child of children.get(unitId) ?? []) walk(child.unit_id);
  };
  for (const root of roots) walk(root);
  return out;
}

/** "07:42" in WITA from an instant. */
export function clock(value: string | null | undefined): string {
  if (!value) return '–';
  return new Intl.DateTimeFormat('id-ID', {
    timeZone: 'Asia/Makassar',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(value));
}
