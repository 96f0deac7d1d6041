// Hari ini di unit: a head's unit on one day (who is in, late, absent, on leave; counts and the
// list), a day picker, and each person's day opening his day detail. The units offered are the
// ones he heads or acts for and those below (the API decides again: 403 not_your_unit).

import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ok, type Unit } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { addDays, todayWita } from '../../lib/months';
import { clock, countDay, groupsOf, visibleUnits, type DayGroup, type StaffDay } from '../../lib/unitDay';
import { date } from '../../lib/format';
import { h } from '../../strings.heads';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

const w = h.unitDay;
const GROUPS: DayGroup[] = ['in', 'late', 'absent', 'leave', 'other'];
const GROUP_WORD: Record<DayGroup, string> = { in: w.in, late: w.late, absent: w.absent, leave: w.onLeave, other: w.other };

export function UnitDay() {
  const { api, user, me, acting } = useApp();
  const { query, route } = useLocation();
  const units = useKept<Unit[]>(`${user}:units`, () => ok(api.GET('/units')));
  const choices = me && units.data ? visibleUnits(me, units.data) : [];
  const unitId = query['unit'] || acting?.unitId || choices[0]?.unit_id || '';
  const day = query['tanggal'] || todayWita();
  const [filter, setFilter] = useState<DayGroup | 'all'>('all');
  const go = (next: { unit?: string; tanggal?: string }) => {
    const params = new URLSearchParams({ unit: next.unit ?? unitId, tanggal: next.tanggal ?? day });
    route(`/unit?${params.toString()}`, true);
  };
  const unitDay = useKept(unitId ? `${user}:unit-day:${unitId}:${day}` : null, () =>
    ok(api.GET('/attendance', { params: { query: { unit: unitId, date: day } } })),
  );
  const people = (unitDay.data?.employees ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
  const counts = countDay(people);
  const shown = filter === 'all' ? people : people.filter((p) => groupsOf(p).includes(filter));
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={unitDay.loading} onClick={() => void unitDay.reload()} />
      </div>
      <ProblemNote error={!units.data ? units.error : undefined} />
      {units.data && choices.length === 0 && <p class="empty">{w.noUnits}</p>}
      <div class="filters">
        {choices.length > 1 && (
          <div class="field">
            <label for="unit-pick">{w.unit}</label>
            <select id="unit-pick" value={unitId} onChange={(e) => go({ unit: (e.currentTarget as HTMLSelectElement).value })}>
              {choices.map((u) => (
                <option key={u.unit_id} value={u.unit_id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="day-pick">{w.day}</label>
          <div class="stepper">
            <button type="button" class="button" aria-label={w.previous} onClick={() => go({ tanggal: addDays(day, -1) })}>
              ‹
            </button>
            <input id="day-pick" type="date" value={day} max={todayWita()} onChange={(e) => {
              const value = (e.currentTarget as HTMLInputElement).value;
              if (value) go({ tanggal: value });
            }} />
            <button type="button" class="button" aria-label={w.next} disabled={day >= todayWita()} onClick={() => go({ tanggal: addDays(day, 1) })}>
              ›
            </button>
          </div>
        </div>
      </div>
      <p class="hint">{date(day)}</p>
      <KeptNote savedAt={unitDay.savedAt} fromDevice={unitDay.fromDevice} />
      <ProblemNote error={!unitDay.data ? unitDay.error : undefined} />
      <Loading when={unitDay.loading && !unitDay.data}>
        {unitDay.data && (
          <>
            <h2 class="visually-hidden">{w.counts}</h2>
            <div class="segmented" role="group" aria-label={w.filter} data-testid="day-counts">
              <button type="button" class="button count-button" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
                {w.all} <strong>{people.length}</strong>
              </button>
              {GROUPS.map((g) => (
                <button key={g} type="button" class={`button count-button ${g}`} aria-pressed={filter === g} data-testid={`count-${g}`} onClick={() => setFilter(g)}>
                  {GROUP_WORD[g]} <strong>{counts[g]}</strong>
                </button>
              ))}
            </div>
            {shown.length === 0 ? (
              <p class="empty">{w.empty}</p>
            ) : (
              <ul class="list" data-testid="unit-day">
                {shown.map((p) => (
                  <Person key={p.nip} p={p} />
                ))}
              </ul>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}

function Person({ p }: { p: StaffDay }) {
  const late = (p.minutes_late ?? 0) > 0;
  return (
    <li class="item">
      <a class="item-link" href={`/unit/${p.nip}/${p.day}`}>
        <span class="item-title">{p.name}</span>
        <span class="badges">
          <span class={`badge day-status ${p.status}`}>
            {p.status === 'leave' && p.leave_type ? h.leaveType[p.leave_type] : h.dayStatus[p.status]}
          </span>
          {late && <span class="badge late">{w.lateBy(p.minutes_late ?? 0, p.late_band)}</span>}
          {(p.minutes_early ?? 0) > 0 && <span class="badge late">{w.earlyBy(p.minutes_early ?? 0, p.early_band)}</span>}
          {p.correction && <span class="badge quiet">{w.corrected}</span>}
        </span>
        <span class="item-meta">
          {p.first_in && w.arrived(clock(p.first_in))}
          {p.first_in && p.last_out && ' · '}
          {p.last_out && w.left(clock(p.last_out))}
          {(p.pending_checkins ?? 0) > 0 && ` · ${w.pending(p.pending_checkins ?? 0)}`}
        </span>
      </a>
    </li>
  );
}
