// What an outgoing letter waits for and whether it is this user's turn: the API's rules
// (outgoing/policy.py turn_of, models.next_reviewer/next_signer) as the buttons shown; the API
// decides again on every request.

import type { Me, Schemas } from '../api/client';

export type Outgoing = Schemas['Outgoing'];

/** One reviewer's paraf (or return) of one version (outgoing/models.py ParafStep). */
export type ParafStep = Schemas['ParafStep'];

export function parafSteps(out: Outgoing): ParafStep[] {
  return out.reviews ?? [];
}

export function currentVersion(out: Outgoing): number | null {
  return out.versions?.at(-1)?.version ?? null;
}

export function nextReviewer(out: Outgoing): ParafStep | null {
  return parafSteps(out).find((r) => r.status !== 'approved') ?? null;
}

export function nextSigner(out: Outgoing): Schemas['SignerSlot'] | null {
  const signed = new Set((out.signatures ?? []).filter((s) => s.capacity !== 'seal').map((s) => s.order));
  return out.signers.find((s) => !signed.has(s.order)) ?? null;
}

/** The NIPs the user acts as today: himself, and the absent heads he is Plt./Plh. for. */
export function myNips(me: Me): Set<string> {
  const nips = new Set([me.employee.nip]);
  for (const a of me.acting_for ?? []) if (a.nip) nips.add(a.nip);
  return nips;
}

/** Whose turn it is: the author, the next reviewer, the next signer, or nobody. */
export function turnOf(out: Outgoing): string | null {
  if (out.status === 'draft' || out.status === 'returned') return out.author_nip;
  if (out.status === 'in_review') return nextReviewer(out)?.nip ?? null;
  if (out.status === 'ready_to_sign' || out.status === 'signing') return nextSigner(out)?.nip ?? null;
  return null;
}

export interface OutgoingOffers {
  upload: boolean;
  review: boolean;
  sign: boolean;
  download: boolean;
  /** For whom the user acts on this letter (his own NIP, or the absent head's). */
  as: string | null;
}

export function outgoingOffers(out: Outgoing, me: Me): OutgoingOffers {
  const mine = myNips(me);
  const turn = turnOf(out);
  const myTurn = turn !== null && mine.has(turn);
  const isAuthor = out.author_nip === me.employee.nip;
  const draftish = out.status === 'draft' || out.status === 'returned' || out.status === 'in_review';
  return {
    upload: isAuthor && draftish,
    review: myTurn && out.status === 'in_review' && currentVersion(out) !== null,
    sign: myTurn && (out.status === 'ready_to_sign' || out.status === 'signing') && !out.signing_claim?.outcome_unknown,
    download: out.status === 'signed' || out.status === 'revoked',
    as: myTurn ? turn : null,
  };
}
