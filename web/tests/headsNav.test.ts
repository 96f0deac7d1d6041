// The heads' and BKPSDM's menu entries: the unit's day, reviews and leave for heads and whoever
// acts for one today; devices and corrections for admins (the API's rule today); the TPP
// screens for hr. Staff see none of them.
import { describe, expect, it } from 'vitest';
import type { Me } from '../src/api/client';
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
  it('heads, and a Plt./Plh. today, see the unit day, reviews and leave', () => {
    expect(mine(me(['head']))).toEqual(['/unit', '/tinjauan', '/cuti-masuk']);
    expect(mine(me(['staff'], 1))).toEqual(['/unit', '/tinjauan', '/cuti-masuk']);
  });
  it('admins see devices and corrections; hr the unit day, reviews and TPP', () => {
    expect(mine(me(['admin', 'staff']))).toEqual(['/perangkat', '/koreksi']);
    expect(mine(me(['hr', 'staff']))).toEqual(['/unit', '/tinjauan', '/tpp/laporan', '/tpp/aturan', '/tpp/hukuman']);
  });
});
