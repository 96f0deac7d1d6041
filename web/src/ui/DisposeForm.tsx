// The dispose form, in a few taps: recipients from the organisation within reach (their units'
// heads, the people of one's unit), tembusan, the instruction checklist, a note, and the
// deadline the server will compute from urgensi in working time (or one's own date). Used to
// dispose, and to change a disposition the clerk prepared.

import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  ok,
  type DispositionContent,
  type DispositionSettings,
  type Recipient,
  type Recipients,
  type ScheduleOverview,
  type Urgensi,
  type YearCalendar,
} from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { kept, type Kept } from '../offline/cache';
import { proposedDeadline, witaInstant, workingTime, yearsAhead } from '../lib/deadline';
import { longDateTime } from '../lib/format';
import { t } from '../strings';
import { KeptNote, ProblemNote } from './bits';

interface Choice {
  key: string;
  recipient: Recipient;
  label: string;
  detail: string;
}

function choicesOf(r: Recipients | undefined): Choice[] {
  if (!r) return [];
  return [
    ...r.units.map((u) => ({
      key: `unit:${u.unit_id}`,
      recipient: { unit_id: u.unit_id },
      label: u.name,
      detail: 'Kepala unit',
    })),
    ...r.people.map((p) => ({
      key: `nip:${p.nip}`,
      recipient: { nip: p.nip },
      label: p.name,
      detail: p.position_name ?? p.nip,
    })),
  ];
}

const keyOf = (r: Recipient) => (r.unit_id ? `unit:${r.unit_id}` : `nip:${r.nip}`);

export interface DisposeFormProps {
  urgensi: Urgensi | undefined;
  parentDeadline?: string | null;
  initial?: Partial<DispositionContent>;
  /** Who the recipients are chosen for (a Plt's absent head), for the recipient list. */
  onBehalfOf?: string | null;
  /** The letter disposed (and the assignment forwarded): the reach is the one the API checks
   * when disposing it (a Plt./Plh. of a vacant post reaches the unit he acts for). */
  letterId?: string;
  parentAssignmentId?: string | null;
  submitLabel: string;
  busy: boolean;
  onSubmit(content: DispositionContent): void;
}

export function DisposeForm(props: DisposeFormProps) {
  const { api, user } = useApp();
  const who = props.onBehalfOf ?? 'self';
  const general = `${user}:recipients:${who}`;
  const forLetter = props.letterId
    ? `${general}:${props.letterId}${props.parentAssignmentId ? `:${props.parentAssignmentId}` : ''}`
    : general;
  const asked = useKept<Recipients>(forLetter, () =>
    ok(
      api.GET('/me/recipients', {
        params: {
          query: {
            on_behalf_of: props.onBehalfOf ?? undefined,
            letter_id: props.letterId,
            parent_assignment_id: props.parentAssignmentId ?? undefined,
          },
        },
      }),
    ),
  );
  // Offline, for a letter not opened in this form before: the reach kept at start (his unit's,
  // or the absent head's); the API checks the recipients when the disposition goes.
  const [fallback, setFallback] = useState<Kept<Recipients> | undefined>(undefined);
  const offline = !asked.data && asked.error !== undefined && !(asked.error instanceof ApiError);
  useEffect(() => {
    if (!offline || forLetter === general) return;
    void kept<Recipients>(general).then(setFallback, () => undefined);
  }, [offline, forLetter, general]);
  const reach =
    offline && fallback
      ? { ...asked, data: fallback.value, savedAt: fallback.savedAt, fromDevice: true }
      : asked;
  const settings = useKept<DispositionSettings>(`${user}:settings`, () => ok(api.GET('/dispositions/settings')));
  const now = useMemo(() => Date.now(), []);
  const years = yearsAhead(now);
  const calendars = useKept<YearCalendar[]>(`${user}:calendars:${years.join(',')}`, () =>
    Promise.all(years.map((year) => ok(api.GET('/calendar/{year}', { params: { path: { year } } })))),
  );
  const schedule = useKept<ScheduleOverview>(`${user}:schedules`, () => ok(api.GET('/attendance/schedules')));

  const [to, setTo] = useState<Recipient[]>(props.initial?.recipients ?? []);
  const [cc, setCc] = useState<Recipient[]>(props.initial?.tembusan ?? []);
  const [instructions, setInstructions] = useState<string[]>(props.initial?.instructions ?? []);
  const [note, setNote] = useState(props.initial?.note ?? '');
  const [ownDate, setOwnDate] = useState<string>(props.initial?.deadline ? props.initial.deadline.slice(0, 10) : '');
  const [useOwn, setUseOwn] = useState(Boolean(props.initial?.deadline));
  const [search, setSearch] = useState('');
  const [tried, setTried] = useState(false);

  const all = choicesOf(reach.data);
  const byKey = new Map(all.map((c) => [c.key, c]));
  const needle = search.trim().toLowerCase();
  const shown = needle ? all.filter((c) => `${c.label} ${c.detail}`.toLowerCase().includes(needle)) : all;

  const wt = calendars.data ? workingTime(calendars.data, schedule.data?.default.schedule) : null;
  const proposal = wt
    ? proposedDeadline(now, props.urgensi, settings.data, wt, props.parentDeadline)
    : null;

  const toggle = (list: Recipient[], set: (r: Recipient[]) => void, r: Recipient) => {
    const k = keyOf(r);
    set(list.some((x) => keyOf(x) === k) ? list.filter((x) => keyOf(x) !== k) : [...list, r]);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (to.length === 0 || instructions.length === 0) return;
    let deadline: string | null = null;
    if (useOwn) {
      // The user's own date is never dropped silently: without it (or without the working
      // calendars to place it in), nothing is sent and the form says why.
      if (!ownDate || !wt) return;
      deadline = new Date(witaInstant(ownDate, wt.closes(ownDate))).toISOString();
    }
    props.onSubmit({
      recipients: to,
      tembusan: cc.filter((c) => !to.some((x) => keyOf(x) === keyOf(c))),
      instructions,
      note: note.trim() || null,
      deadline,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <KeptNote savedAt={reach.savedAt} fromDevice={reach.fromDevice} />
      <ProblemNote error={!reach.data ? reach.error : undefined} />
      <fieldset>
        <legend>{t.dispose.to}</legend>
        <p class="hint">{t.dispose.toHint}</p>
        <Chosen list={to} byKey={byKey} onRemove={(r) => toggle(to, setTo, r)} />
        <div class="field">
          <label for="recipient-search">{t.dispose.search}</label>
          <input id="recipient-search" type="search" value={search} onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="choices" role="group" aria-label={t.dispose.to} data-testid="recipients">
          {shown.map((c) => (
            <label key={c.key} class="check">
              <input
                type="checkbox"
                checked={to.some((x) => keyOf(x) === c.key)}
                onChange={() => toggle(to, setTo, c.recipient)}
              />
              <span>
                {c.label} <span class="hint">· {c.detail}</span>
              </span>
            </label>
          ))}
        </div>
        {tried && to.length === 0 && (
          <p class="problem" role="alert">
            {t.dispose.needRecipient}
          </p>
        )}
      </fieldset>
      <details>
        <summary class="button quiet">{t.dispose.tembusan} ({cc.length})</summary>
        <fieldset>
          <legend>{t.dispose.tembusan}</legend>
          <div class="choices" role="group" aria-label={t.dispose.tembusan}>
            {shown.map((c) => (
              <label key={c.key} class="check">
                <input
                  type="checkbox"
                  checked={cc.some((x) => keyOf(x) === c.key)}
                  onChange={() => toggle(cc, setCc, c.recipient)}
                />
                <span>{c.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </details>
      <fieldset>
        <legend>{t.dispose.instructions}</legend>
        {(settings.data?.instructions ?? []).map((i) => (
          <label key={i.code} class="check">
            <input
              type="checkbox"
              value={i.code}
              checked={instructions.includes(i.code)}
              onChange={() =>
                setInstructions(
                  instructions.includes(i.code) ? instructions.filter((c) => c !== i.code) : [...instructions, i.code],
                )
              }
            />
            {i.label}
          </label>
        ))}
        {tried && instructions.length === 0 && (
          <p class="problem" role="alert">
            {t.dispose.needInstruction}
          </p>
        )}
      </fieldset>
      <div class="field">
        <label for="dispose-note">{t.dispose.note}</label>
        <textarea id="dispose-note" value={note} maxLength={2000} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      <fieldset>
        <legend>{t.dispose.deadline}</legend>
        {proposal !== null && (
          <p data-testid="deadline-proposal">{t.dispose.deadlineProposed(longDateTime(new Date(proposal)))}</p>
        )}
        <p class="hint">{t.dispose.deadlineServer}</p>
        <label class="check">
          <input type="checkbox" checked={useOwn} onChange={() => setUseOwn(!useOwn)} />
          {t.dispose.deadlineOwn}
        </label>
        {useOwn && (
          <div class="field">
            <label for="own-deadline">{t.dispose.deadline}</label>
            <input id="own-deadline" type="date" value={ownDate} onInput={(e) => setOwnDate((e.currentTarget as HTMLInputElement).value)} />
          </div>
        )}
        {tried && useOwn && !ownDate && (
          <p class="problem" role="alert">
            {t.dispose.needOwnDate}
          </p>
        )}
        {tried && useOwn && ownDate && !wt && (
          <p class="problem" role="alert">
            {t.dispose.noCalendars}
          </p>
        )}
      </fieldset>
      <button type="submit" class="button primary big" disabled={props.busy}>
        {props.busy ? t.dispose.sending : props.submitLabel}
      </button>
    </form>
  );
}

function Chosen({
  list,
  byKey,
  onRemove,
}: {
  list: Recipient[];
  byKey: Map<string, Choice>;
  onRemove(r: Recipient): void;
}) {
  if (list.length === 0) return null;
  return (
    <div class="chosen" data-testid="chosen">
      {list.map((r) => {
        const c = byKey.get(keyOf(r));
        const name = c?.label ?? r.nip ?? r.unit_id ?? '';
        return (
          <span key={keyOf(r)} class="chip">
            {name}
            <button type="button" aria-label={`Hapus ${name}`} onClick={() => onRemove(r)}>
              ×
            </button>
          </span>
        );
      })}
    </div>
  );
}
