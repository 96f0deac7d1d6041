// The user's assignment of a letter, with what he may do: start, report and complete (with a
// file), return with a note, or dispose it onward. Start, complete and return go through the
// queue (sent at once online, later offline, each with its Idempotency-Key); a report file is
// uploaded first, online only.

import { useState } from 'preact/hooks';
import { NetworkError, ok, type Assignment } from '../api/client';
import { act, type ActResult } from '../app/actions';
import { useApp } from '../app/context';
import { dateTime } from '../lib/format';
import { assignmentOffers } from '../lib/permissions';
import { t } from '../strings';
import { AssignmentBadges } from '../ui/bits';
import { problemWords } from '../lib/problems';

type Mode = null | 'report' | 'return';

export function AssignmentPanel({
  a,
  labels,
  onChanged,
}: {
  a: Assignment;
  labels: Record<string, string>;
  onChanged: () => void;
}) {
  const { api, queue, user, me } = useApp();
  const [mode, setMode] = useState<Mode>(null);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'queued' | 'problem'; text: string } | null>(null);
  if (!me) return null;
  const offers = assignmentOffers(a, me);
  const label = `${a.letter.subject ?? a.letter.agenda_label}`;

  const show = (result: ActResult) => {
    if (result.kind === 'sent') {
      setMessage({ kind: 'ok', text: t.sent });
      setMode(null);
      setText('');
      setFile(null);
      onChanged();
    } else if (result.kind === 'queued') {
      setMessage({ kind: 'queued', text: result.message });
      setMode(null);
    } else {
      setMessage({ kind: 'problem', text: problemWords(result.action.problem) });
    }
  };

  const run = async (kind: 'start' | 'complete' | 'return', body: unknown, what: string) => {
    setBusy(true);
    setMessage(null);
    try {
      show(
        await act(queue, api, {
          kind,
          user,
          label: `${what}: ${label}`,
          letterId: a.letter_id,
          params: { assignment_id: a.assignment_id },
          body,
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const complete = async () => {
    let fileId: string | undefined;
    if (file) {
      setBusy(true);
      try {
        fileId = await uploadReport(a, file);
      } catch (e) {
        setBusy(false);
        setMessage({ kind: 'problem', text: e instanceof NetworkError ? t.assignments.fileNeedsOnline : String(e) });
        return;
      }
    }
    await run('complete', { report: text.trim(), ...(fileId ? { file_id: fileId } : {}) }, t.assignments.complete);
  };

  const uploadReport = async (x: Assignment, f: File): Promise<string> => {
    const form = await ok(
      api.POST('/letters/{letter_id}/assignments/{assignment_id}/report-uploads', {
        params: { path: { letter_id: x.letter_id, assignment_id: x.assignment_id } },
      }),
    );
    const data = new FormData();
    for (const [k, v] of Object.entries(form.upload.fields)) data.append(k, String(v));
    data.append('file', f, f.name);
    let sent: Response;
    try {
      sent = await fetch(form.upload.url, { method: form.upload.method ?? 'POST', body: data });
    } catch (e) {
      throw new NetworkError(String(e));
    }
    if (!sent.ok) throw new Error(`${t.assignments.reportFile}: HTTP ${sent.status}`);
    return form.file_id;
  };

  return (
    <section class="card" aria-labelledby="assignment-h" data-testid="assignment">
      <h2 id="assignment-h">{a.kind === 'tembusan' ? t.inbox.tembusan : t.nav.assignments}</h2>
      <AssignmentBadges a={a} />
      {offers.capacity && offers.capacity !== 'self' && (
        <p class="capacity-note">
          {t.capacity[offers.capacity]} — {t.actingAs.toLowerCase()} {a.recipient_name}
        </p>
      )}
      <dl class="meta">
        {a.instructions.length > 0 && (
          <>
            <dt>{t.dispose.instructions}</dt>
            <dd>{a.instructions.map((c) => labels[c] ?? c).join(', ')}</dd>
          </>
        )}
        {a.note && (
          <>
            <dt>{t.dispose.note}</dt>
            <dd>{a.note}</dd>
          </>
        )}
        {a.deadline && (
          <>
            <dt>{t.inbox.deadline}</dt>
            <dd>{dateTime(a.deadline)}</dd>
          </>
        )}
      </dl>
      {message && (
        <p class={message.kind === 'problem' ? 'problem' : 'notice'} role={message.kind === 'problem' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div class="actions">
        {offers.forward && (
          <a class="button primary" href={`/surat/${a.letter_id}/disposisi?tugas=${a.assignment_id}`}>
            {t.letter.forward}
          </a>
        )}
        {offers.start && (
          <button type="button" class="button" disabled={busy} onClick={() => void run('start', undefined, t.assignments.start)}>
            {t.assignments.start}
          </button>
        )}
        {offers.complete && (
          <button type="button" class="button" disabled={busy} aria-expanded={mode === 'report'} onClick={() => setMode(mode === 'report' ? null : 'report')}>
            {t.assignments.report}
          </button>
        )}
        {offers.returnIt && (
          <button type="button" class="button danger" disabled={busy} aria-expanded={mode === 'return'} onClick={() => setMode(mode === 'return' ? null : 'return')}>
            {t.assignments.returnIt}
          </button>
        )}
      </div>
      {mode === 'report' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void complete();
          }}
        >
          <div class="field">
            <label for="report-text">{t.assignments.reportText}</label>
            <textarea id="report-text" required value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <div class="field">
            <label for="report-file">{t.assignments.reportFile}</label>
            <input
              id="report-file"
              type="file"
              accept="application/pdf,image/jpeg,image/png"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
          </div>
          <button type="submit" class="button primary" disabled={busy || !text.trim()}>
            {busy && file ? t.assignments.uploading : t.assignments.complete}
          </button>
        </form>
      )}
      {mode === 'return' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run('return', { reason: text.trim() }, t.assignments.returnIt);
          }}
        >
          <div class="field">
            <label for="return-reason">{t.assignments.returnReason}</label>
            <textarea id="return-reason" required value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <button type="submit" class="button danger" disabled={busy || !text.trim()}>
            {t.assignments.returnIt}
          </button>
        </form>
      )}
    </section>
  );
}
