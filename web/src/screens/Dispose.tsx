// Disposisi: dispose a letter (its unit's head), or forward one's assignment of it
// (?tugas=...), in one's own name or as Plt./Plh. The disposition goes through the queue: sent
// at once when online, kept and sent later when not, with one Idempotency-Key either way.

import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ok, type Assignment, type DispositionContent, type Letter } from '../api/client';
import { act } from '../app/actions';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { t } from '../strings';
import { DisposeForm } from '../ui/DisposeForm';
import { Loading, ProblemNote } from '../ui/bits';
import { recipientCapacity } from '../lib/permissions';
import { problemWords } from '../lib/problems';

export function DisposeScreen() {
  const { params, query } = useRoute();
  const { route } = useLocation();
  const letterId = params['letterId'] ?? '';
  const parentId = query['tugas'];
  const { api, user, me, queue, actingFor } = useApp();
  const letter = useKept<Letter>(`${user}:letter:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}', { params: { path: { letter_id: letterId } } })),
  );
  const parent = useKept<Assignment>(parentId ? `${user}:assignment:${letterId}:${parentId}` : null, () =>
    ok(
      api.GET('/letters/{letter_id}/assignments/{assignment_id}', {
        params: { path: { letter_id: letterId, assignment_id: parentId ?? '' } },
      }),
    ),
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'queued' | 'problem'; text: string } | null>(null);

  // In whose name: the absent head of the assignment forwarded, or the one chosen in the header.
  const parentCapacity = parent.data && me ? recipientCapacity(parent.data, me) : null;
  const onBehalfOf =
    parent.data && parentCapacity && parentCapacity !== 'self'
      ? parent.data.recipient_nip
      : !parentId
        ? actingFor
        : null;
  // A vacant post has no head to name: disposing a letter of its unit, he acts as its Plt./Plh.
  // (the API decides so from the letter's unit).
  const actingLabel = onBehalfOf
    ? me?.acting_for?.find((a) => a.nip === onBehalfOf)
    : !parentId && letter.data && me && me.employee.unit_id !== letter.data.unit_id
      ? me.acting_for?.find((a) => !a.nip && a.unit_id === letter.data?.unit_id)
      : undefined;

  const send = async (content: DispositionContent) => {
    setBusy(true);
    setMessage(null);
    const body = {
      ...content,
      ...(parentId ? { parent_assignment_id: parentId } : {}),
      ...(onBehalfOf ? { on_behalf_of: onBehalfOf } : {}),
    };
    try {
      const result = await act(queue, api, {
        kind: 'dispose',
        user,
        label: `${t.dispose.title}: ${letter.data?.subject ?? letterId}`,
        letterId,
        params: {},
        body,
      });
      if (result.kind === 'sent') route(`/surat/${letterId}${parentId ? `?tugas=${parentId}` : ''}`);
      else if (result.kind === 'queued') setMessage({ kind: 'queued', text: result.message });
      else setMessage({ kind: 'problem', text: problemWords(result.action.problem) });
    } finally {
      setBusy(false);
    }
  };

  const l = letter.data;
  const waitingForParent = Boolean(parentId) && !parent.data && parent.loading;
  return (
    <section class="screen">
      <p>
        <a class="back" href={`/surat/${letterId}${parentId ? `?tugas=${parentId}` : ''}`}>← {t.back}</a>
      </p>
      <h1>
        {parentId ? t.letter.forward : t.dispose.title}
        {l?.subject ? `: ${l.subject}` : ''}
      </h1>
      {actingLabel && (
        <p class="capacity-note" data-testid="capacity">
          {t.dispose.as(t.capacity[actingLabel.capacity], actingLabel.position_name)}
        </p>
      )}
      {message && (
        <p class={message.kind === 'problem' ? 'problem' : 'notice'} role={message.kind === 'problem' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <ProblemNote error={!l ? letter.error : undefined} />
      <Loading when={(!l && letter.loading) || waitingForParent}>
        {l && message?.kind !== 'queued' && (
          <DisposeForm
            urgensi={l.urgensi}
            parentDeadline={parent.data?.deadline ?? null}
            onBehalfOf={onBehalfOf}
            letterId={letterId}
            parentAssignmentId={parentId ?? null}
            submitLabel={t.dispose.send}
            busy={busy}
            onSubmit={(c) => void send(c)}
          />
        )}
        {message?.kind === 'queued' && (
          <p>
            <a class="button" href="/">
              {t.nav.inbox}
            </a>
          </p>
        )}
      </Loading>
    </section>
  );
}
