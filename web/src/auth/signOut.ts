// Sign-out leaves nothing of the user on the device: his queued actions (bodies, notes,
// subjects), the capacity he chose (Plt./Plh.), the letters and PDFs kept for him, his push
// subscription (on a shared office PC the next person must not see his notices); the refresh
// token is revoked (Session.signOut) before the tokens are forgotten.

import type { Queue } from '../offline/queue';
import { forget } from '../offline/cache';

export function actingKey(user: string): string {
  return `eoffice.actingFor.${user}`;
}

export interface SignsOut {
  signOut(): Promise<void>;
}

export async function signOutAndForget(
  session: SignsOut,
  queue: Queue,
  user: string,
  stopPush: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  await stopPush().catch(() => undefined); // offline: the push service forgets it in time
  await queue.forgetUser(user);
  localStorage.removeItem(actingKey(user));
  await forget(`${user}:`);
  await session.signOut();
}
