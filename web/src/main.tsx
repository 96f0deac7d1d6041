// Start: the runtime config first, then the session; the callback page finishes a sign-in; a
// signed-out user sees the sign-in landing; public screens need neither.

import { render } from 'preact';
import { loadConfig } from './config';
import { CALLBACK_PATH, Session } from './auth/session';
import { App } from './app/App';
import { SignIn, SignInCallback } from './screens/SignIn';
import { isPublicPath } from './routes';
import { PublicApp } from './app/PublicApp';
import { t } from './strings';
import { registerServiceWorker } from './app/sw';
import './styles/base.css';

async function start(root: HTMLElement): Promise<void> {
  registerServiceWorker();
  root.textContent = ''; // the "Memuat…" shown while the script loads
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    render(
      <main class="boot-error">
        <h1>{t.errorTitle}</h1>
        <p role="alert">Konfigurasi aplikasi tidak dapat dimuat: {String(error)}</p>
        <button type="button" class="button" onClick={() => location.reload()}>
          {t.tryAgain}
        </button>
      </main>,
      root,
    );
    return;
  }
  const path = location.pathname;
  if (isPublicPath(path)) {
    render(<PublicApp config={config} />, root);
    return;
  }
  const session = new Session(config.auth);
  if (path === CALLBACK_PATH) {
    render(<SignInCallback session={session} />, root);
    return;
  }
  const user = await session.user();
  if (!user) {
    render(<SignIn session={session} returnTo={path === '/masuk' ? '/' : path + location.search} />, root);
    return;
  }
  const profile = user.profile as Record<string, unknown>;
  const username = String(
    profile['cognito:username'] ?? profile['preferred_username'] ?? profile['username'] ?? profile.sub,
  );
  render(<App config={config} session={session} user={username} />, root);
}

void start(document.getElementById('app')!);
