// Writes made while offline (or whose answer was lost) wait here, in IndexedDB, in the order
// they were made, each with an Idempotency-Key fixed when it was queued: a resend after a lost
// answer is recognised by the API and done once. They are sent in order when the browser says
// it is online again, at start, or on request. A refusal of the server (409/422/403/404: the
// letter changed meanwhile) stops the queue and stays visible with the server's message until
// the user dismisses it; nothing is dropped silently.

import { createStore, get, set, update, type UseStore } from 'idb-keyval';

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
  /** Not sent now; tried again later. `status`: the API's answer when there was one (401, 5xx…). */
  | { kind: 'network'; status?: number; code?: string }
  | { kind: 'refused'; status: number; code: string; detail: string };

export type Sender = (action: QueuedAction) => Promise<Outcome>;

/** Where the queue is kept: IndexedDB in the app, memory in unit tests. */
export interface QueueStorage {
  load(): Promise<QueuedAction[]>;
  save(actions: QueuedAction[]): Promise<void>;
  /**
   * One read-modify-write in one transaction: `fn` gets the stored list and returns the new
   * one. Every change goes through this, so a change made meanwhile (an add while a flush
   * drains, a second tab) is never overwritten by an older copy of the list.
   */
  update(fn: (actions: QueuedAction[]) => QueuedAction[]): Promise<QueuedAction[]>;
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
    async update(fn) {
      let next: QueuedAction[] = [];
      await update<QueuedAction[]>(
        'queue',
        (old) => {
          next = fn(old ?? []);
          return next;
        },
        db(),
      );
      return next;
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
    async update(fn) {
      actions = structuredClone(fn(structuredClone(actions)));
      return structuredClone(actions);
    },
  };
}

export interface FlushResult {
  sent: { action: QueuedAction; data: unknown }[];
  /** Set when the network failed (or the API asked to try later): the rest waits. */
  offline: boolean;
  /** The API's answer that made it wait (401: the session must be renewed), if any. */
  waitStatus?: number;
  waitCode?: string;
  /** Set when the server refused an action: the queue stops there. */
  refused?: QueuedAction;
}

type Listener = (actions: QueuedAction[]) => void;
type FlushListener = (user: string, result: FlushResult) => void;

export class Queue {
  private readonly storage: QueueStorage;
  private readonly newId: () => string;
  private listeners = new Set<Listener>();
  private flushListeners = new Set<FlushListener>();
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

  /** Change the stored list in one transaction and tell the listeners the result. */
  private async change(fn: (actions: QueuedAction[]) => QueuedAction[]): Promise<QueuedAction[]> {
    const actions = await this.storage.update(fn);
    for (const listener of this.listeners) listener(actions);
    return actions;
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
    await this.change((actions) => [...actions, entry]);
    return entry;
  }

  /** Remove an action (the user dismissed a refusal); the rest can go on. */
  async dismiss(id: string): Promise<void> {
    await this.change((actions) => actions.filter((a) => a.id !== id));
  }

  /** Told after every flush (whoever started it: the app, an action, a retry). */
  onFlushed(listener: FlushListener): () => void {
    this.flushListeners.add(listener);
    return () => this.flushListeners.delete(listener);
  }

  /** Drop every action of a user (sign-out): bodies, notes and subjects leave the device. */
  async forgetUser(user: string): Promise<void> {
    await this.change((actions) => actions.filter((a) => a.user !== user));
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
      this.running = locked
        .finally(() => {
          this.running = null;
        })
        .then((result) => {
          for (const listener of this.flushListeners) listener(user, result);
          return result;
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
      const first = mine[0];
      if (!first) return result;
      // Count the attempt on the stored entry itself, in one transaction.
      let next: QueuedAction | undefined;
      await this.change((stored) =>
        stored.map((a) => {
          if (a.id !== first.id) return a;
          next = { ...a, attempts: a.attempts + 1 };
          return next;
        }),
      );
      if (!next) continue; // dismissed meanwhile
      let outcome: Outcome;
      try {
        outcome = await send(next);
      } catch {
        outcome = { kind: 'network' };
      }
      if (outcome.kind === 'network') {
        result.offline = true;
        result.waitStatus = outcome.status;
        result.waitCode = outcome.code;
        return result;
      }
      const sentId = next.id;
      if (outcome.kind === 'sent') {
        // Remove only the entry that was sent: whatever was queued meanwhile stays.
        await this.change((stored) => stored.filter((a) => a.id !== sentId));
        result.sent.push({ action: next, data: outcome.data });
        continue;
      }
      const refused: QueuedAction = {
        ...next,
        state: 'refused',
        problem: { status: outcome.status, code: outcome.code, detail: outcome.detail },
      };
      await this.change((stored) => stored.map((a) => (a.id === sentId ? refused : a)));
      result.refused = refused;
      return result;
    }
  }
}
