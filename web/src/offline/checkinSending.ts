// Sending the check-ins kept offline wherever the staff member is in the app, not only while
// Presensi is open: the network comes back while he reads his month or a letter, and the
// check-in must reach the server then. App.tsx loads this module after the first page and starts
// it once per signed-in user; Presensi shows the same outbox and its "Kirim sekarang" flushes.

import type { Api } from '../api/client';
import { batchSender } from '../lib/attendance';
import { CLOCK_SESSION } from '../lib/clock';
import { checkInOutbox } from './checkinOutbox';
import type { OutboxState } from './checkins';

/** While something waits, try again this often. */
export const RETRY_MS = 15_000;

export interface CheckInSending {
  /** Send now (the API answered again, or the user asked). */
  flush: () => void;
  stop: () => void;
}

/** Send the user's waiting check-ins (nothing while the browser says offline). */
export function flushCheckIns(api: Api, user: string): Promise<unknown> {
  if (!navigator.onLine) return Promise.resolve();
  return checkInOutbox.flush(user, batchSender(api, () => CLOCK_SESSION));
}

/** Send what waits now, when the browser is online again, and every RETRY_MS while any of the
 * user's check-ins waits. */
export function startSending(api: Api, user: string): CheckInSending {
  let stopped = false;
  const flush = () => {
    if (!stopped) void flushCheckIns(api, user);
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = (state: OutboxState) => {
    const waiting = !stopped && state.pending.some((p) => p.user === user);
    if (waiting && timer === undefined) timer = setInterval(flush, RETRY_MS);
    if (!waiting && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  window.addEventListener('online', flush);
  const unsubscribe = checkInOutbox.subscribe(watch);
  void checkInOutbox.state().then((state) => {
    watch(state);
    if (state.pending.some((p) => p.user === user)) flush();
  });
  return {
    flush,
    stop: () => {
      stopped = true;
      window.removeEventListener('online', flush);
      unsubscribe();
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
