// One person's day for his head (or hr, or himself): the day's status, every check-in with its
// time, distance, accuracy and time source, the corrections and flags. A selfie is fetched only
// when asked, through the selfie link route (which checks who may see it) and shown from a blob.

import { useEffect, useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { fetchBytes } from '../../lib/download';
import { mayCorrect } from '../../lib/permissions';
import { dateTime, date } from '../../lib/format';
import { clock } from '../../lib/unitDay';
import { h } from '../../strings.heads';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

type CheckIn = Schemas['CheckIn'];
const w = h.day;

export function DayDetail({ nip, day }: { nip: string; day: string }) {
  const { api, user, me } = useApp();
  const detail = useKept(`${user}:day:${nip}:${day}`, () =>
    ok(api.GET('/attendance/days/{nip}/{day}', { params: { path: { nip, day } } })),
  );
  const d = detail.data;
  const status = d?.status;
  return (
    <section class="screen">
      <a class="back" href="/unit">
        ← {w.back}
      </a>
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={detail.loading} onClick={() => void detail.reload()} />
      </div>
      <p class="hint">
        NIP {nip} · {date(day)}
      </p>
      <KeptNote savedAt={detail.savedAt} fromDevice={detail.fromDevice} />
      <ProblemNote error={!d ? detail.error : undefined} />
      <Loading when={detail.loading && !d}>
        {d && status && (
          <>
            <div class="card" data-testid="day-status">
              <span class={`badge day-status ${status.status}`}>
                {status.status === 'leave' && status.leave_type ? h.leaveType[status.leave_type] : h.dayStatus[status.status]}
              </span>
              <p class="item-meta">
                {status.hours ? w.hours(status.hours.start, status.hours.end) : (status.day_off_name ?? w.noWork)}
              </p>
              {status.first_in && <p>{h.unitDay.arrived(clock(status.first_in))}</p>}
              {status.last_out && <p>{h.unitDay.left(clock(status.last_out))}</p>}
              {(status.minutes_late ?? 0) > 0 && <p>{h.unitDay.lateBy(status.minutes_late ?? 0, status.late_band)}</p>}
              {(status.minutes_early ?? 0) > 0 && <p>{h.unitDay.earlyBy(status.minutes_early ?? 0, status.early_band)}</p>}
              {mayCorrect(me, nip) && (
                <a class="button" href={`/koreksi?nip=${nip}&tanggal=${day}`}>
                  {w.correct}
                </a>
              )}
            </div>
            <h2>{w.checkins}</h2>
            {d.checkins.length === 0 ? (
              <p class="empty">{w.none}</p>
            ) : (
              <ul class="list" data-testid="checkins">
                {d.checkins.map((c) => (
                  <CheckInItem key={c.checkin_id} c={c} nip={nip} day={day} />
                ))}
              </ul>
            )}
            <h2>{w.corrections}</h2>
            {d.corrections.length === 0 ? (
              <p class="empty">–</p>
            ) : (
              <ul class="list">
                {d.corrections.map((c) => (
                  <li key={c.correction_id} class="item item-link">
                    <span class="item-title">{h.dayStatus[c.status]}</span>
                    <span>{c.reason}</span>
                    <span class="item-meta">{w.correctionBy(c.by, dateTime(c.at))}</span>
                  </li>
                ))}
              </ul>
            )}
            <h2>{w.flags}</h2>
            {d.flags.length === 0 ? (
              <p class="empty">{w.noFlags}</p>
            ) : (
              <ul class="list">
                {d.flags.map((f) => (
                  <li key={f.flag_id} class="item item-link">
                    <span class="item-title">{h.flagKind[f.kind]}</span>
                    <span class="item-meta">
                      {dateTime(f.raised_at)}
                      {f.resolution && ` · ${w.review}: ${h.checkState[f.resolution.decision]}${f.resolution.note ? ` (${f.resolution.note})` : ''}`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}

function CheckInItem({ c, nip, day }: { c: CheckIn; nip: string; day: string }) {
  return (
    <li class="item item-link" data-testid="checkin">
      <span class="item-title">
        {c.kind === 'in' ? w.kindIn : w.kindOut} {clock(c.effective_at)}{' '}
        <span class={`badge check ${c.state}`}>{h.checkState[c.state]}</span>
      </span>
      <span class="item-meta">
        {c.distance_m == null ? '' : c.distance_m > 0 ? w.distance(c.distance_m) : w.inside}
        {c.distance_m == null ? '' : ' · '}
        {w.accuracy(c.accuracy_m)}
      </span>
      <span class="item-meta">
        {w.source}: {h.timeSource[c.time_source]}
        {c.offline && ` · ${w.offline}`}
        {` · ${w.from} ${h.checkInSource[c.source ?? 'native']}`}
      </span>
      {(c.reasons ?? []).length > 0 && (
        <span class="item-meta">
          {w.reasons}: {(c.reasons ?? []).map((r) => h.rejectReason[r]).join(', ')}
        </span>
      )}
      {(c.flags ?? []).length > 0 && <span class="item-meta">{(c.flags ?? []).map((f) => h.flagKind[f]).join(', ')}</span>}
      {c.selfie_key && <Selfie nip={nip} day={day} checkinId={c.checkin_id} time={clock(c.effective_at)} />}
    </li>
  );
}

function Selfie({ nip, day, checkinId, time }: { nip: string; day: string; checkinId: string; time: string }) {
  const { api } = useApp();
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  const show = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const link = await ok(
        api.GET('/attendance/days/{nip}/{day}/check-ins/{checkin_id}/selfie', {
          params: { path: { nip, day, checkin_id: checkinId } },
        }),
      );
      const bytes = await fetchBytes({ url: link.url, expires_at: link.expires_at, media_type: 'image/jpeg', size: 0 });
      setUrl(URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' })));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  if (url) return <img class="selfie" src={url} alt={w.selfieAlt(nip, time)} />;
  return (
    <span>
      <button type="button" class="button" onClick={() => void show()} disabled={busy}>
        {busy ? w.selfieLoading : w.selfie}
      </button>
      <ProblemNote error={problem} />
    </span>
  );
}
