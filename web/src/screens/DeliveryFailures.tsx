// Gagal terkirim (administrators, Diskominfo): the notices a channel gave up on after its
// retries, newest first: whom, what kind, when, and each channel's outcome. Never the text: it
// may name a letter the administrator may not read (ADR 0023).

import { useState } from 'preact/hooks';
import { ok, type FailurePage } from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { dateTime } from '../lib/format';
import { t } from '../strings';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../ui/bits';

const w = t.deliveryFailures;
type Failure = FailurePage['items'][number];

export function DeliveryFailures() {
  const { api, user } = useApp();
  const first = useKept<FailurePage>(`${user}:delivery-failures`, () => ok(api.GET('/notifications/failures')));
  const [more, setMore] = useState<{ items: Failure[]; next: string | null } | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [fetching, setFetching] = useState(false);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (first.data?.next_cursor ?? null);
  const loadMore = async (cursor: string) => {
    if (fetching) return;
    setProblem(undefined);
    setFetching(true);
    try {
      const page = await ok(api.GET('/notifications/failures', { params: { query: { cursor } } }));
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next_cursor ?? null });
    } catch (error) {
      setProblem(error);
    } finally {
      setFetching(false);
    }
  };
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton
          busy={first.loading}
          onClick={() => {
            setMore(null);
            void first.reload();
          }}
        />
      </div>
      <p class="item-meta">{w.lead}</p>
      <KeptNote savedAt={first.savedAt} fromDevice={first.fromDevice} />
      <ProblemNote error={problem ?? (!first.data ? first.error : undefined)} />
      <Loading when={first.loading && !first.data}>
        {items.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="list" data-testid="delivery-failures">
            {items.map((f) => (
              <FailureItem key={f.notification_id} failure={f} />
            ))}
          </ul>
        )}
      </Loading>
      {next && (
        <button type="button" class="button secondary" disabled={fetching} onClick={() => void loadMore(next)}>
          {w.more}
        </button>
      )}
    </section>
  );
}

function FailureItem({ failure }: { failure: Failure }) {
  return (
    <li class="item" data-notification-id={failure.notification_id}>
      <span class="item-title">
        {failure.name ?? w.unknownPerson} <span class="item-meta">NIP {failure.nip}</span>
      </span>
      <span>{w.kinds[failure.kind]}</span>
      <span class="item-meta">{dateTime(failure.created_at)}</span>
      <ul class="plain">
        {failure.deliveries.map((d) => (
          <li key={d.channel}>
            {t.notifications.channels[d.channel]}: {w.statuses[d.status]} ({w.attempts(d.attempts)})
          </li>
        ))}
      </ul>
    </li>
  );
}
