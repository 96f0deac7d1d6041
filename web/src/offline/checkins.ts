// Check-ins made without a network wait here (IndexedDB) and go through
// `POST /attendance/check-ins/batch` when it returns, at most 40 a batch, each once: every
// check-in carries the client_id fixed when it was made, and the server records a client_id
// once (a resend after a lost answer gets the first answer back, `duplicate`). An entry leaves
// the outbox only when the server answered for its client_id; its answer is kept a while so
// the screen can show what became of it ("diterima", "ditolak: di luar area kantor").
//
// The time of an offline check-in is the phone's clock; what makes it believable is the page's
// monotonic clock (`performance.now()`, see ./clock.ts) at the check-in and at the sending, in
// the same clock session. Anything else waits for review on the server (ADR 0012).

import { createStore, update, type UseStore } from 'idb-keyval';
import type { Schemas } from '../api/client';

export type QueuedCheckIn = Schemas['QueuedCheckIn'];
export type CheckInResult = Schemas['CheckInResult'];

export interface PendingCheckIn {
  /** Username: only his session sends it. */
  user: string;
  /** The device id the batch names (the WebAuthn credential's id, or the web device id). */
  deviceId: string;
  /** The clock session (page load) whose monotonic clock `item.elapsed_ms` is on. */
  clockSession: string;
  item: QueuedCheckIn;
  /** The compressed selfie, uploaded when the batch goes (its upload form lives minutes). */
  selfie?: Blob;
  queuedAt: number;
}

export interface Answered {
  user: string;
  result: CheckInResult;
  answeredAt: number;
}

/** What one batch sent returns: the server's answers, or why there are none now. */
export type BatchOutcome =
  | { kind: 'answered'; results: CheckInResult[] }
  | { kind: 'network'; status?: number }
  /** A refusal of the whole batch (422: a malformed item): kept, shown, not retried blindly. */
  | { kind: 'refused'; status: number; code: string };

export interface Batch {
  deviceId: string;
  entries: PendingCheckIn[];
  clockSession: string;
}

export type BatchSender = (batch: Batch) => Promise<BatchOutcome>;

export interface OutboxState {
  pending: PendingCheckIn[];
  answered: Answered[];
  refused?: { status: number; code: string };
}

/** Where the outbox is kept: one record, changed in one transaction each time. */
export interface OutboxStorage {
  update(fn: (state: OutboxState) => OutboxState): Promise<OutboxState>;
}

const EMPTY: OutboxState = { pending: [], answered: [] };

export function idbOutbox(): OutboxStorage {
  let store: UseStore | null = null;
  const db = () => (store ??= createStore('eoffice-checkins', 'outbox'));
  return {
    async update(fn) {
      let next: OutboxState = EMPTY;
      await update<OutboxState>(
        'outbox',
        (old) => {
          next = fn(old ?? EMPTY);
          return next;
        },
        db(),
      );
      return next;
    },
  };
}

export function memoryOutbox(initial: OutboxState = EMPTY): OutboxStorage {
  let state = structuredClone(initial);
  return {
    async update(fn) {
      state = structuredClone(fn(structuredClone(state)));
      return structuredClone(state);
    },
  };
}

/** Read without changing (IndexedDB: a plain get). */
export async function readOutbox(storage: OutboxStorage): Promise<OutboxState> {
  return storage.update((s) => s);
}

/** The batch route's limit (CheckInBatch.items maxItems). */
export const BATCH_MAX = 40;
/** Answers kept for the screen. */
export const ANSWERS_KEPT = 20;

export interface FlushReport {
  answered: CheckInResult[];
  offline: boolean;
  refused?: { status: number; code: string };
}

type Listener = (state: OutboxState) => void;

export class CheckInOutbox {
  private readonly storage: OutboxStorage;
  private listeners = new Set<Listener>();
  private running: Promise<FlushReport> | null = null;

  constructor(storage: OutboxStorage) {
    this.storage = storage;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): Promise<OutboxState> {
    return readOutbox(this.storage);
  }

  private async change(fn: (s: OutboxState) => OutboxState): Promise<OutboxState> {
    const next = await this.storage.update(fn);
    for (const l of this.listeners) l(next);
    return next;
  }

  /** Keep a check-in made offline; a second add of the same client_id keeps the first. */
  async add(entry: PendingCheckIn): Promise<void> {
    await this.change((s) =>
      s.pending.some((p) => p.item.client_id === entry.item.client_id) ? s : { ...s, pending: [...s.pending, entry] },
    );
  }

  /** Forget the user's entries and answers (sign-out). */
  async forgetUser(user: string): Promise<void> {
    await this.change((s) => ({
      pending: s.pending.filter((p) => p.user !== user),
      answered: s.answered.filter((a) => a.user !== user),
    }));
  }

  /** Send the user's waiting check-ins, one batch per device and clock session, at most one
   * flush at a time (and one per browser with Web Locks, where the browser has them). */
  flush(user: string, send: BatchSender, now: () => number = Date.now): Promise<FlushReport> {
    if (!this.running) {
      const run = () => this.sendAll(user, send, now);
      const locked =
        typeof navigator !== 'undefined' && navigator.locks
          ? (navigator.locks.request('eoffice-checkins', run) as unknown as Promise<FlushReport>)
          : run();
      this.running = locked.finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async sendAll(user: string, send: BatchSender, now: () => number): Promise<FlushReport> {
    const report: FlushReport = { answered: [], offline: false };
    for (;;) {
      const state = await this.state();
      const batch = nextBatch(state.pending.filter((p) => p.user === user));
      if (!batch) {
        if (state.refused) await this.change((s) => ({ ...s, refused: undefined }));
        return report;
      }
      let outcome: BatchOutcome;
      try {
        outcome = await send(batch);
      } catch {
        outcome = { kind: 'network' };
      }
      if (outcome.kind === 'network') {
        report.offline = true;
        return report;
      }
      if (outcome.kind === 'refused') {
        report.refused = { status: outcome.status, code: outcome.code };
        await this.change((s) => ({ ...s, refused: report.refused }));
        return report;
      }
      const sentIds = new Set(batch.entries.map((e) => e.item.client_id));
      const results = outcome.results.filter((r) => sentIds.has(r.client_id));
      const answeredIds = new Set(results.map((r) => r.client_id));
      const at = now();
      await this.change((s) => ({
        pending: s.pending.filter((p) => !answeredIds.has(p.item.client_id)),
        answered: [...results.map((result) => ({ user, result, answeredAt: at })), ...s.answered].slice(
          0,
          ANSWERS_KEPT,
        ),
      }));
      report.answered.push(...results);
      // An answer naming none of what was sent would loop for ever: stop.
      if (answeredIds.size === 0) {
        report.offline = true;
        return report;
      }
    }
  }
}

/** The oldest waiting check-ins of one device and clock session, at most BATCH_MAX. */
export function nextBatch(pending: PendingCheckIn[]): Batch | null {
  const first = pending[0];
  if (!first) return null;
  const same = pending.filter((p) => p.deviceId === first.deviceId && p.clockSession === first.clockSession);
  return {
    deviceId: first.deviceId,
    clockSession: first.clockSession,
    entries: same.slice(0, BATCH_MAX),
  };
}
