// "Masuk": the landing of a signed-out user, the callback page (/masuk/selesai) that finishes
// the code flow, and sign-out (/keluar).

import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../auth/session';
import { useApp } from '../app/context';
import { forget } from '../offline/cache';
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

export function SignOut() {
  const { session, user } = useApp();
  useEffect(() => {
    void forget(`${user}:`).finally(() => session.signOut());
  }, []);
  return (
    <section class="screen">
      <h1>{t.signOut}…</h1>
    </section>
  );
}
