// What the UI offers, by the state of the assignment or letter and who looks at it.
import { describe, expect, it } from 'vitest';
import type { Assignment, Letter, Me } from '../src/api/client';
import { assignmentOffers, handlesUnit, isLeader, letterOffers } from '../src/lib/permissions';
import { navFor } from '../src/routes';

function me(over: Partial<Me> & { nip?: string; unit?: string; roles?: Me['roles'] } = {}): Me {
  const nip = over.nip ?? '1';
  const unit = over.unit ?? 'U1';
  return {
    employee: { nip, name: 'X', unit_id: unit, roles: over.roles ?? ['staff'] } as Me['employee'],
    unit: { unit_id: unit, name: 'Unit' } as Me['unit'],
    roles: over.roles ?? ['staff'],
    acting: over.acting ?? [],
    acting_for: over.acting_for ?? [],
  };
}

function assignment(over: Partial<Assignment> = {}): Assignment {
  return {
    assignment_id: 'A',
    letter_id: 'L',
    disposition_id: 'D',
    kind: 'assignment',
    status: 'sent',
    recipient_nip: '1',
    recipient_name: 'X',
    recipient_unit_id: 'U1',
    recipient_position_id: 'P1',
    sender_nip: '9',
    sender_position_id: 'P9',
    acted_by_nip: '9',
    instructions: [],
    created_at: '2026-12-01T00:00:00Z',
    letter: { letter_id: 'L', agenda_label: '1/2026', unit_id: 'U0', sifat: 'biasa', urgensi: 'biasa', subject: null, sender_agency: null },
    ...over,
  } as Assignment;
}

const acting = (position_id: string, capacity: 'plt' | 'plh' = 'plt') => ({
  acting_id: 'X',
  actor_nip: '1',
  position_id,
  unit_id: 'U5',
  capacity,
  starts_on: '2026-12-01',
  ends_on: '2026-12-31',
  decree_number: null,
  created_at: '2026-12-01T00:00:00Z',
});

describe('assignment offers', () => {
  it('the recipient may start, report, return and forward an unread one', () => {
    expect(assignmentOffers(assignment(), me())).toMatchObject({
      start: true, complete: true, returnIt: true, forward: true, cancel: false, capacity: 'self',
    });
  });
  it('in progress: no start', () => {
    expect(assignmentOffers(assignment({ status: 'in_progress' }), me())).toMatchObject({
      start: false, complete: true, returnIt: true, forward: true,
    });
  });
  it.each(['done', 'returned', 'cancelled'] as const)('%s: nothing', (status) => {
    expect(assignmentOffers(assignment({ status }), me())).toMatchObject({
      start: false, complete: false, returnIt: false, forward: false,
    });
  });
  it('a tembusan is only read', () => {
    expect(assignmentOffers(assignment({ kind: 'tembusan' }), me())).toMatchObject({
      start: false, complete: false, returnIt: false, forward: false,
    });
  });
  it('someone else sees no action; the sender may withdraw it while unread', () => {
    const other = me({ nip: '9' });
    expect(assignmentOffers(assignment(), other)).toMatchObject({ start: false, complete: false, cancel: true });
    expect(assignmentOffers(assignment({ status: 'read' }), other).cancel).toBe(false);
  });
  it('a Plt acts for the absent recipient, in his capacity', () => {
    const plt = me({ nip: '5', acting: [acting('P1', 'plh')] });
    expect(assignmentOffers(assignment(), plt)).toMatchObject({ start: true, forward: true, capacity: 'plh' });
  });
});

describe('letter offers', () => {
  const letter = (over: Partial<Letter> = {}) =>
    ({ letter_id: 'L', unit_id: 'U1', status: 'registered', files: [{}], ...over }) as Letter;
  it('the unit head disposes a registered letter', () => {
    expect(letterOffers(letter(), me({ roles: ['head'] })).dispose).toBe(true);
    expect(letterOffers(letter(), me({ roles: ['bupati'] })).dispose).toBe(true);
  });
  it('not before it is registered, not from another unit, not as staff', () => {
    expect(letterOffers(letter({ status: 'awaiting_file' }), me({ roles: ['head'] })).dispose).toBe(false);
    expect(letterOffers(letter({ unit_id: 'U2' }), me({ roles: ['head'] })).dispose).toBe(false);
    expect(letterOffers(letter(), me({ roles: ['staff'] })).dispose).toBe(false);
  });
  it("a Plt handles the absent head's unit", () => {
    expect(handlesUnit(me({ acting: [acting('P1')] }), 'U5')).toBe(true);
  });
  it('the file is offered when there is one', () => {
    expect(letterOffers(letter({ files: [] }), me()).file).toBe(false);
  });
});

describe('navigation', () => {
  it('staff see the inbox and their assignments, leaders the overview and prepared ones', () => {
    const labels = (m: Me) => navFor(m).map((n) => n.path);
    // Every employee checks in from his phone and sees his month and his leave.
    const own = ['/presensi', '/presensi/bulan', '/cuti'];
    expect(labels(me())).toEqual(['/', '/tugas', '/surat-keluar', '/pemberitahuan', ...own]);
    expect(labels(me({ roles: ['bupati'] }))).toEqual(['/', '/disiapkan', '/tugas', '/ikhtisar', '/surat-keluar', '/pemberitahuan', ...own]);
    // A unit's records clerk (TU) and head keep its agenda of incoming letters.
    expect(labels(me({ roles: ['tu'] }))).toEqual(['/', '/tugas', '/agenda', '/surat-keluar', '/pemberitahuan', ...own]);
    expect(labels(me({ acting: [acting('P1')] }))).toContain('/ikhtisar');
    expect(isLeader(me({ roles: ['head'] }))).toBe(true);
    expect(isLeader(me())).toBe(false);
  });
});
