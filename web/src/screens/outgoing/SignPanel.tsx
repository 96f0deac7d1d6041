// Sign an outgoing letter (POST /outgoing/{id}/sign). A signer whose key is kept here (KMS,
// PKCS#12) signs with an empty body. A signer whose key is at BSrE types his NIK and his
// passphrase or TOTP for this one request: they live only in this component's state, never in
// IndexedDB, localStorage, the offline queue, a log or the address, and are cleared as soon as
// the request has an answer (or none). Signing is never queued: it needs the passphrase now, so
// offline the button is off and the user is told why.
//
// The inputs sit in no <form> and have no name, so no password manager offers to keep them.

import { useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, ok } from '../../api/client';
import { useApp } from '../../app/context';
import type { Outgoing } from '../../lib/outgoing';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { errorWords } from '../../lib/problems';

export interface SignSecrets {
  nik: string;
  passphrase: string;
  totp: string;
}

/** The request body: empty for a key kept here; NIK and passphrase or TOTP for BSrE. */
export function signBody(bsre: boolean, secrets: SignSecrets): Record<string, string> {
  if (!bsre) return {};
  const body: Record<string, string> = { nik: secrets.nik.trim() };
  if (secrets.totp.trim()) body['totp'] = secrets.totp.trim();
  else body['passphrase'] = secrets.passphrase;
  return body;
}

const EMPTY: SignSecrets = { nik: '', passphrase: '', totp: '' };

export function SignPanel({
  outgoing,
  onSigned,
}: {
  outgoing: Outgoing;
  /** Signed: the page reloads (this panel then goes) and says so. */
  onSigned: (out: Outgoing, notice: string) => void;
}) {
  const { api, online } = useApp();
  const [bsre, setBsre] = useState(false);
  const [secrets, setSecrets] = useState<SignSecrets>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  // Kept across an attempt that got no answer, so a retry of the same request is recognised.
  // Not for BSrE: the retry's body cannot be known to be the same (a TOTP changes, and the
  // first body is gone), and the same key with another body is refused; the letter's signing
  // claim already keeps a second BSrE request from signing twice.
  const key = useRef<string | null>(null);

  const set = (field: keyof SignSecrets) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setSecrets((s) => ({ ...s, [field]: value }));
  };

  const missing = bsre && (!/^\d{16}$/.test(secrets.nik.trim()) || (!secrets.passphrase && !secrets.totp.trim()));

  const sign = async () => {
    setBusy(true);
    setProblem(null);
    key.current ??= crypto.randomUUID();
    let body: Record<string, string> | null = signBody(bsre, secrets);
    // From here on the secrets exist only in `body`, for this one request.
    setSecrets(EMPTY);
    try {
      const signed = await ok(
        api.POST('/outgoing/{outgoing_id}/sign', {
          params: { path: { outgoing_id: outgoing.outgoing_id } },
          body: body as never,
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      key.current = null;
      setDone(true);
      onSigned(signed, o.outgoing.signed);
    } catch (error) {
      if (!(error instanceof NetworkError) || bsre) key.current = null;
      if (error instanceof ApiError && error.code === 'no_signing_key') {
        setBsre(true);
        setProblem(o.outgoing.noKey);
      } else if (error instanceof NetworkError) {
        setProblem(o.outgoing.signNeedsOnline);
      } else {
        setProblem(errorWords(error));
      }
    } finally {
      body = null;
      setBusy(false);
    }
  };

  if (done) return <p class="notice" role="status">{o.outgoing.signed}</p>;
  return (
    <section class="card" aria-labelledby="sign-h" data-testid="sign-panel">
      <h2 id="sign-h">{o.outgoing.sign}</h2>
      <p>{o.outgoing.yourTurnSign}</p>
      {!online && (
        <p class="problem" role="alert">
          {o.outgoing.signNeedsOnline}
        </p>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={bsre}
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            setBsre(on);
            key.current = null; // another body: another request
            if (!on) setSecrets(EMPTY); // what was typed goes with the fields
          }}
        />
        {o.outgoing.useBsre}
      </label>
      {bsre && (
        <div class="bsre" data-testid="bsre-fields">
          <p class="hint" id="bsre-lead">
            {o.outgoing.bsreLead}
          </p>
          <div class="field">
            <label for="sign-nik">{o.outgoing.nik}</label>
            <input
              id="sign-nik"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={secrets.nik}
              onInput={set('nik')}
              aria-describedby="bsre-lead"
            />
          </div>
          <div class="field">
            <label for="sign-passphrase">{o.outgoing.passphrase}</label>
            <input
              id="sign-passphrase"
              type="password"
              autoComplete="off"
              value={secrets.passphrase}
              onInput={set('passphrase')}
              aria-describedby="bsre-lead"
            />
          </div>
          <div class="field">
            <label for="sign-totp">{o.outgoing.totp}</label>
            <input
              id="sign-totp"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={secrets.totp}
              onInput={set('totp')}
              aria-describedby="bsre-lead"
            />
          </div>
          {missing && <p class="hint">{o.outgoing.passphraseOrTotp}</p>}
        </div>
      )}
      {problem && (
        <p class="problem" role="alert" data-testid="sign-problem">
          {problem}
        </p>
      )}
      <button
        type="button"
        class="button primary big"
        disabled={busy || !online || missing}
        onClick={() => void sign()}
        data-testid="sign"
      >
        {busy ? o.outgoing.signing : o.outgoing.sign}
      </button>
      {busy && <span class="visually-hidden" role="status">{t.loading}</span>}
    </section>
  );
}
