// Kotak masuk: the user's (or, as Plt./Plh., the absent head's) assignments and tembusan, with
// the badge counts; kept on the device for offline reading; paging; pull down or the button to
// refresh.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ok, type Assignment, type InboxPage, type InboxSummary, type Letter } from '../api/client';
import { handlesUnit } from '../lib/permissions';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { dateTime } from '../lib/format';
import { t } from '../strings';
import { AssignmentBadges, KeptNote, Loading, ProblemNote, RefreshButton, UrgensiBadge } from '../ui/bits';

const PAGE = 30;
/** Performance entries: a page of the inbox arrived from the API; it was rendered and painted. */
export const INBOX_DATA = 'eoffice:inbox-data';
export const INBOX_RENDERED = 'eoffice:inbox-rendered';
/** ...and every item of it is in the list (the items after the first screen come in chunks). */
export const INBOX_COMPLETE = 'eoffice:inbox-complete';
/** Items rendered with the page's arrival: more than a tablet's screenful. The rest follow in
 *  chunks, one per task, so a long page neither delays the first paint nor blocks input. */
export const FIRST_SCREEN = 16;
export const CHUNK = 24;

export function Inbox() {
  const { api, user, actingFor } = useApp();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [sort, setSort] = useState<'newest' | 'deadline'>('newest');
  const who = actingFor ?? 'self';
  const query = {
    on_behalf_of: actingFor ?? undefined,
    overdue: overdueOnly || undefined,
    sort,
    limit: PAGE,
  };
  const first = useKept<InboxPage>(`${user}:inbox:${who}:${sort}:${overdueOnly}`, () =>
    ok(api.GET('/me/inbox', { params: { query } })).then((page) => {
      performance.mark(INBOX_DATA);
      return page;
    }),
  );
  const summary = useKept<InboxSummary>(`${user}:inbox-summary:${who}`, () =>
    ok(api.GET('/me/inbox/summary', { params: { query: { on_behalf_of: actingFor ?? undefined } } })),
  );
  const [more, setMore] = useState<Assignment[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  useEffect(() => {
    setMore([]);
    setCursor(undefined);
  }, [first.data]);

  // Preact runs effects after the next paint: from the page's arrival to here is what rendering
  // it cost (python -m bench --only web reads this measure).
  useEffect(() => {
    if (first.data && !first.fromDevice && performance.getEntriesByName(INBOX_DATA).length) {
      performance.measure(INBOX_RENDERED, INBOX_DATA);
    }
  }, [first.data, first.fromDevice]);

  const next = cursor === undefined ? first.data?.next_cursor : cursor;
  const items = [...(first.data?.items ?? []), ...more];
  const shown = useProgressive(items.length, first.data);
  const complete = shown >= items.length;
  useEffect(() => {
    if (complete && performance.getEntriesByName(INBOX_DATA).length) {
      performance.measure(INBOX_COMPLETE, INBOX_DATA);
      performance.clearMarks(INBOX_DATA);
    }
  }, [complete, first.data]);

  const pull = usePullToRefresh(() => refresh());

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await ok(api.GET('/me/inbox', { params: { query: { ...query, cursor: next } } }));
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor ?? null);
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const s = summary.data;
  const { me } = useApp();
  // The letters of the unit he heads (or, as Plt./Plh., the absent head's) that wait for his
  // disposition: they are in no inbox yet.
  const { acting } = useApp();
  const unit = acting
    ? acting.unitId
    : me && handlesUnit(me, me.employee.unit_id) && !me.roles.includes('tu')
      ? me.employee.unit_id
      : undefined;
  const waiting = useKept<{ items: Letter[] }>(unit ? `${user}:unit-letters:${unit}` : null, () =>
    ok(api.GET('/letters', { params: { query: { unit, status: 'registered', limit: 50 } } })),
  );
  const refresh = async () => {
    await Promise.all([first.reload(), summary.reload(), waiting.reload()]);
  };
  const undisposed = (waiting.data?.items ?? []).filter((l) => (l.disposed_to ?? []).length === 0);
  return (
    <section class="screen" {...pull}>
      <div class="screen-head">
        <h1>{t.inbox.title}</h1>
        <RefreshButton busy={first.loading} onClick={() => void refresh()} />
      </div>
      {/* Always there, "–" until the counts arrive: the list below does not move when they do. */}
      <ul class="counts" aria-label="Ringkasan" aria-busy={s ? undefined : 'true'}>
        <li class="count unread">
          <strong>{s ? s.unread : '–'}</strong> {t.inbox.unread}
        </li>
        <li class="count overdue">
          <strong>{s ? s.overdue : '–'}</strong> {t.inbox.overdue}
        </li>
        <li class="count">
          <strong>{s ? s.in_progress : '–'}</strong> {t.inbox.inProgress}
        </li>
        <li class="count">
          <strong>{s ? s.open : '–'}</strong> {t.inbox.open}
        </li>
      </ul>
      <div class="filters">
        <label class="check">
          <input
            type="checkbox"
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly((e.currentTarget as HTMLInputElement).checked)}
          />
          {t.inbox.onlyOverdue}
        </label>
        <label class="inline">
          <span class="visually-hidden">Urutan</span>
          <select
            value={sort}
            onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as 'newest' | 'deadline')}
          >
            <option value="newest">{t.inbox.sortNewest}</option>
            <option value="deadline">{t.inbox.sortDeadline}</option>
          </select>
        </label>
      </div>
      {undisposed.length > 0 && (
        <section aria-labelledby="undisposed-h">
          <h2 id="undisposed-h">{t.inbox.undisposed}</h2>
          <ul class="list" data-testid="undisposed">
            {undisposed.map((l) => (
              <li key={l.letter_id} class="item is-unread">
                <a class="item-link" href={`/surat/${l.letter_id}`}>
                  <span class="item-title">{l.subject ?? `${l.agenda_number}/${l.agenda_year}`}</span>
                  <span class="item-meta">
                    {l.sender_agency ?? ''} · {t.letter.received} {dateTime(l.registered_at)}
                  </span>
                  <span class="badges">
                    <UrgensiBadge urgensi={l.urgensi} />
                  </span>
                </a>
              </li>
            ))}
          </ul>
          <h2>{t.inbox.assigned}</h2>
        </section>
      )}
      <KeptNote savedAt={first.savedAt} fromDevice={first.fromDevice} />
      {!first.data && <ProblemNote error={first.error} />}
      <Loading when={first.loading && !first.data}>
        {items.length === 0 ? (
          <p class="empty">{t.inbox.empty}</p>
        ) : (
          <ul class="list" data-testid="inbox" aria-busy={complete ? undefined : 'true'}>
            {items.slice(0, shown).map((a) => (
              <InboxItem key={a.assignment_id} a={a} />
            ))}
          </ul>
        )}
      </Loading>
      <ProblemNote error={moreError} />
      {next && (
        <button type="button" class="button wide" disabled={loadingMore} onClick={() => void loadMore()}>
          {loadingMore ? t.loading : t.more}
        </button>
      )}
    </section>
  );
}

function InboxItem({ a }: { a: Assignment }) {
  return (
    <li class={`item ${a.status === 'sent' ? 'is-unread' : ''}`}>
      <a class="item-link" href={`/surat/${a.letter_id}?tugas=${a.assignment_id}`}>
        <span class="item-title">{a.letter.subject ?? a.letter.agenda_label}</span>
        <span class="item-meta">
          {a.letter.sender_agency ?? ''} · {a.letter.agenda_label}
        </span>
        <AssignmentBadges a={a} />
        {a.deadline && (
          <span class="item-meta">
            {t.inbox.deadline}: {dateTime(a.deadline)}
          </span>
        )}
      </a>
    </li>
  );
}

/** How many of `total` items to render: the first screen at once, then CHUNK more per task
 *  (a new `from`, a new page from the API, starts again from the first screen). */
function useProgressive(total: number, from: unknown): number {
  const [state, setState] = useState({ from, shown: FIRST_SCREEN });
  const shown = state.from === from ? state.shown : FIRST_SCREEN;
  useEffect(() => {
    if (shown >= total) return;
    const timer = setTimeout(() => setState({ from, shown: shown + CHUNK }), 0);
    return () => clearTimeout(timer);
  }, [from, shown, total]);
  return Math.min(shown, total);
}

/** Pull down at the top of the page to refresh (touch screens). */
function usePullToRefresh(refresh: () => Promise<void>) {
  const start = useRef<number | null>(null);
  return {
    onTouchStart: (e: TouchEvent) => {
      start.current = window.scrollY === 0 ? (e.touches[0]?.clientY ?? null) : null;
    },
    onTouchEnd: (e: TouchEvent) => {
      const from = start.current;
      start.current = null;
      const to = e.changedTouches[0]?.clientY;
      if (from !== null && to !== undefined && to - from > 80) void refresh();
    },
  };
}
