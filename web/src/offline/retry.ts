// While anything waits, the queue is tried again on a back-off timer: 5 s, doubling to 5 min,
// back to 5 s once an action goes through. A wait the API asked for (408, 429, 5xx,
// idempotency_in_progress) leaves the API "reachable", so no online event would ever come;
// without this timer nothing would be sent until a restart or a tap on "Kirim sekarang".

import type { FlushResult, Queue } from './queue';

export const FIRST_RETRY_MS = 5_000;
export const LAST_RETRY_MS = 300_000;

/** The delay before the next attempt, after `failures` failed ones in a row. */
export function backoff(failures: number): number {
  return Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures));
}

export class Retrier {
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly retry: () => void;

  /** `retry` starts a flush; its result comes back through `after` (Queue.onFlushed). */
  constructor(retry: () => void) {
    this.retry = retry;
  }

  /** After a flush: another attempt later while something waits, none when the queue is done. */
  after(result: FlushResult): void {
    if (result.sent.length > 0) this.failures = 0;
    this.cancel();
    if (!result.offline) {
      // Sent everything, or stopped at a refusal the user must read: nothing to retry.
      this.failures = 0;
      return;
    }
    const delay = backoff(this.failures);
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retry();
    }, delay);
  }

  /** Whether another attempt is scheduled. */
  get scheduled(): boolean {
    return this.timer !== null;
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export interface Renews {
  /** A refresh_token grant; null when it cannot be renewed. */
  renew(): Promise<unknown>;
  /** Go to the sign-in page, coming back to `returnTo`. */
  signIn(returnTo: string): Promise<void>;
}

/**
 * Keep the user's queue going: after every flush, a back-off retry while something waits; a
 * 401 renews the session (refresh token) and tries at once, and when that fails (or did not
 * help a moment ago) the user is asked to sign in again; the queue stays on the device.
 * Returns the function that stops it.
 */
export function keepSending(
  queue: Queue,
  user: string,
  flush: () => void,
  session: Renews,
  now: () => number = Date.now,
): () => void {
  const retrier = new Retrier(flush);
  let renewedAt = -Infinity;
  const stop = queue.onFlushed((who, result) => {
    if (who !== user) return;
    if (result.offline && result.waitStatus === 401) {
      retrier.cancel();
      const again = now() - renewedAt < 60_000;
      void (again ? Promise.resolve(null) : session.renew()).then((renewed) => {
        if (renewed) {
          renewedAt = now();
          flush();
        } else void session.signIn(location.pathname + location.search);
      });
      return;
    }
    retrier.after(result);
  });
  return () => {
    stop();
    retrier.cancel();
  };
}
