// Surat keluar: what waits on me (a paraf, a signature, my returned drafts; as Plt./Plh. for the
// absent head I stand in for), my drafts, or my unit's outgoing letters (its clerks and head).

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime } from '../../lib/format';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { KeptNote, Loading, ProblemNote, RefreshButton, UrgensiBadge } from '../../ui/bits';

type Page = Schemas['Page_Outgoing_'];
type Box = 'waiting' | 'mine' | 'unit';

export function OutgoingList() {
  const { api, user, actingFor } = useApp();
  const [box, setBox] = useState<Box>('waiting');
  const query = { box, on_behalf_of: box === 'waiting' ? (actingFor ?? undefined) : undefined, limit: 50 };
  const page = useKept<Page>(`${user}:outgoing-list:${box}:${actingFor ?? 'self'}`, () =>
    ok(api.GET('/outgoing', { params: { query } })),
  );
  const boxes: [Box, string][] = [
    ['waiting', o.outgoing.waiting],
    ['mine', o.outgoing.mine],
    ['unit', o.outgoing.unit],
  ];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{o.outgoing.title}</h1>
        <div class="actions">
          <RefreshButton busy={page.loading} onClick={() => void page.reload()} />
          <a class="button primary" href="/surat-keluar/baru">
            {o.outgoing.new}
          </a>
        </div>
      </div>
      <div class="segmented" role="group" aria-label={o.outgoing.title}>
        {boxes.map(([b, label]) => (
          <button key={b} type="button" class={`button ${box === b ? 'primary' : ''}`} aria-pressed={box === b} onClick={() => setBox(b)}>
            {label}
          </button>
        ))}
      </div>
      <KeptNote savedAt={page.savedAt} fromDevice={page.fromDevice} />
      {!page.data && <ProblemNote error={page.error} />}
      <Loading when={page.loading && !page.data}>
        {(page.data?.items ?? []).length === 0 ? (
          <p class="empty">{o.outgoing.empty}</p>
        ) : (
          <ul class="list" data-testid="outgoing-list">
            {(page.data?.items ?? []).map((d) => (
              <li key={d.outgoing_id} class="item">
                <a class="item-link" href={`/surat-keluar/${d.outgoing_id}`}>
                  <span class="item-title">{d.subject}</span>
                  <span class="item-meta">
                    {o.kind[d.kind]} · {d.number ?? d.provisional_number} · {dateTime(d.updated_at)}
                  </span>
                  <span class="badges">
                    <span class={`badge outgoing-status ${d.status}`}>{o.outgoingStatus[d.status]}</span>
                    {d.sifat !== 'biasa' && <span class="badge">{t.sifat[d.sifat]}</span>}
                    <UrgensiBadge urgensi={d.urgensi} />
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </section>
  );
}
