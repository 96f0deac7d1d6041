import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client';
import type { RuntimeConfig } from '../config';

export interface PublicState {
  config: RuntimeConfig;
  /** A client without a token, for the public routes (verification). */
  api: Api;
}

export const PublicContext = createContext<PublicState | null>(null);

export function usePublic(): PublicState {
  const state = useContext(PublicContext);
  if (!state) throw new Error('usePublic outside <PublicApp>');
  return state;
}
