// Pemberitahuan: what the reader was told (newest first, unread marked); a tap marks it read and
// opens the letter or draft. Below, how he is told: notifications on this device (web push),
// the channels, "urgent only", quiet hours in WITA and his WhatsApp number.

import { useEffect, useState } from 'preact/hooks';
import { ok, type Channel, type NotificationPage, type Preferences } from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { dateTime } from '../lib/format';
import { pushState, turnPushOff, turnPushOn, type PushState } from '../lib/push';
import { t } from '../strings';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../ui/bits';

const w = t.notifications;
const CHANNELS: Channel[] = ['web_push', 'email', 'whatsapp'];

export function Notifications() {
  const { api, user } = useApp();
  const page = useKept<NotificationPage>(`${user}:notifications`, () => ok(api.GET('/me/notifications')));
  const items = page.data?.items ?? [];
  // The link opens the item (the router follows it); marking it read goes on meanwhile, and
  // offline or refused it stays unread in the list.
  const markRead = (notificationId: string) =>
    ok(api.POST('/me/notifications/{notification_id}/read', { params: { path: { notification_id: notificationId } } })).catch(
      () => undefined,
    );
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={page.loading} onClick={() => void page.reload()} />
      </div>
      <KeptNote savedAt={page.savedAt} fromDevice={page.fromDevice} />
      <ProblemNote error={!page.data ? page.error : undefined} />
      {page.data && page.data.unread > 0 && <p class="item-meta">{w.unread(page.data.unread)}</p>}
      <Loading when={page.loading && !page.data}>
        {items.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="list" data-testid="notifications">
            {items.map((n) => (
              <li key={n.notification_id} class={`item ${n.read_at ? '' : 'is-unread'}`}>
                <a class="item-link" href={n.path} onClick={() => void markRead(n.notification_id)}>
                  <span class="item-title">
                    {!n.read_at && <span class="visually-hidden">{w.unreadMark} </span>}
                    {n.title}
                    {n.urgent && <span class="badge urgent amat_segera">{w.urgent}</span>}
                  </span>
                  <span>{n.body}</span>
                  <span class="item-meta">{dateTime(n.created_at)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <Settings />
    </section>
  );
}

function Settings() {
  const { api, user } = useApp();
  const kept = useKept<Preferences>(`${user}:notification-preferences`, () =>
    ok(api.GET('/me/notification-preferences')),
  );
  const [draft, setDraft] = useState<Preferences | null>(null);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [push, setPush] = useState<PushState | null>(null);
  useEffect(() => {
    void pushState().then(setPush);
  }, []);
  useEffect(() => {
    if (kept.data && !draft) setDraft(kept.data);
  }, [kept.data]);
  if (!draft) return <Loading when={true} />;
  const change = (update: Partial<Preferences>) => {
    setSaved(false);
    setDraft({ ...draft, ...update });
  };
  const toggle = (channel: Channel, on: boolean) =>
    change({ channels: on ? [...draft.channels, channel] : draft.channels.filter((c) => c !== channel) });
  const save = async () => {
    setProblem(undefined);
    try {
      const quiet = draft.quiet_hours;
      const body = {
        channels: draft.channels,
        urgent_only: draft.urgent_only,
        whatsapp_number: draft.whatsapp_number ?? '',  // emptied: his number is erased
        quiet_hours: quiet ?? undefined,
        clear_quiet_hours: !quiet,
      };
      setDraft(await ok(api.PUT('/me/notification-preferences', { body })));
      setSaved(true);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <form
      class="panel"
      aria-labelledby="notify-settings"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id="notify-settings">{w.settings}</h2>
      <p class="item-meta">{w.settingsLead}</p>
      <PushSwitch state={push} onChange={setPush} />
      <fieldset>
        <legend>{w.channelsLegend}</legend>
        <p class="item-meta">{w.channelsHint}</p>
        {CHANNELS.map((channel) => (
          <label key={channel} class="check">
            <input
              type="checkbox"
              checked={draft.channels.includes(channel)}
              onChange={(event) => toggle(channel, (event.target as HTMLInputElement).checked)}
            />
            {w.channels[channel]}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          checked={draft.urgent_only ?? false}
          onChange={(event) => change({ urgent_only: (event.target as HTMLInputElement).checked })}
        />
        {w.urgentOnly}
      </label>
      <fieldset>
        <legend>{w.quietHours}</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={!draft.quiet_hours}
            onChange={(event) =>
              change({
                quiet_hours: (event.target as HTMLInputElement).checked ? null : { start: '21:00', end: '06:00' },
              })
            }
          />
          {w.noQuiet}
        </label>
        {draft.quiet_hours && (
          <div class="row">
            <label>
              {w.quietFrom}
              <input
                type="time"
                value={draft.quiet_hours.start.slice(0, 5)}
                onInput={(event) =>
                  change({ quiet_hours: { ...draft.quiet_hours!, start: (event.target as HTMLInputElement).value } })
                }
              />
            </label>
            <label>
              {w.quietUntil}
              <input
                type="time"
                value={draft.quiet_hours.end.slice(0, 5)}
                onInput={(event) =>
                  change({ quiet_hours: { ...draft.quiet_hours!, end: (event.target as HTMLInputElement).value } })
                }
              />
            </label>
          </div>
        )}
      </fieldset>
      <label>
        {w.whatsapp}
        <input
          type="tel"
          inputMode="tel"
          autocomplete="tel"
          value={draft.whatsapp_number ?? ''}
          aria-describedby="wa-hint"
          onInput={(event) => change({ whatsapp_number: (event.target as HTMLInputElement).value })}
        />
      </label>
      <p id="wa-hint" class="item-meta">
        {w.whatsappHint}
      </p>
      <ProblemNote error={problem} />
      {saved && <p role="status">{w.saved}</p>}
      <button type="submit" class="button primary">
        {w.save}
      </button>
    </form>
  );
}

function PushSwitch({ state, onChange }: { state: PushState | null; onChange: (s: PushState) => void }) {
  const { api } = useApp();
  const [problem, setProblem] = useState<unknown>(undefined);
  if (state === null) return null;
  if (state === 'unsupported') return <p class="item-meta">{w.pushUnsupported}</p>;
  if (state === 'denied') return <p class="item-meta">{w.pushDenied}</p>;
  const flip = async () => {
    setProblem(undefined);
    try {
      onChange(state === 'on' ? await turnPushOff(api) : await turnPushOn(api));
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <div>
      {state === 'on' && <p role="status">{w.pushIsOn}</p>}
      <button type="button" class="button" onClick={() => void flip()}>
        {state === 'on' ? w.pushOff : w.pushOn}
      </button>
      <ProblemNote error={problem} />
    </div>
  );
}
