// Writes made while offline (or whose answer was lost) wait here, in IndexedDB, in the order
// they were made, each with an Idempotency-Key fixed when it was queued: a resend after a lost
// answer is recognised by the API and done once. They are sent in order when the browser says
// it is online again, at start, or on request. A refusal of the server (409/422/403/404: the
// letter changed meanwhile) stops the queue and stays visible with the server's message until
// the user dismisses it; nothing is dropped silently.

import { createStore, get, set, type UseStore } from 'idb-keyval';

/** `review`: a paraf or a return of an outgoing draft (letterId holds the outgoing_id). */
export type ActionKind = 'dispose' | 'approve' | 'start' | 'complete' | 'return' | 'review';

export interface QueuedAction {
  /** Local id of the entry. */
  id: string;
  /** Idempotency-Key sent with every attempt. */
  key: string;
  kind: ActionKind;
  /** Username of who made it: only that user's session sends it. */
  user: string;
  /** What the user reads in the queue ("Disposisi: Undangan rapat…"). */
  label: string;
  letterId: string;
  /** Path parameters besides letter_id (assignment_id, prepared_id). */
  params: Record<string, string>;
  body: unknown;
  queuedAt: number;
  attempts: number;
  state: 'waiting' | 'refused';
  problem?: { status: number; code: string; detail: string };
}

export type Outcome =
  | { kind: 'sent'; data: unknown }
  | { kind: 'network' }
  | { kind: 'refused'; status: number; code: string; detail: string };

export type Sender = (action: QueuedAction) => Promise<Outcome>;

/** Where the queue is kept: IndexedDB in the app, memory in unit tests. */
export interface QueueStorage {
  load(): Promise<QueuedAction[]>;
  save(actions: QueuedAction[]): Promise<void>;
}

export function idbStorage(): QueueStorage {
  let store: UseStore | null = null;
  const db = () => (store ??= createStore('eoffice-queue', 'actions'));
  return {
    async load() {
      return (await get<QueuedAction[]>('queue', db())) ?? [];
    },
    async save(actions) {
      await set('queue', actions, db());
    },
  };
}

export function memoryStorage(initial: QueuedAction[] = []): QueueStorage {
  let actions = structuredClone(initial);
  return {
    async load() {
      return structuredClone(actions);
    },
    async save(next) {
      actions = structuredClone(next);
    },
  };
}

export interface FlushResult {
  sent: { action: QueuedAction; data: unknown }[];
  /** Set when the network failed: the rest waits for the next flush. */
  offline: boolean;
  /** Set when the server refused an action: the queue stops there. */
  refused?: QueuedAction;
}

type Listener = (actions: QueuedAction[]) => void;

export class Queue {
  private readonly storage: QueueStorage;
  private readonly newId: () => string;
  private listeners = new Set<Listener>();
  private running: Promise<FlushResult> | null = null;

  constructor(storage: QueueStorage, newId: () => string = () => crypto.randomUUID()) {
    this.storage = storage;
    this.newId = newId;
  }

  list(): Promise<QueuedAction[]> {
    return this.storage.load();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async changed(actions: QueuedAction[]): Promise<void> {
    await this.storage.save(actions);
    for (const listener of this.listeners) listener(actions);
  }

  /** Queue an action; its idempotency key is fixed now, for every later attempt. */
  async add(
    action: Omit<QueuedAction, 'id' | 'key' | 'queuedAt' | 'attempts' | 'state'>,
    now: number = Date.now(),
  ): Promise<QueuedAction> {
    const entry: QueuedAction = {
      ...action,
      id: this.newId(),
      key: this.newId(),
      queuedAt: now,
      attempts: 0,
      state: 'waiting',
    };
    const actions = await this.storage.load();
    actions.push(entry);
    await this.changed(actions);
    return entry;
  }

  /** Remove an action (the user dismissed a refusal); the rest can go on. */
  async dismiss(id: string): Promise<void> {
    const actions = (await this.storage.load()).filter((a) => a.id !== id);
    await this.changed(actions);
  }

  /**
   * Send the user's waiting actions in order, one at a time; at most one flush runs at once
   * (and, with Web Locks, one per browser), so no action is sent by two flushes.
   */
  flush(user: string, send: Sender): Promise<FlushResult> {
    if (!this.running) {
      const run = () => this.sendAll(user, send);
      const locked: Promise<FlushResult> =
        typeof navigator !== 'undefined' && navigator.locks
          ? (navigator.locks.request('eoffice-queue', run) as unknown as Promise<FlushResult>)
          : run();
      this.running = locked.finally(() => {
        this.running = null;
      });
    }
    return this.running!;
  }

  private async sendAll(user: string, send: Sender): Promise<FlushResult> {
    const result: FlushResult = { sent: [], offline: false };
    for (;;) {
      const actions = await this.storage.load();
      const mine = actions.filter((a) => a.user === user);
      const blocked = mine.find((a) => a.state === 'refused');
      if (blocked) {
        result.refused = blocked;
        return result;
      }
      const next = mine[0];
      if (!next) return result;
      next.attempts += 1;
      await this.changed(actions);
      let outcome: Outcome;
      try {
        outcome = await send(next);
      } catch {
        outcome = { kind: 'network' };
      }
      const now = await this.storage.load();
      const index = now.findIndex((a) => a.id === next.id);
      if (outcome.kind === 'network') {
        result.offline = true;
        return result;
      }
      if (outcome.kind === 'sent') {
        if (index >= 0) now.splice(index, 1);
        await this.changed(now);
        result.sent.push({ action: next, data: outcome.data });
        continue;
      }
      const refused: QueuedAction = {
        ...next,
        state: 'refused',
        problem: { status: outcome.status, code: outcome.code, detail: outcome.detail },
      };
      if (index >= 0) now[index] = refused;
      await this.changed(now);
      result.refused = refused;
      return result;
    }
  }
}
