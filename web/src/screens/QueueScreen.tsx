// Antrean: what waits to be sent, in order, and what the server refused (with its message),
// to dismiss once read. Nothing leaves this list silently.

import { useState } from 'preact/hooks';
import { useApp } from '../app/context';
import { dateTime } from '../lib/format';
import { t } from '../strings';
import { problemWithCode } from '../lib/problems';

export function QueueScreen() {
  const { pending, queue, flush, online } = useApp();
  const [busy, setBusy] = useState(false);
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{t.pendingTitle}</h1>
        <button
          type="button"
          class="button"
          disabled={busy || !online || pending.length === 0}
          onClick={() => {
            setBusy(true);
            void flush().finally(() => setBusy(false));
          }}
        >
          {t.sendNow}
        </button>
      </div>
      {pending.length === 0 ? (
        <p class="empty">{t.pendingNone}</p>
      ) : (
        <ol class="list" data-testid="queue">
          {pending.map((a) => (
            <li key={a.id} class="item">
              <div class="item-link">
                <span class="item-title">{a.label}</span>
                <span class="item-meta">
                  {dateTime(new Date(a.queuedAt).toISOString())} · percobaan {a.attempts}
                </span>
                {a.state === 'refused' && (
                  <>
                    <p class="problem" role="alert">
                      <strong>{t.conflict}:</strong> {problemWithCode(a.problem)}
                    </p>
                    <div class="actions">
                      <a class="button" href={a.kind === 'review' ? `/surat-keluar/${a.letterId}` : `/surat/${a.letterId}`}>
                        {t.letter.title}
                      </a>
                      <button type="button" class="button danger" onClick={() => void queue.dismiss(a.id)}>
                        {t.dismiss}
                      </button>
                    </div>
                  </>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
