// "Masuk": the landing of a signed-out user, the callback page (/masuk/selesai) that finishes
// the code flow, and sign-out (/keluar).

import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../auth/session';
import { useApp } from '../app/context';
import { signOutAndForget } from '../auth/signOut';
import { turnPushOff } from '../lib/push';
import { t } from '../strings';

export function SignIn({ session, returnTo }: { session: Session; returnTo: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <main id="main" class="landing">
      <div class="landing-card">
        <h1>{t.appLong}</h1>
        <p>{t.signInLead}</p>
        {error && (
          <p class="problem" role="alert">
            {t.signInFailed}: {error}
          </p>
        )}
        <button
          type="button"
          class="button primary big"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            session.signIn(returnTo).catch((e: unknown) => {
              setBusy(false);
              setError(navigator.onLine ? String(e) : t.offline);
            });
          }}
        >
          {busy ? t.signingIn : t.signInButton}
        </button>
      </div>
    </main>
  );
}

export function SignInCallback({ session }: { session: Session }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    session
      .complete()
      .then((next) => location.replace(next))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <main id="main" class="landing">
      <div class="landing-card">
        <h1>{error ? t.signInFailed : t.signingIn}</h1>
        {error && (
          <>
            <p class="problem" role="alert">
              {error}
            </p>
            <a class="button primary big" href="/masuk">
              {t.tryAgain}
            </a>
          </>
        )}
      </div>
    </main>
  );
}

/** Where this document was loaded: /keluar opened from elsewhere (a link in another site, a
 * typed address) asks first; the app's own "Keluar" link navigates inside the app. */
const landedAt = typeof location !== 'undefined' ? location.pathname : '';

export function SignOut() {
  const { session, user, queue, pending, flush, online, api } = useApp();
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const direct = landedAt === '/keluar';
  const waiting = pending.length;
  const leave = () => {
    setBusy(true);
    void signOutAndForget(session, queue, user, () => turnPushOff(api));
  };
  useEffect(() => {
    if (!direct && waiting === 0) leave();
  }, []);
  if (busy) {
    return (
      <section class="screen">
        <h1>{t.signingOut}</h1>
      </section>
    );
  }
  return (
    <section class="screen">
      <h1>{t.signOutTitle}</h1>
      <p>{t.signOutLead}</p>
      {waiting > 0 && (
        <p class="problem" role="alert" data-testid="signout-waiting">
          {t.signOutWaiting(waiting)}
        </p>
      )}
      <div class="actions">
        {waiting > 0 && (
          <button
            type="button"
            class="button primary"
            disabled={sending || !online}
            onClick={() => {
              setSending(true);
              void flush().finally(() => setSending(false));
            }}
          >
            {t.signOutSendFirst}
          </button>
        )}
        <button type="button" class={waiting > 0 ? 'button danger' : 'button primary'} onClick={leave}>
          {waiting > 0 ? t.signOutDrop : t.signOutConfirm}
        </button>
        <a class="button quiet" href="/">
          {t.signOutCancel}
        </a>
      </div>
    </section>
  );
}
