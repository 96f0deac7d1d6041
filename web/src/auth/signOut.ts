// Sign-out leaves nothing of the user on the device: his queued actions (bodies, notes,
// subjects), the capacity he chose (Plt./Plh.), the letters and PDFs kept for him; the refresh
// token is revoked (Session.signOut) before the tokens are forgotten.

import type { Queue } from '../offline/queue';
import { forget } from '../offline/cache';

export function actingKey(user: string): string {
  return `eoffice.actingFor.${user}`;
}

export interface SignsOut {
  signOut(): Promise<void>;
}

export async function signOutAndForget(session: SignsOut, queue: Queue, user: string): Promise<void> {
  await queue.forgetUser(user);
  localStorage.removeItem(actingKey(user));
  await forget(`${user}:`);
  await session.signOut();
}
