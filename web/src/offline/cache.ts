// What the app read, kept in IndexedDB so it can be shown offline with its age: the inbox, each
// letter opened (metadata, history, disposition tree) and its PDF bytes. Keys start with the
// signed-in user's name, so two officials sharing a tablet never see each other's copies.

import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

export interface Kept<T> {
  value: T;
  savedAt: number;
}

let store: UseStore | null = null;
function db(): UseStore {
  store ??= createStore('eoffice-cache', 'kept');
  return store;
}

export async function keep<T>(key: string, value: T, now: number = Date.now()): Promise<void> {
  await set(key, { value, savedAt: now } satisfies Kept<T>, db());
}

export async function kept<T>(key: string): Promise<Kept<T> | undefined> {
  return (await get<Kept<T>>(key, db())) ?? undefined;
}

/** Drop everything kept for a user (at sign-out). */
export async function forget(prefix: string): Promise<void> {
  const all = await keys(db());
  await Promise.all(
    all.filter((k) => typeof k === 'string' && k.startsWith(prefix)).map((k) => del(k, db())),
  );
}
