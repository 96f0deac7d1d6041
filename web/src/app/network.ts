// Whether the API answers: the browser's navigator.onLine is not enough (a captive portal, a
// dead link in a plane's Wi-Fi, an emulated offline network all say "online"), so every call to
// the API reports whether it got an answer, and the header shows the last word.

type Listener = (reachable: boolean) => void;
const listeners = new Set<Listener>();
let reachable = true;

export function report(answered: boolean): void {
  if (answered === reachable) return;
  reachable = answered;
  for (const l of listeners) l(answered);
}

export function isReachable(): boolean {
  return reachable;
}

export function onReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
