// The phone's position, watched at high accuracy while the screen is open: the first fix is
// often a coarse one (cell towers, ±500 m), then GPS narrows it; the screen shows each one, so
// the employee sees the accuracy improve and sends when it is good enough.

import { useEffect, useState } from 'preact/hooks';
import type { Fix } from '../../lib/attendance';

export type PositionState =
  | { kind: 'unsupported' }
  | { kind: 'locating' }
  | { kind: 'denied' }
  | { kind: 'error'; fix?: Fix }
  | { kind: 'fix'; fix: Fix; best: number };

export function usePosition(): PositionState {
  const [state, setState] = useState<PositionState>(() =>
    typeof navigator !== 'undefined' && 'geolocation' in navigator ? { kind: 'locating' } : { kind: 'unsupported' },
  );
  useEffect(() => {
    if (!('geolocation' in navigator)) return;
    const id = navigator.geolocation.watchPosition(
      (p) => {
        const fix: Fix = {
          latitude: p.coords.latitude,
          longitude: p.coords.longitude,
          accuracy_m: Math.max(p.coords.accuracy, 0.1),
          at: p.timestamp || Date.now(),
        };
        setState((old) => ({ kind: 'fix', fix, best: Math.min(fix.accuracy_m, old.kind === 'fix' ? old.best : Infinity) }));
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) setState({ kind: 'denied' });
        // A timeout after a fix keeps the fix (the watch goes on); without one, say so.
        else setState((old) => (old.kind === 'fix' ? old : { kind: 'error' }));
      },
      { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, []);
  return state;
}
