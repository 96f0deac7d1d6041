// This phone as a check-in device. Until the WebAuthn contract of the back end is merged, the
// device is the web device id of lib/device.ts and a check-in carries no assertion.

import { useMemo } from 'preact/hooks';
import { webDeviceId } from '../../lib/device';

export interface DeviceState {
  /** The device_id check-ins name; null while unknown. */
  id: string | null;
  /** What the check-in carries besides its fields (the WebAuthn assertion, once there). */
  assert(clientId: string, offline: boolean): Promise<Record<string, unknown>>;
}

export function useDevice(): DeviceState {
  return useMemo(() => ({ id: webDeviceId(), assert: async () => ({}) }), []);
}

export function DevicePanel(_: { device: DeviceState }) {
  return null;
}
