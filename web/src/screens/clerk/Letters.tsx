// Agenda surat masuk: a unit's letters by the list's filters (GET /letters: status, sifat,
// classification code or its prefix, sender, received between two dates), newest first. The
// filters live in the address, so a clerk can keep or share a search. A page may hold fewer
// letters than asked (those the caller may not see are left out): "more" follows next_cursor.

import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ok, type Letter, type Schemas, type Sifat } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date } from '../../lib/format';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { KeptNote, Loading, ProblemNote, UrgensiBadge } from '../../ui/bits';

type Page = Schemas['Page_Letter_'];
type LetterStatus = Schemas['LetterStatus'];

export const FILTERS = ['status', 'sifat', 'classification', 'sender', 'received_from', 'received_to'] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The filters as the list route's query (empty ones left out). */
export function listQuery(filters: Filters, cursor?: string): Record<string, string | number> {
  const query: Record<string, string | number> = { limit: 30 };
  for (const key of FILTERS) {
    const value = filters[key]?.trim();
    if (value) query[key] = value;
  }
  if (cursor) query['cursor'] = cursor;
  return query;
}

export function Letters() {
  const { api, user } = useApp();
  const { query, route, path } = useLocation();
  const applied: Filters = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ''])) as Filters;
  const [form, setForm] = useState<Filters>(applied);
  const key = `${user}:letters:${new URLSearchParams(listQuery(applied) as Record<string, string>).toString()}`;
  const page = useKept<Page>(key, () => ok(api.GET('/letters', { params: { query: listQuery(applied) as never } })));
  const [more, setMore] = useState<{ items: Letter[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);

  const apply = (e: Event) => {
    e.preventDefault();
    setMore(null);
    const q = new URLSearchParams();
    for (const k of FILTERS) if (form[k]?.trim()) q.set(k, form[k]!.trim());
    route(`${path}${q.toString() ? `?${q}` : ''}`);
  };
  const next = more ? more.cursor : page.data?.next_cursor;
  const loadMore = async () => {
    if (!next) return;
    setMoreError(null);
    try {
      const p = await ok(api.GET('/letters', { params: { query: listQuery(applied, next) as never } }));
      setMore({ items: [...(more?.items ?? []), ...p.items], cursor: p.next_cursor ?? null });
    } catch (error) {
      setMoreError(error);
    }
  };
  const items = [...(page.data?.items ?? []), ...(more?.items ?? [])];
  const set = (k: keyof Filters) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{o.letters.title}</h1>
        <a class="button primary" href="/agenda/baru">
          {o.letters.register}
        </a>
      </div>
      <form class="card filters-form" onSubmit={apply} aria-label={o.letters.filters}>
        <div class="filters">
          <label class="field">
            {o.letters.status}
            <select value={form.status ?? ''} onChange={set('status')}>
              <option value="">{o.letters.any}</option>
              {(Object.keys(o.letterStatus) as LetterStatus[]).map((s) => (
                <option key={s} value={s}>
                  {o.letterStatus[s]}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {o.letters.sifat}
            <select value={form.sifat ?? ''} onChange={set('sifat')}>
              <option value="">{o.letters.any}</option>
              {(Object.keys(t.sifat) as Sifat[]).map((s) => (
                <option key={s} value={s}>
                  {t.sifat[s]}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {o.letters.classification}
            <input type="text" inputMode="decimal" value={form.classification ?? ''} onInput={set('classification')} />
          </label>
          <label class="field">
            {o.letters.sender}
            <input type="search" value={form.sender ?? ''} onInput={set('sender')} />
          </label>
          <label class="field">
            {o.letters.from}
            <input type="date" value={form.received_from ?? ''} onInput={set('received_from')} />
          </label>
          <label class="field">
            {o.letters.to}
            <input type="date" value={form.received_to ?? ''} onInput={set('received_to')} />
          </label>
        </div>
        <button type="submit" class="button primary">
          {o.letters.apply}
        </button>
      </form>
      <KeptNote savedAt={page.savedAt} fromDevice={page.fromDevice} />
      {!page.data && <ProblemNote error={page.error} />}
      <Loading when={page.loading && !page.data}>
        {items.length === 0 ? (
          <p class="empty">{o.letters.empty}</p>
        ) : (
          <ul class="list" data-testid="letters">
            {items.map((l) => (
              <li key={l.letter_id} class="item">
                <a class="item-link" href={`/agenda/${l.letter_id}`}>
                  <span class="item-title">
                    {o.letters.agenda} {l.agenda_number}/{l.agenda_year}: {l.subject ?? '–'}
                  </span>
                  <span class="item-meta">
                    {l.sender_agency ?? '–'} · {l.sender_number ?? '–'} · {t.letter.received} {date(l.received_on)}
                  </span>
                  <span class="badges">
                    <span class={`badge letter-status ${l.status}`}>{o.letterStatus[l.status]}</span>
                    {l.sifat && l.sifat !== 'biasa' && <span class="badge">{t.sifat[l.sifat]}</span>}
                    <UrgensiBadge urgensi={l.urgensi} />
                    {l.classification_code && <span class="badge quiet">{l.classification_code}</span>}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <ProblemNote error={moreError} />
      {next && (
        <button type="button" class="button wide" onClick={() => void loadMore()}>
          {t.more}
        </button>
      )}
    </section>
  );
}
