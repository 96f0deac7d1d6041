// The page's monotonic clock, for check-ins kept offline. A browser has no elapsedRealtime and
// no boot count: `performance.now()` runs from the page's load and is never set back, so a
// check-in's `elapsed_ms` and its batch's `sent_elapsed_ms` on the same page load tell the
// server how long ago the check-in was made, whatever the phone's wall clock says. The clock
// session (`clock_session`, the web's counterpart of BOOT_COUNT) names the page load: a reload starts a
// new clock, so check-ins of an earlier load do not match the batch's and wait for review, as
// they should (nothing then shows the wall clock was not set back meanwhile).
//
// A caveat the server's 60 s agreement absorbs only partly: on some phones the monotonic clock
// stops while the phone sleeps, so a check-in kept for hours in a sleeping phone may be sent to
// review. Honest, if not convenient.

/** A random id of this page load (`clock_session`: 8-64 of [A-Za-z0-9_-]). */
export const CLOCK_SESSION: string = crypto.randomUUID().replaceAll('-', '');

/** Milliseconds on the page's monotonic clock, whole. */
export function elapsedMs(): number {
  return Math.floor(performance.now());
}
