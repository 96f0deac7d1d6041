// Kalender kerja: a year's days off (national holidays, cuti bersama, regional ones) and its
// Ramadan period, edited as one list and saved whole (PUT /calendar/{year} replaces the year).

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date, dateTime } from '../../lib/format';
import { a } from '../../strings.admin';
import { Loading, ProblemNote } from '../../ui/bits';
import { SaveButton, useWrite } from './shared';
import './admin.css';

type YearCalendar = Schemas['YearCalendar'];
type DayOff = Schemas['DayOff'];
type Kind = Schemas['DayOffKind'];
const w = a.calendar;
const KINDS: Kind[] = ['national', 'cuti_bersama', 'regional'];

export function Calendar() {
  const { api, user } = useApp();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  // Outside the form: a save reloads the year, and the form starts again from what was stored.
  const [saved, setSaved] = useState(false);
  const calendar = useKept<YearCalendar>(`${user}:admin:calendar:${year}`, () =>
    ok(api.GET('/calendar/{year}', { params: { path: { year } } })),
  );
  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
      </div>
      <p class="item-meta">{w.lead}</p>
      <div class="field">
        <label for="calendar-year">{w.year}</label>
        <select id="calendar-year" value={String(year)} onChange={(e) => {
          setSaved(false);
          setYear(Number(e.currentTarget.value));
        }}>
          {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <ProblemNote error={!calendar.data ? calendar.error : undefined} />
      <Loading when={calendar.loading && !calendar.data}>
        {calendar.data && calendar.data.year === year && (
          <CalendarForm key={`${year}:${calendar.data.updated_at ?? ''}`} calendar={calendar.data} onSaved={() => {
            setSaved(true);
            void calendar.reload();
          }} />
        )}
      </Loading>
      {saved && <p class="notice" role="status">{a.saved}</p>}
    </section>
  );
}

function CalendarForm({ calendar, onSaved }: { calendar: YearCalendar; onSaved(): void }) {
  const { api } = useApp();
  const [days, setDays] = useState<DayOff[]>(() => [...(calendar.days_off ?? [])].sort((x, y) => x.on.localeCompare(y.on)));
  const [first, setFirst] = useState(calendar.ramadan?.first ?? '');
  const [last, setLast] = useState(calendar.ramadan?.last ?? '');
  const write = useWrite();
  const change = (i: number, part: Partial<DayOff>) => setDays((d) => d.map((day, j) => (j === i ? { ...day, ...part } : day)));
  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      const body = {
        days_off: days.map((d) => ({ on: d.on, name: d.name.trim(), kind: d.kind ?? 'national' })),
        ramadan: first && last ? { first, last } : null,
      };
      await ok(api.PUT('/calendar/{year}', { params: { path: { year: calendar.year } }, body }));
      onSaved();
    });
  };
  return (
    <form onSubmit={save} data-testid="calendar-form">
      <p class="item-meta">
        {calendar.configured
          ? calendar.updated_at && w.updated(dateTime(calendar.updated_at), calendar.updated_by ?? '–')
          : w.notConfigured}
      </p>
      <p class="item-meta">{w.days(days.length)}</p>
      {days.length === 0 && <p class="empty">{w.empty}</p>}
      <ul class="list" data-testid="days-off">
        {days.map((d, i) => (
          <li key={i} class="item inline-form" data-on={d.on}>
            <div class="field">
              <label for={`day-${i}-on`}>{w.date}</label>
              <input id={`day-${i}-on`} type="date" required min={`${calendar.year}-01-01`} max={`${calendar.year}-12-31`}
                value={d.on} onInput={(e) => change(i, { on: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for={`day-${i}-name`}>{w.name}</label>
              <input id={`day-${i}-name`} required minLength={2} maxLength={200} value={d.name}
                onInput={(e) => change(i, { name: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for={`day-${i}-kind`}>{w.kind}</label>
              <select id={`day-${i}-kind`} value={d.kind ?? 'national'} onChange={(e) => change(i, { kind: e.currentTarget.value as Kind })}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {w.kinds[k]}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" class="button quiet" onClick={() => setDays((all) => all.filter((_, j) => j !== i))}>
              {w.remove(d.name || date(d.on))}
            </button>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="button secondary"
          onClick={() => setDays((all) => [...all, { on: `${calendar.year}-01-01`, name: '', kind: 'national' }])}>
          {w.addDay}
        </button>
      </div>
      <fieldset>
        <legend>{w.ramadan}</legend>
        <div class="inline-form">
          <div class="field">
            <label for="ramadan-first">{w.ramadanFirst}</label>
            <input id="ramadan-first" type="date" value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="ramadan-last">{w.ramadanLast}</label>
            <input id="ramadan-last" type="date" value={last} onInput={(e) => setLast(e.currentTarget.value)} />
          </div>
        </div>
      </fieldset>
      <ProblemNote error={write.problem} />
      <div class="actions">
        <SaveButton busy={write.busy} />
      </div>
    </form>
  );
}
