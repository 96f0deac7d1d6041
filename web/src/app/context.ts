// What every screen needs, given once by <App>: the API client, the session, the signed-in
// employee (/me), in whose capacity he works now (Plt/Plh), the network state and the queue.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Me } from '../api/client';
import type { RuntimeConfig } from '../config';
import type { Session } from '../auth/session';
import type { Queue, QueuedAction } from '../offline/queue';
import type { ActingChoice } from './App';

export interface AppState {
  config: RuntimeConfig;
  session: Session;
  api: Api;
  /** The signed-in user's username (keys of what is kept offline). */
  user: string;
  me: Me | null;
  /** NIP of the absent head the user acts for (Plt./Plh.), sent as on_behalf_of; null: himself,
   * or a vacant post (see `acting`). */
  actingFor: string | null;
  /** The Plt./Plh. capacity chosen (an absent head's post or a vacant one), or null: himself. */
  acting: ActingChoice | null;
  /** The key of the choice (`ActingChoice.key`), for the header's select. */
  actingKey: string | null;
  setActingFor(key: string | null): void;
  online: boolean;
  queue: Queue;
  pending: QueuedAction[];
  /** Send what waits in the queue now. */
  flush(): Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <App>');
  return state;
}
