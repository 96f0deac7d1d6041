// What the UI offers for a letter or an assignment, given its state and who looks at it: the
// API's rules (dispositions/policy.py, letters/access.py) as the buttons shown. The API decides
// again on every request; these only keep impossible buttons off the screen.

import type { Assignment, AssignmentStatus, Letter, Me, Role } from '../api/client';

const OPEN: AssignmentStatus[] = ['sent', 'read', 'in_progress'];
/** Roles that handle a unit's letters (letters/access.py HANDLERS). */
const HANDLERS = ['tu', 'head', 'bupati'] as const;

export type Capacity = 'self' | 'plt' | 'plh';

/** In what capacity the user acts as the assignment's recipient (null: he is not). */
export function recipientCapacity(a: Assignment, me: Me): Capacity | null {
  if (a.recipient_nip === me.employee.nip) return 'self';
  const acting = me.acting.find((x) => x.position_id === a.recipient_position_id);
  return acting ? acting.capacity : null;
}

/** In what capacity the user is the assignment's sender (null: he is not). */
export function senderCapacity(a: Assignment, me: Me): Capacity | null {
  if (a.sender_nip === me.employee.nip || a.acted_by_nip === me.employee.nip) return 'self';
  const acting = me.acting.find((x) => x.position_id === a.sender_position_id);
  return acting ? acting.capacity : null;
}

export interface AssignmentOffers {
  start: boolean;
  complete: boolean;
  returnIt: boolean;
  /** Dispose onward (forward this assignment). */
  forward: boolean;
  /** Withdraw it (the sender, while unread). */
  cancel: boolean;
  capacity: Capacity | null;
}

export function assignmentOffers(a: Assignment, me: Me): AssignmentOffers {
  const capacity = recipientCapacity(a, me);
  const status = a.status ?? 'sent';
  const actionable = capacity !== null && a.kind === 'assignment';
  const open = OPEN.includes(status);
  return {
    start: actionable && (status === 'sent' || status === 'read'),
    complete: actionable && open,
    returnIt: actionable && open,
    forward: actionable && open,
    cancel: senderCapacity(a, me) !== null && status === 'sent',
    capacity,
  };
}

/** The user handles the unit's letters: its clerk or head, or its Plt/Plh today. */
export function handlesUnit(me: Me, unitId: string): boolean {
  if (me.employee.unit_id === unitId && me.roles.some((r) => (HANDLERS as readonly string[]).includes(r)))
    return true;
  return me.acting.some((a) => a.unit_id === unitId);
}

export interface LetterOffers {
  /** Dispose the letter itself (its unit's head or clerk), not an assignment of it. */
  dispose: boolean;
  /** The letter's file can be shown. */
  file: boolean;
}

export function letterOffers(letter: Letter, me: Me): LetterOffers {
  return {
    dispose: letter.status === 'registered' && handlesUnit(me, letter.unit_id),
    file: (letter.files ?? []).length > 0,
  };
}

/** The user leads (sees the overview and the prepared dispositions). */
export function isLeader(me: Me): boolean {
  return me.roles.some((r) => r === 'bupati' || r === 'sekda' || r === 'head') || me.acting.length > 0;
}

/** Who approves an employee's phone and corrects his days: his heads, their Plt./Plh. and the
 * admins; not hr (ADR 0028, attendance/devices.py and corrections.py). The bupati, who heads the
 * regency, is not offered these screens (as not the unit's day: OVERSEERS), though the API
 * would let him. */
export const APPROVERS: Role[] = ['head', 'sekda', 'admin'];

/** Whether to offer ``me`` the correction of another's day (the API decides again: his heads,
 * this month and last, and admins). */
export function mayCorrect(me: Me | null, nip: string): boolean {
  if (!me || me.employee.nip === nip) return false;
  return me.acting.length > 0 || me.roles.some((role) => APPROVERS.includes(role));
}
