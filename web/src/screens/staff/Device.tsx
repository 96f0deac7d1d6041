// This phone as a check-in device: a WebAuthn platform credential created at first use
// ("Daftarkan HP ini"), approved by his head or an admin like any new phone, then an assertion with every
// check-in over the server's challenge for its client_id. A few challenges are fetched ahead
// while online, so a check-in made offline is signed too. A browser without a user-verifying
// platform authenticator cannot check in from the web: a made-up device id would be taken for a
// native phone's (bound at first use, its mock-location flag claimed), which is the titip absen
// the credential is there to stop. The screen says which browser to use instead.

import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ok } from '../../api/client';
import { useApp } from '../../app/context';
import { newClientId } from '../../lib/attendance';
import {
  assert,
  createCredential,
  platformAvailable,
  storedPool,
  type CreationOptionsJSON,
} from '../../lib/webauthn';
import { s } from '../../strings.staff';
import { ProblemNote } from '../../ui/bits';

const w = s.device;
/** Challenges kept ahead for offline check-ins (a day's in and out, and a retry). */
const AHEAD = 3;

type Registration = { credentialId: string; state: 'pending_approval' | 'approved' };

export interface Signed {
  /** The check-in's client_id: the one the challenge was issued for. */
  client_id: string;
  extra: Record<string, unknown>;
}

export interface DeviceState {
  support: 'checking' | 'webauthn' | 'none';
  registration: Registration | null;
  /** The device_id check-ins name; null while the phone holds no credential (or cannot). */
  id: string | null;
  busy: boolean;
  problem: unknown;
  register(): Promise<void>;
  /** Sign a check-in: online a fresh challenge for `clientId`; offline one kept ahead. */
  sign(clientId: string, offline: boolean): Promise<Signed>;
  /** After an answer: one the device was not refused for shows the phone is approved. */
  seen(approved: boolean, notApproved: boolean): void;
}

const regKey = (user: string) => `eoffice.webauthn:${user}`;

export function useDevice(): DeviceState {
  const { api, user, online } = useApp();
  const [support, setSupport] = useState<DeviceState['support']>('checking');
  const [registration, setRegistration] = useState<Registration | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(regKey(user)) ?? 'null') as Registration | null;
    } catch {
      return null;
    }
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const pool = useMemo(() => storedPool(user), [user]);
  useEffect(() => void platformAvailable().then((yes) => setSupport(yes ? 'webauthn' : 'none')), []);
  const keep = useCallback(
    (r: Registration | null) => {
      if (r) localStorage.setItem(regKey(user), JSON.stringify(r));
      else localStorage.removeItem(regKey(user));
      setRegistration(r);
    },
    [user],
  );

  // Challenges ahead, while online and registered.
  useEffect(() => {
    if (!online || !registration) return;
    const missing = pool.missing(AHEAD);
    if (missing === 0) return;
    const client_ids = Array.from({ length: missing }, newClientId);
    void ok(api.POST('/attendance/check-ins/challenges', { body: { client_ids } }))
      .then((fresh) => pool.add(fresh))
      .catch(() => undefined);
  }, [online, registration, pool, api]);

  const register = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const options = await ok(api.POST('/attendance/devices/webauthn/options'));
      const created = await createCredential(options.options as unknown as CreationOptionsJSON);
      const answer = await ok(
        api.POST('/attendance/devices/webauthn', {
          body: {
            credential_id: created.rawId,
            client_data_json: created.response.clientDataJSON,
            attestation_object: created.response.attestationObject,
            transports: created.response.transports ?? [],
          },
        }),
      );
      keep({ credentialId: answer.credential_id, state: answer.state });
    } catch (error) {
      setProblem(error instanceof DOMException ? new Error(error.name === 'NotAllowedError' ? w.cancelled : w.failed) : error);
    } finally {
      setBusy(false);
    }
  };

  const sign = async (clientId: string, offline: boolean): Promise<Signed> => {
    if (support !== 'webauthn' || !registration) return { client_id: clientId, extra: {} };
    let challenge: { client_id: string; challenge: string } | null = null;
    if (!offline) {
      try {
        const [fresh] = await ok(api.POST('/attendance/check-ins/challenges', { body: { client_ids: [clientId] } }));
        challenge = fresh ?? null;
      } catch {
        challenge = null; // unreachable: one kept ahead, as offline
      }
    }
    challenge ??= pool.take();
    if (!challenge) return { client_id: clientId, extra: {} };
    const signed = await assert(challenge.challenge, registration.credentialId);
    return {
      client_id: challenge.client_id,
      extra: {
        webauthn: {
          credential_id: signed.rawId,
          authenticator_data: signed.response.authenticatorData,
          client_data_json: signed.response.clientDataJSON,
          signature: signed.response.signature,
          user_handle: signed.response.userHandle ?? null,
        },
      },
    };
  };

  const seen = (approved: boolean, notApproved: boolean) => {
    if (!registration) return;
    if (approved && registration.state !== 'approved') keep({ ...registration, state: 'approved' });
    if (notApproved && registration.state === 'approved') keep({ ...registration, state: 'pending_approval' });
  };

  const id = support === 'webauthn' ? (registration?.credentialId ?? null) : null;
  return { support, registration, id, busy, problem, register, sign, seen };
}

export function DevicePanel({ device }: { device: DeviceState }) {
  if (device.support === 'checking') return null;
  if (device.support === 'none')
    return (
      <p class="warning" data-testid="device">
        {w.unsupported}
      </p>
    );
  const r = device.registration;
  return (
    <section class="card" aria-labelledby="device-title" data-testid="device" data-state={r?.state ?? 'none'}>
      <h2 id="device-title">{w.title}</h2>
      {!r && (
        <>
          <p>{w.registerLead}</p>
          <button type="button" class="button primary" disabled={device.busy} onClick={() => void device.register()}>
            {device.busy ? w.registering : w.register}
          </button>
        </>
      )}
      {r?.state === 'pending_approval' && <p class="warning">{w.waiting}</p>}
      {r?.state === 'approved' && <p class="notice">{w.approved}</p>}
      <ProblemNote error={device.problem} />
    </section>
  );
}
