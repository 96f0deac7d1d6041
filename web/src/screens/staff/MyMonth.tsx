// Bulan saya: his month day by day (status, TL/PSW bands, first in and last out, check-ins
// waiting for review), and his own TPP explanation of that month, day by day, in Rupiah, once
// BKPSDM's report has computed it.

import { useState } from 'preact/hooks';
import { ApiError, ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date, ZONE } from '../../lib/format';
import { s } from '../../strings.staff';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/staff.css';

type MonthView = Schemas['MonthView'];
type Day = Schemas['AttendanceDay'];
type Explanation = Schemas['Explanation'];
const w = s.month;

const monthName = new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('id-ID', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });

/** This month in WITA, YYYY-MM. */
export function thisMonth(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

/** The month `delta` months from `month` (YYYY-MM). */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

function label(month: string): string {
  return monthName.format(new Date(`${month}-01T00:00:00Z`));
}

function time(value: string | null | undefined): string {
  return value ? timeFmt.format(new Date(value)) : '–';
}

export function MyMonth() {
  const { api, user, me } = useApp();
  const [month, setMonth] = useState(thisMonth());
  const view = useKept<MonthView>(`${user}:attendance:${month}`, () =>
    ok(api.GET('/attendance/me', { params: { query: { month } } })),
  );
  const nip = me?.employee.nip ?? null;
  const days = view.data?.month === month ? view.data.days : [];
  return (
    <section class="screen staff">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={view.loading} onClick={() => void view.reload()} />
      </div>
      <nav class="month-nav" aria-label={w.title}>
        <button type="button" class="button quiet" onClick={() => setMonth(shiftMonth(month, -1))}>
          ‹ <span class="visually-hidden">{w.previous}</span>
        </button>
        <h2 data-testid="month">{label(month)}</h2>
        <button
          type="button"
          class="button quiet"
          disabled={month >= thisMonth()}
          onClick={() => setMonth(shiftMonth(month, 1))}
        >
          › <span class="visually-hidden">{w.next}</span>
        </button>
      </nav>
      <KeptNote savedAt={view.savedAt} fromDevice={view.fromDevice} />
      <ProblemNote error={!view.data ? view.error : undefined} />
      <Loading when={view.loading && !view.data}>
        <h2>{w.days}</h2>
        {days.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="days" data-testid="days">
            {days.map((d) => (
              <DayRow key={d.day} d={d} />
            ))}
          </ul>
        )}
      </Loading>
      {nip && <Tpp month={month} nip={nip} />}
    </section>
  );
}

function DayRow({ d }: { d: Day }) {
  const source = d.sources;
  return (
    <li class={d.status} data-day={d.day}>
      <div class="day-head">
        <strong>{date(d.day)}</strong>
        <span>
          {d.leave_type ? s.leaveType[d.leave_type] : d.day_off_name ?? s.dayStatus[d.status]}
          {d.correction && <span class="badge quiet">{w.corrected}</span>}
        </span>
      </div>
      {(d.first_in || d.last_out) && (
        <div class="item-meta">
          {w.in} {time(d.first_in)} · {w.out} {time(d.last_out)}
          {source && source.length > 0 && ` · ${source.map((x) => w.source[x] ?? x).join(', ')}`}
        </div>
      )}
      {d.late_band && <div>{w.late(d.late_band, d.minutes_late ?? 0)}</div>}
      {d.early_band && <div>{w.early(d.early_band, d.minutes_early ?? 0)}</div>}
      {(d.pending_checkins ?? 0) > 0 && <div class="warn-text">{w.pending(d.pending_checkins!)}</div>}
    </li>
  );
}

function Tpp({ month, nip }: { month: string; nip: string }) {
  const { api, user } = useApp();
  const tpp = useKept<Explanation>(`${user}:tpp:${month}`, () =>
    ok(api.GET('/tpp/reports/{month}/employees/{nip}', { params: { path: { month, nip } } })),
  );
  const missing = tpp.error instanceof ApiError && tpp.error.status === 404;
  const e = tpp.data?.month === month ? tpp.data : undefined;
  return (
    <section class="card" aria-labelledby="tpp-title">
      <h2 id="tpp-title">{w.tpp}</h2>
      {missing && !e && <p class="empty">{w.tppNone}</p>}
      {!missing && !e && <ProblemNote error={tpp.error} />}
      <Loading when={tpp.loading && !e}>
        {e && (
          <>
            <p class="item-meta">{w.tppVersion(e.version, `${e.rule_set.name} v${e.rule_set.version}`)}</p>
            <dl class="tpp-sum" data-testid="tpp">
              <dt>{w.tppAmount}</dt>
              <dd>{s.rupiah(e.employee.tpp_amount)}</dd>
              <dt>{w.tppPercent}</dt>
              <dd>{e.employee.total_percent}%</dd>
              <dt>{w.tppDeduction}</dt>
              <dd>{s.rupiah(e.employee.deduction)}</dd>
              <dt>{w.tppPaid}</dt>
              <dd>{s.rupiah(e.employee.paid)}</dd>
            </dl>
            <ul class="days">
              {(e.employee.days ?? [])
                .filter((d) => d.working)
                .map((d) => (
                  <li key={d.day} class={d.status}>
                    <div class="day-head">
                      <strong>{date(d.day)}</strong>
                      <span>
                        {w.tppDay(d.percent)} ·{' '}
                        {s.rupiah(Math.round((e.employee.tpp_amount * Number(d.percent)) / 100))}
                      </span>
                    </div>
                    <div class="item-meta">{d.note}</div>
                  </li>
                ))}
            </ul>
          </>
        )}
      </Loading>
    </section>
  );
}
