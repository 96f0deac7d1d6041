// Give the paraf on the current version, or return the draft to its author with a note. Both go
// through the offline queue with their Idempotency-Key, like a disposition: made offline, they
// wait on the device and are sent once when the network returns; a refusal (another version
// came meanwhile: 409) is shown, never dropped.

import { useState } from 'preact/hooks';
import { act, type ActResult } from '../../app/actions';
import { useApp } from '../../app/context';
import type { Outgoing } from '../../lib/outgoing';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { problemWords } from '../../lib/problems';

export function ReviewPanel({
  outgoing,
  version,
  onDone,
}: {
  outgoing: Outgoing;
  version: number;
  /** The server took it: the page reloads (this panel then goes) and says so. */
  onDone: (notice: string) => void;
}) {
  const { api, queue, user } = useApp();
  const [note, setNote] = useState('');
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'queued' | 'problem'; text: string } | null>(null);

  const show = (result: ActResult, ok: string) => {
    if (result.kind === 'sent') {
      setMessage({ kind: 'ok', text: ok });
      onDone(ok);
    } else if (result.kind === 'queued') setMessage({ kind: 'queued', text: result.message === t.queuedOffline ? o.outgoing.queuedReview : result.message });
    else setMessage({ kind: 'problem', text: problemWords(result.action.problem) });
  };

  const send = async (decision: 'approve' | 'return') => {
    if (decision === 'return' && !note.trim()) {
      setMessage({ kind: 'problem', text: o.outgoing.returnNeedsNote });
      return;
    }
    setBusy(true);
    try {
      const body = decision === 'approve' ? { decision, version } : { decision, version, note: note.trim() };
      const what = decision === 'approve' ? o.outgoing.paraf : o.outgoing.returnIt;
      show(
        await act(queue, api, {
          kind: 'review',
          user,
          label: `${what}: ${outgoing.subject}`,
          letterId: outgoing.outgoing_id,
          params: {},
          body,
        }),
        decision === 'approve' ? o.outgoing.parafDone : o.outgoing.returned,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="review-h" data-testid="review-panel">
      <h2 id="review-h">{o.outgoing.reviews}</h2>
      <p>{o.outgoing.yourTurnReview(version)}</p>
      {message && (
        <p class={message.kind === 'problem' ? 'problem' : 'notice'} role={message.kind === 'problem' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {returning && (
        <div class="field">
          <label for="return-note">{o.outgoing.returnNote}</label>
          <textarea id="return-note" value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        </div>
      )}
      <div class="actions">
        {!returning && (
          <button type="button" class="button primary big" disabled={busy} onClick={() => void send('approve')} data-testid="paraf">
            {o.outgoing.paraf}
          </button>
        )}
        <button
          type="button"
          class="button danger"
          disabled={busy}
          onClick={() => (returning ? void send('return') : setReturning(true))}
        >
          {o.outgoing.returnIt}
        </button>
        {returning && (
          <button type="button" class="button quiet" onClick={() => setReturning(false)}>
            {t.back}
          </button>
        )}
      </div>
    </section>
  );
}
