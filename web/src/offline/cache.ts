// What the app read, kept in IndexedDB so it can be shown offline with its age: the inbox, each
// letter opened (metadata, history, disposition tree) and its PDF bytes. Keys start with the
// signed-in user's name, so two officials sharing a tablet never see each other's copies.

import { createStore, del, delMany, get, keys, set, update, type UseStore } from 'idb-keyval';

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

/** How many letters' PDFs stay on the device: the most recently opened ones. */
export const KEPT_PDFS = 30;

/**
 * A PDF (kept under `key`, which starts with `${user}:pdf:`) was opened now: remember when, and
 * evict the PDFs of the letters opened longest ago beyond the `max` most recent.
 */
export async function openedPdf(
  user: string,
  key: string,
  now: number = Date.now(),
  max: number = KEPT_PDFS,
): Promise<void> {
  let evicted: string[] = [];
  await update<Record<string, number>>(
    `${user}:pdfs-opened`,
    (old) => {
      const opened = { ...(old ?? {}), [key]: now };
      const newestFirst = Object.keys(opened).sort((a, b) => opened[b]! - opened[a]!);
      evicted = newestFirst.slice(max);
      for (const k of evicted) delete opened[k];
      return opened;
    },
    db(),
  );
  if (evicted.length > 0) await delMany(evicted, db());
}
