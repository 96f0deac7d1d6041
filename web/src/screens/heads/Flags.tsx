// Tinjauan: open flags (mock location, a shared phone, an implausible clock, impossible travel,
// a reused selfie) of the units the user heads, or every unit for hr; each resolved with a note,
// its check-in then accepted or rejected (the API refuses one's own: own_attendance).

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime, date } from '../../lib/format';
import { h } from '../../strings.heads';
import { KeptList, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

type Flag = Schemas['Flag'];
const w = h.flags;

export function Flags() {
  const { api, user } = useApp();
  const page = useKept(`${user}:flags`, () => ok(api.GET('/attendance/flags', { params: { query: { limit: 100 } } })));
  const items = page.data?.items ?? [];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={page.loading} onClick={() => void page.reload()} />
      </div>
      <p class="hint">{w.lead}</p>
      <KeptList kept={page} items={items} empty={w.empty} testId="flags">
        {(f) => <FlagItem key={f.flag_id} f={f} />}
      </KeptList>
    </section>
  );
}

function FlagItem({ f }: { f: Flag }) {
  const { api } = useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [done, setDone] = useState<Schemas['CheckState'] | null>(null);
  const decide = async (decision: 'accepted' | 'rejected') => {
    setBusy(true);
    setProblem(undefined);
    try {
      await ok(
        api.POST('/attendance/flags/{nip}/{day}/{flag_id}/resolve', {
          params: { path: { nip: f.nip, day: f.day, flag_id: f.flag_id } },
          body: { decision, note: note.trim() || null },
        }),
      );
      setDone(decision);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const noteId = `note-${f.flag_id}`;
  const evidence = Object.entries(f.evidence ?? {});
  return (
    <li class="item item-link">
      <span class="item-title">{h.flagKind[f.kind]}</span>
      <span>
        NIP {f.nip} · {date(f.day)}
      </span>
      <span class="item-meta">{dateTime(f.raised_at)}</span>
      {evidence.length > 0 && (
        <details>
          <summary>{w.evidence}</summary>
          <dl class="meta">
            {evidence.map(([k, v]) => (
              <>
                <dt key={`${k}-k`}>{k}</dt>
                <dd key={`${k}-v`}>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </>
            ))}
          </dl>
        </details>
      )}
      <a href={`/unit/${f.nip}/${f.day}`}>{w.openDay}</a>
      {done ? (
        <p role="status" class="notice">
          {w.done(h.checkState[done])}
        </p>
      ) : (
        <>
          <label for={noteId}>{w.note}</label>
          <textarea id={noteId} maxLength={500} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button type="button" class="button primary" disabled={busy} onClick={() => void decide('accepted')}>
              {w.accept}
            </button>
            <button type="button" class="button danger" disabled={busy} onClick={() => void decide('rejected')}>
              {w.reject}
            </button>
          </div>
          <ProblemNote error={problem} />
        </>
      )}
    </li>
  );
}
