// Disposisi disiapkan TU: what the records clerk prepared for the head to approve: approve in
// one tap, or change it, then approve. Approval goes through the queue (Idempotency-Key).

import { useState } from 'preact/hooks';
import {
  ok,
  type DispositionContent,
  type DispositionSettings,
  type PreparedDisposition,
  type Recipient,
  type Recipients,
} from '../api/client';
import { act } from '../app/actions';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { dateTime } from '../lib/format';
import { t } from '../strings';
import { DisposeForm } from '../ui/DisposeForm';
import { KeptNote, Loading, ProblemNote, RefreshButton, UrgensiBadge } from '../ui/bits';
import { instructionLabels } from './Letter';
import { errorWords, problemWords } from '../lib/problems';

export function Prepared() {
  const { api, user, actingFor } = useApp();
  const who = actingFor ?? 'self';
  const list = useKept<PreparedDisposition[]>(`${user}:prepared:${who}`, () =>
    ok(api.GET('/me/prepared-dispositions', { params: { query: { on_behalf_of: actingFor ?? undefined } } })),
  );
  const reach = useKept<Recipients>(`${user}:recipients:${who}`, () =>
    ok(api.GET('/me/recipients', { params: { query: { on_behalf_of: actingFor ?? undefined } } })),
  );
  const settings = useKept<DispositionSettings>(`${user}:settings`, () => ok(api.GET('/dispositions/settings')));
  const names = recipientNames(reach.data);
  const labels = instructionLabels(settings.data);
  // What was approved here stays on the screen, with its notice, until the list is refreshed.
  const [handled, setHandled] = useState<Record<string, PreparedDisposition>>({});
  const pending = [
    ...(list.data ?? []).filter((p) => (p.status ?? 'pending') === 'pending' || handled[p.prepared_id]),
    ...Object.values(handled).filter((h) => !(list.data ?? []).some((p) => p.prepared_id === h.prepared_id)),
  ];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{t.prepared.title}</h1>
        <RefreshButton
          busy={list.loading}
          onClick={() => {
            setHandled({});
            void list.reload();
          }}
        />
      </div>
      <KeptNote savedAt={list.savedAt} fromDevice={list.fromDevice} />
      <ProblemNote error={!list.data ? list.error : undefined} />
      <Loading when={list.loading && !list.data}>
        {pending.length === 0 ? (
          <p class="empty">{t.prepared.empty}</p>
        ) : (
          <ul class="list" data-testid="prepared">
            {pending.map((p) => (
              <PreparedItem
                key={p.prepared_id}
                p={p}
                names={names}
                labels={labels}
                onDone={() => setHandled((h) => ({ ...h, [p.prepared_id]: p }))}
              />
            ))}
          </ul>
        )}
      </Loading>
    </section>
  );
}

export function recipientNames(r: Recipients | undefined): (x: Recipient) => string {
  const units = new Map((r?.units ?? []).map((u) => [u.unit_id, u.name]));
  const people = new Map((r?.people ?? []).map((p) => [p.nip, p.name]));
  return (x) => (x.unit_id ? (units.get(x.unit_id) ?? x.unit_id) : (people.get(x.nip ?? '') ?? x.nip ?? ''));
}

function PreparedItem({
  p,
  names,
  labels,
  onDone,
}: {
  p: PreparedDisposition;
  names: (x: Recipient) => string;
  labels: Record<string, string>;
  onDone: () => void;
}) {
  const { api, queue, user, actingFor } = useApp();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'queued' | 'problem'; text: string } | null>(null);
  const c = p.content;

  const approve = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await act(queue, api, {
        kind: 'approve',
        user,
        label: `${t.prepared.approve}: ${p.letter.subject ?? p.letter.agenda_label}`,
        letterId: p.letter_id,
        params: { prepared_id: p.prepared_id },
        body: undefined,
      });
      if (result.kind === 'sent') {
        setMessage({ kind: 'ok', text: t.prepared.approved });
        onDone();
      } else if (result.kind === 'queued') setMessage({ kind: 'queued', text: result.message });
      else setMessage({ kind: 'problem', text: problemWords(result.action.problem) });
    } finally {
      setBusy(false);
    }
  };

  const saveThenApprove = async (content: DispositionContent) => {
    setBusy(true);
    setMessage(null);
    try {
      await ok(
        api.PATCH('/letters/{letter_id}/prepared-dispositions/{prepared_id}', {
          params: { path: { letter_id: p.letter_id, prepared_id: p.prepared_id } },
          body: content,
        }),
      );
      setEditing(false);
    } catch (e) {
      setBusy(false);
      setMessage({ kind: 'problem', text: errorWords(e) });
      return;
    }
    await approve();
  };

  return (
    <li class="item">
      <div class="item-link">
        <a class="item-title" href={`/surat/${p.letter_id}`}>
          {p.letter.subject ?? p.letter.agenda_label}
        </a>
        <span class="item-meta">
          {p.letter.sender_agency ?? ''} · {p.letter.agenda_label}
        </span>
        <UrgensiBadge urgensi={p.letter.urgensi} />
        <dl class="meta">
          <dt>{t.dispose.to}</dt>
          <dd data-testid="prepared-to">{c.recipients.map(names).join(', ')}</dd>
          {(c.tembusan ?? []).length > 0 && (
            <>
              <dt>{t.dispose.tembusan}</dt>
              <dd>{(c.tembusan ?? []).map(names).join(', ')}</dd>
            </>
          )}
          <dt>{t.dispose.instructions}</dt>
          <dd>{c.instructions.map((i) => labels[i] ?? i).join(', ')}</dd>
          {c.note && (
            <>
              <dt>{t.dispose.note}</dt>
              <dd>{c.note}</dd>
            </>
          )}
          {c.deadline && (
            <>
              <dt>{t.dispose.deadline}</dt>
              <dd>{dateTime(c.deadline)}</dd>
            </>
          )}
          <dt>{t.prepared.preparedBy}</dt>
          <dd>{p.prepared_by_nip}</dd>
        </dl>
        {message && (
          <p class={message.kind === 'problem' ? 'problem' : 'notice'} role={message.kind === 'problem' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {message?.kind !== 'ok' && message?.kind !== 'queued' && (
          <div class="actions">
            <button type="button" class="button primary big" disabled={busy} onClick={() => void approve()}>
              {t.prepared.approve}
            </button>
            <button type="button" class="button" disabled={busy} aria-expanded={editing} onClick={() => setEditing(!editing)}>
              {t.prepared.change}
            </button>
          </div>
        )}
        {editing && (
          <DisposeForm
            urgensi={p.letter.urgensi}
            initial={c}
            onBehalfOf={actingFor}
            submitLabel={`${t.prepared.save} · ${t.prepared.approve}`}
            busy={busy}
            onSubmit={(content) => void saveThenApprove(content)}
          />
        )}
      </div>
    </li>
  );
}
