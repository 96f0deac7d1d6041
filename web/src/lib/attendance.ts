// The check-in's calls: the selfie through its presigned form, then the check-in online, or the
// batch for what was kept offline. A failure to reach the server (not a refusal) leaves the
// check-in on the phone with its time and monotonic clock (offline/checkins.ts).

import { ApiError, NetworkError, ok, type Api, type Schemas } from '../api/client';
import { sendUpload, UploadError, type Upload } from './presigned';
import type { Batch, BatchOutcome, PendingCheckIn } from '../offline/checkins';
import { elapsedMs } from './clock';

export type CheckInResult = Schemas['CheckInResult'];
export type CheckKind = Schemas['CheckKind'];

/** A fix as the Geolocation API gave it. */
export interface Fix {
  latitude: number;
  longitude: number;
  accuracy_m: number;
  /** When the browser measured it (ms). */
  at: number;
}

/** A check-in as it is made on the phone, before it is sent or kept. */
export interface Made {
  kind: CheckKind;
  fix: Fix;
  client_id: string;
  /** The phone's clock and the page's monotonic clock when the button was pressed. */
  phone_time: string;
  elapsed_ms: number;
  selfie: Blob | null;
}

/** A client id: random, URL-safe, 32 characters (the API allows 8-64 of [A-Za-z0-9_-]). */
export function newClientId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

export function made(kind: CheckKind, fix: Fix, selfie: Blob | null, now: Date = new Date()): Made {
  return { kind, fix, selfie, client_id: newClientId(), phone_time: now.toISOString(), elapsed_ms: elapsedMs() };
}

/** Thrown when the server could not be reached: the caller keeps the check-in offline. */
export class Unreachable extends Error {}

function unreachable(error: unknown): never {
  if (error instanceof NetworkError) throw new Unreachable(error.message);
  if (error instanceof UploadError && error.code === 'network') throw new Unreachable(error.message);
  if (error instanceof ApiError && (error.status >= 500 || error.status === 408 || error.status === 429))
    throw new Unreachable(error.detail);
  throw error;
}

/** Upload the selfie through the existing form; its id for the check-in. */
export async function uploadSelfie(api: Api, selfie: Blob): Promise<string> {
  try {
    const form = await ok(api.POST('/attendance/selfies'));
    await sendUpload(form as unknown as Upload, selfie);
    return form.selfie_id;
  } catch (error) {
    unreachable(error);
  }
}

/** Online: upload, then check in; the server's clock decides the time. */
export async function checkInOnline(api: Api, deviceId: string, m: Made, extra: Record<string, unknown> = {}): Promise<CheckInResult> {
  const selfie_id = m.selfie ? await uploadSelfie(api, m.selfie) : null;
  try {
    return await ok(
      api.POST('/attendance/check-ins', {
        body: {
          kind: m.kind,
          latitude: m.fix.latitude,
          longitude: m.fix.longitude,
          accuracy_m: m.fix.accuracy_m,
          phone_time: m.phone_time,
          // Unknown in a browser: a regency setting decides how web check-ins are judged.
          mock_location: false,
          client_id: m.client_id,
          device_id: deviceId,
          selfie_id,
          ...extra,
        } as never,
      }),
    );
  } catch (error) {
    unreachable(error);
  }
}

/** What the outbox keeps of a check-in made offline. */
export function pending(user: string, deviceId: string, clockSession: string, m: Made, extra: Record<string, unknown> = {}): PendingCheckIn {
  return {
    user,
    deviceId,
    clockSession,
    queuedAt: Date.now(),
    selfie: m.selfie ?? undefined,
    item: {
      kind: m.kind,
      latitude: m.fix.latitude,
      longitude: m.fix.longitude,
      accuracy_m: m.fix.accuracy_m,
      phone_time: m.phone_time,
      mock_location: false,
      client_id: m.client_id,
      elapsed_ms: m.elapsed_ms,
      clock_session: clockSession,
      selfie_id: null,
      ...extra,
    } as PendingCheckIn['item'],
  };
}

/** The outbox's sender: selfies first (their forms live two minutes, so they are asked for
 * now, not when the check-in was made), then one batch. */
export function batchSender(api: Api, clockSession: () => string): (batch: Batch) => Promise<BatchOutcome> {
  return async (batch) => {
    try {
      const items = [];
      for (const entry of batch.entries) {
        let selfie_id = entry.item.selfie_id ?? null;
        if (!selfie_id && entry.selfie) selfie_id = await uploadSelfie(api, entry.selfie);
        items.push({ ...entry.item, selfie_id });
      }
      const answer = await ok(
        api.POST('/attendance/check-ins/batch', {
          body: {
            device_id: batch.deviceId,
            sent_at: new Date().toISOString(),
            // The monotonic clock only means something within its own page load.
            sent_elapsed_ms: batch.clockSession === clockSession() ? elapsedMs() : null,
            clock_session: batch.clockSession === clockSession() ? batch.clockSession : null,
            items,
          } as never,
        }),
      );
      return { kind: 'answered', results: answer.results };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 401 && error.status !== 408 && error.status !== 429)
        return { kind: 'refused', status: error.status, code: error.code };
      return { kind: 'network', status: error instanceof ApiError ? error.status : undefined };
    }
  };
}
