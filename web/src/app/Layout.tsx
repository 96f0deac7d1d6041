// The frame of every signed-in screen: skip link, header (who is signed in, in what capacity,
// the network, the queue), navigation, main.

import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { navFor } from '../routes';
import { t } from '../strings';
import { useApp } from './context';
import { actingChoices } from './App';

export function Layout({ children }: { children: ComponentChildren }) {
  const { me, actingKey, setActingFor, online, pending } = useApp();
  const { path } = useLocation();
  const nav = navFor(me);
  const choices = me ? actingChoices(me) : [];
  const refused = pending.filter((a) => a.state === 'refused').length;
  return (
    <>
      <a class="skip" href="#main">
        Langsung ke isi
      </a>
      <header class="top">
        <div class="top-row">
          <a class="brand" href="/">
            {t.app}
          </a>
          <div class="who" data-testid="who">
            {me ? (
              <>
                <span class="who-name">{me.employee.name}</span>
                <span class="who-unit">{me.unit.name}</span>
              </>
            ) : (
              <span class="who-name">{t.loading}</span>
            )}
          </div>
          <a class="button quiet" href="/keluar">
            {t.signOut}
          </a>
        </div>
        {choices.length > 0 && (
          <div class="acting">
            <label for="acting-as">{t.actingAs}</label>
            <select
              id="acting-as"
              value={actingKey ?? ''}
              onChange={(e) => setActingFor((e.currentTarget as HTMLSelectElement).value || null)}
            >
              <option value="">{t.self}</option>
              {choices.map((c) => (
                <option key={c.key} value={c.key}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="status-row" role="status" aria-live="polite">
          {!online && <span class="pill offline">{t.offline}</span>}
          {pending.length > 0 && (
            <a class={`pill ${refused ? 'refused' : 'waiting'}`} href="/antrean" data-testid="pending">
              {refused ? `${t.conflict} (${refused})` : t.pending(pending.length)}
            </a>
          )}
        </div>
        <nav class="tabs" aria-label="Menu utama">
          {nav.map((n) => (
            <a
              key={n.path}
              href={n.path}
              class="tab"
              aria-current={path === n.path || (n.path !== '/' && path.startsWith(n.path)) ? 'page' : undefined}
            >
              {n.label}
            </a>
          ))}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
