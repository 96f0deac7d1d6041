// Ikhtisar: for leaders, per unit below: open, overdue and done assignments, and the median
// hours to done, as two bar charts (HTML bars) and the same figures as a table (what a
// screen reader reads; the charts are hidden from it).

import { useState } from 'preact/hooks';
import { ok, type DispositionsSummary, type UnitCounts } from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { date } from '../lib/format';
import { t } from '../strings';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../ui/bits';

export function Overview() {
  const { api, user, me } = useApp();
  const [since, setSince] = useState<string>('');
  const summary = useKept<DispositionsSummary>(`${user}:overview:${since}`, () =>
    ok(api.GET('/dispositions/summary', { params: { query: { since: since || undefined } } })),
  );
  const s = summary.data;
  const units = (s?.units ?? []).slice().sort((a, b) => b.overdue - a.overdue || a.unit_name.localeCompare(b.unit_name));
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{t.overview.title}</h1>
        <RefreshButton busy={summary.loading} onClick={() => void summary.reload()} />
      </div>
      <p class="hint">{me?.unit.name}</p>
      <div class="filters">
        <label class="inline" for="since">
          {t.overview.since}
        </label>
        <input id="since" type="date" value={since || s?.since || ''} onChange={(e) => setSince((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <KeptNote savedAt={summary.savedAt} fromDevice={summary.fromDevice} />
      <ProblemNote error={!s ? summary.error : undefined} />
      <Loading when={summary.loading && !s}>
        {s && (
          <>
            <div class="two-col">
              <figure class="card chart">
                <figcaption>
                  <h2>{t.overview.chartOverdue}</h2>
                </figcaption>
                <BarChart rows={units} value={(u) => u.overdue} format={(v) => String(v)} color="#a61b1b" />
              </figure>
              <figure class="card chart">
                <figcaption>
                  <h2>{t.overview.chartMedian}</h2>
                </figcaption>
                <BarChart
                  rows={units.filter((u) => u.median_hours_to_done !== null)}
                  value={(u) => u.median_hours_to_done ?? 0}
                  format={(v) => t.overview.hours(v)}
                  color="#0b5394"
                />
              </figure>
            </div>
            <div class="card scroll-x" tabIndex={0} role="region" aria-label={t.overview.title}>
              <table data-testid="overview-table">
                <caption class="visually-hidden">
                  {t.overview.title} {t.overview.since.toLowerCase()} {date(s.since)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t.overview.unit}</th>
                    <th scope="col" class="num">{t.overview.open}</th>
                    <th scope="col" class="num">{t.overview.overdue}</th>
                    <th scope="col" class="num">{t.overview.done}</th>
                    <th scope="col" class="num">{t.overview.median}</th>
                  </tr>
                </thead>
                <tbody>
                  {units.map((u) => (
                    <Row key={u.unit_id} u={u} />
                  ))}
                </tbody>
                <tfoot>
                  <Row u={{ ...s.total, unit_name: t.overview.total }} header />
                </tfoot>
              </table>
            </div>
          </>
        )}
      </Loading>
    </section>
  );
}

function Row({ u, header }: { u: UnitCounts; header?: boolean }) {
  const Cell = header ? 'th' : 'td';
  return (
    <tr>
      <th scope="row">{u.unit_name}</th>
      <Cell class="num">{u.open}</Cell>
      <Cell class="num">{u.overdue}</Cell>
      <Cell class="num">{u.done}</Cell>
      <Cell class="num">{u.median_hours_to_done === null ? t.overview.none : t.overview.hours(u.median_hours_to_done)}</Cell>
    </tr>
  );
}

/** Horizontal bars, one per unit; the table above carries the figures for assistive tech. */
export function BarChart({
  rows,
  value,
  format,
  color,
}: {
  rows: UnitCounts[];
  value: (u: UnitCounts) => number;
  format: (v: number) => string;
  color: string;
}) {
  if (rows.length === 0) return <p class="empty">{t.overview.none}</p>;
  // HTML, not SVG: the labels are text at the page's own size (an SVG scaled to a narrow column
  // shrank them below 10 px on a tablet); the bar is a width in per cent of the widest.
  const max = Math.max(1, ...rows.map(value));
  return (
    <div class="bars" aria-hidden="true">
      {rows.map((u) => {
        const v = value(u);
        return (
          <div class="bar-row" key={u.unit_id}>
            <span class="bar-label" title={u.unit_name}>
              {u.unit_name}
            </span>
            <span class="bar-track">
              <span
                class="bar"
                style={{ width: `${(100 * v) / max}%`, minWidth: v > 0 ? '2px' : '0', background: color }}
              />
              <span class="bar-value">{format(v)}</span>
            </span>
          </div>
        );
      })}
    </div>
  );
}
