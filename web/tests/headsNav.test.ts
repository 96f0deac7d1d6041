// The heads' and BKPSDM's menu entries: the unit's day, reviews and leave for heads and whoever
// acts for one today, with devices and corrections (ADR 0028), which admins see too; the TPP
// screens for hr. Staff see none of them.
import { describe, expect, it } from 'vitest';
import type { Me } from '../src/api/client';
import { mayCorrect } from '../src/lib/permissions';
import { navFor } from '../src/routes';

const MINE = ['/unit', '/tinjauan', '/cuti-masuk', '/perangkat', '/koreksi', '/tpp/laporan', '/tpp/aturan', '/tpp/hukuman'];
const me = (roles: Me['roles'], acting = 0): Me =>
  ({
    roles,
    unit: { unit_id: 'U1' },
    employee: { nip: '1' },
    acting: Array.from({ length: acting }, (_, i) => ({ unit_id: `A${i}`, position_id: `P${i}` })),
  }) as unknown as Me;
const mine = (m: Me) => navFor(m).map((n) => n.path).filter((p) => MINE.includes(p));

describe("heads' and BKPSDM's menu", () => {
  it('staff and clerks see none', () => {
    expect(mine(me(['staff']))).toEqual([]);
    expect(mine(me(['tu']))).toEqual([]);
  });
  it('heads, and a Plt./Plh. today, see the unit day, reviews, leave, devices and corrections', () => {
    const all = ['/unit', '/tinjauan', '/cuti-masuk', '/perangkat', '/koreksi'];
    expect(mine(me(['head']))).toEqual(all);
    expect(mine(me(['staff'], 1))).toEqual(all);
  });
  it('admins see devices and corrections; hr the unit day, reviews and TPP', () => {
    expect(mine(me(['admin', 'staff']))).toEqual(['/perangkat', '/koreksi']);
    expect(mine(me(['hr', 'staff']))).toEqual(['/unit', '/tinjauan', '/tpp/laporan', '/tpp/aturan', '/tpp/hukuman']);
  });
  it('offers the correction of a day to heads, a Plt./Plh. and admins, never of their own day nor to hr', () => {
    expect(mayCorrect(me(['head']), '2')).toBe(true);
    expect(mayCorrect(me(['staff'], 1), '2')).toBe(true);
    expect(mayCorrect(me(['admin', 'staff']), '2')).toBe(true);
    expect(mayCorrect(me(['head']), '1')).toBe(false);
    expect(mayCorrect(me(['hr', 'staff']), '2')).toBe(false);
    expect(mayCorrect(null, '2')).toBe(false);
  });
});
