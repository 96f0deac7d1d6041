// Tugas saya: the staff's open assignments, nearest deadline first; each opens its letter,
// where they start, report, complete or return it.

import { ok, type InboxPage } from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { dateTime } from '../lib/format';
import { t } from '../strings';
import { AssignmentBadges, KeptNote, Loading, ProblemNote, RefreshButton } from '../ui/bits';

export function Assignments() {
  const { api, user, actingFor } = useApp();
  const who = actingFor ?? 'self';
  const page = useKept<InboxPage>(`${user}:assignments:${who}`, () =>
    ok(
      api.GET('/me/inbox', {
        params: {
          query: { status: 'sent,read,in_progress', sort: 'deadline', limit: 100, on_behalf_of: actingFor ?? undefined },
        },
      }),
    ),
  );
  const items = (page.data?.items ?? []).filter((a) => a.kind === 'assignment');
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{t.assignments.title}</h1>
        <RefreshButton busy={page.loading} onClick={() => void page.reload()} />
      </div>
      <KeptNote savedAt={page.savedAt} fromDevice={page.fromDevice} />
      <ProblemNote error={!page.data ? page.error : undefined} />
      <Loading when={page.loading && !page.data}>
        {items.length === 0 ? (
          <p class="empty">{t.assignments.empty}</p>
        ) : (
          <ul class="list" data-testid="assignments">
            {items.map((a) => (
              <li key={a.assignment_id} class={`item ${a.status === 'sent' ? 'is-unread' : ''}`}>
                <a class="item-link" href={`/surat/${a.letter_id}?tugas=${a.assignment_id}`}>
                  <span class="item-title">{a.letter.subject ?? a.letter.agenda_label}</span>
                  <AssignmentBadges a={a} />
                  {a.deadline && (
                    <span class="item-meta">
                      {t.inbox.deadline}: {dateTime(a.deadline)}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </section>
  );
}
