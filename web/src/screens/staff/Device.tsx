// This phone as a check-in device. Until the WebAuthn contract of the back end is merged, the
// device is the web device id of lib/device.ts and a check-in carries no assertion.

import { useMemo } from 'preact/hooks';
import { webDeviceId } from '../../lib/device';

export interface Signed {
  /** The check-in's client_id: the one the challenge was issued for. */
  client_id: string;
  extra: Record<string, unknown>;
}

export interface DeviceState {
  /** The device_id check-ins name; null while unknown. */
  id: string | null;
  sign(clientId: string, offline: boolean): Promise<Signed>;
  seen(accepted: boolean, notApproved: boolean): void;
}

export function useDevice(): DeviceState {
  return useMemo(
    () => ({ id: webDeviceId(), sign: async (client_id: string) => ({ client_id, extra: {} }), seen: () => undefined }),
    [],
  );
}

export function DevicePanel(_: { device: DeviceState }) {
  return null;
}
