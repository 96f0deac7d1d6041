import { describe, expect, it } from 'vitest';
import { matchesEmployee } from '../src/screens/admin/Employees';
import { todayWita } from '../src/screens/admin/Acting';
import { treeOrder } from '../src/screens/admin/shared';

const unit = (unit_id: string, name: string, parent_id: string | null) => ({
  unit_id, name, parent_id, code: unit_id.toUpperCase(), kind: 'agency' as const, active: true, created_at: '', updated_at: '',
});

describe('admin screens’ logic', () => {
  it('searches by name (any case) or NIP typed with spaces', () => {
    const e = { name: 'Andi Baso', nip: '199001012020011001' };
    expect(matchesEmployee(e, 'baso')).toBe(true);
    expect(matchesEmployee(e, '19900101 2020')).toBe(true);
    expect(matchesEmployee(e, 'sitti')).toBe(false);
    expect(matchesEmployee(e, '  ')).toBe(true);
  });

  it('orders units parents first, children by name, with their depth', () => {
    const order = treeOrder([unit('b', 'Bidang B', 'k'), unit('k', 'Dinas Kominfo', 'r'), unit('r', 'Pemkab', null), unit('a', 'Bidang A', 'k')]);
    expect(order.map((o) => `${o.depth}:${o.unit.unit_id}`)).toEqual(['0:r', '1:k', '2:a', '2:b']);
  });

  it('today is the regency’s day (WITA), not the device’s UTC one', () => {
    expect(todayWita(new Date('2026-12-07T17:30:00Z'))).toBe('2026-12-08');
    expect(todayWita(new Date('2026-12-07T15:30:00Z'))).toBe('2026-12-07');
  });
});
