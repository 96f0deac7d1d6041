// Aturan TPP: every published version (oldest first, as the API lists them), each opened to
// read; two picked to compare side by side; a new version published from one.

import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { ok } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date, dateTime } from '../../lib/format';
import { r } from '../../strings.hr';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

const w = r.rules;

export function RuleSets() {
  const { api, user } = useApp();
  const { route } = useLocation();
  const list = useKept(`${user}:rule-sets`, () => ok(api.GET('/tpp/rule-sets')));
  const items = list.data ?? [];
  const newest = items[items.length - 1]?.version;
  const [left, setLeft] = useState<number | null>(null);
  const [right, setRight] = useState<number | null>(null);
  useEffect(() => {
    if (items.length === 0 || left !== null) return;
    setLeft(items[Math.max(0, items.length - 2)]!.version);
    setRight(items[items.length - 1]!.version);
  }, [items.length]);
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={list.loading} onClick={() => void list.reload()} />
      </div>
      <p class="hint">{w.lead}</p>
      <KeptNote savedAt={list.savedAt} fromDevice={list.fromDevice} />
      <ProblemNote error={!list.data ? list.error : undefined} />
      <Loading when={list.loading && !list.data}>
        {items.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <>
            <ul class="list" data-testid="rule-sets">
              {items
                .slice()
                .reverse()
                .map((rule) => (
                  <li key={rule.version} class="item">
                    <a class="item-link" href={`/tpp/aturan/${rule.version}`}>
                      <span class="item-title">
                        {w.version(rule.version)}: {rule.name}
                      </span>
                      <span>{w.effective(date(rule.effective_from))}</span>
                      <span class="item-meta">{w.publishedBy(rule.published_by, dateTime(rule.published_at))}</span>
                    </a>
                  </li>
                ))}
            </ul>
            {items.length > 1 && left !== null && right !== null && (
              <form
                class="card"
                aria-labelledby="compare-title"
                onSubmit={(e) => {
                  e.preventDefault();
                  route(`/tpp/aturan/banding?a=${left}&b=${right}`);
                }}
              >
                <h2 id="compare-title">{w.compare}</h2>
                <div class="form-grid">
                  {(
                    [
                      ['cmp-a', w.left, left, setLeft],
                      ['cmp-b', w.right, right, setRight],
                    ] as const
                  ).map(([id, label, value, set]) => (
                    <div class="field" key={id}>
                      <label for={id}>{label}</label>
                      <select id={id} value={String(value)} onChange={(e) => set(Number((e.currentTarget as HTMLSelectElement).value))}>
                        {items.map((rule) => (
                          <option key={rule.version} value={String(rule.version)}>
                            {w.version(rule.version)}: {rule.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </div>
                <button type="submit" class="button primary">
                  {w.compareGo}
                </button>
              </form>
            )}
            {newest !== undefined && (
              <a class="button" href={`/tpp/aturan/baru?dari=${newest}`}>
                {w.newVersion}
              </a>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}
