// Cuti: leave waiting for the user's decision (the units he heads, or acts for today: the API
// knows his Plt/Plh), each approved or rejected with a note (a rejection needs one), and its
// document opened through its short-lived link.

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { fetchBytes, saveBytes } from '../../lib/download';
import { date, dateTime } from '../../lib/format';
import { h } from '../../strings.heads';
import { KeptList, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

type Leave = Schemas['Leave'];
const w = h.leaves;

export function Leaves() {
  const { api, user } = useApp();
  const waiting = useKept(`${user}:leaves-waiting`, () => ok(api.GET('/leaves/waiting')));
  const items = waiting.data ?? [];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={waiting.loading} onClick={() => void waiting.reload()} />
      </div>
      <KeptList kept={waiting} items={items} empty={w.empty} testId="leaves">
        {(l) => <LeaveItem key={l.leave_id} l={l} />}
      </KeptList>
    </section>
  );
}

function LeaveItem({ l }: { l: Leave }) {
  const { api } = useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [done, setDone] = useState<'approved' | 'rejected' | null>(null);
  const [missingNote, setMissingNote] = useState(false);
  const decide = async (action: 'approve' | 'reject') => {
    setProblem(undefined);
    if (action === 'reject' && !note.trim()) {
      setMissingNote(true);
      return;
    }
    setMissingNote(false);
    setBusy(true);
    try {
      const params = { params: { path: { leave_id: l.leave_id } }, body: { note: note.trim() || null } };
      await ok(action === 'approve' ? api.POST('/leaves/{leave_id}/approve', params) : api.POST('/leaves/{leave_id}/reject', params));
      setDone(action === 'approve' ? 'approved' : 'rejected');
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const openDocument = async () => {
    setProblem(undefined);
    try {
      const link = await ok(api.GET('/leaves/{leave_id}/document', { params: { path: { leave_id: l.leave_id } } }));
      const type = link.media_type || l.document_media_type || 'application/pdf';
      const ext = type === 'image/jpeg' ? 'jpg' : type === 'image/png' ? 'png' : 'pdf';
      saveBytes(await fetchBytes(link), `cuti-${l.nip}-${l.starts_on}.${ext}`, type);
    } catch (error) {
      setProblem(error);
    }
  };
  const noteId = `leave-note-${l.leave_id}`;
  return (
    <li class="item item-link">
      <span class="item-title">{l.name}</span>
      <span>
        {h.leaveType[l.type]} · {w.period(date(l.starts_on), date(l.ends_on))}
      </span>
      <span>
        {w.reason}: {l.reason}
      </span>
      {l.destination && (
        <span>
          {w.destination}: {l.destination}
        </span>
      )}
      <span class="item-meta">
        NIP {l.nip} · {dateTime(l.filed_at)}
      </span>
      {l.document_key || l.document_id ? (
        <button type="button" class="button" onClick={() => void openDocument()}>
          {w.document}
        </button>
      ) : (
        <span class="item-meta">{w.noDocument}</span>
      )}
      {done ? (
        <p role="status" class="notice">
          {done === 'approved' ? w.approved : w.rejected}
        </p>
      ) : (
        <>
          <label for={noteId}>{w.note}</label>
          <textarea
            id={noteId}
            maxLength={1000}
            aria-describedby={`${noteId}-hint`}
            aria-invalid={missingNote}
            value={note}
            onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <span id={`${noteId}-hint`} class="hint">
            {missingNote ? w.noteRequired : w.noteHint}
          </span>
          <div class="actions">
            <button type="button" class="button primary" disabled={busy} onClick={() => void decide('approve')}>
              {w.approve}
            </button>
            <button type="button" class="button danger" disabled={busy} onClick={() => void decide('reject')}>
              {w.reject}
            </button>
          </div>
          <ProblemNote error={problem} />
        </>
      )}
    </li>
  );
}
