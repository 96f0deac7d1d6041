// Presensi: where he is against his office's fence (with the accuracy, as it improves), his
// selfie, then "Presensi masuk" or "pulang". Online the check-in goes at once and its answer is
// shown in words; without a network it is kept on the phone with its time and the page's
// monotonic clock, and sent through the batch route when the network returns, each once.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { checkInOnline, made, pending, Unreachable, type CheckInResult, type CheckKind } from '../../lib/attendance';
import { CLOCK_SESSION } from '../../lib/clock';
import { judge, type Fence, type Verdict } from '../../lib/fenceDistance';
import type { Compressed } from '../../lib/selfie';
import { checkInOutbox as outbox } from '../../offline/checkinOutbox';
import { flushCheckIns } from '../../offline/checkinSending';
import type { OutboxState } from '../../offline/checkins';
import { problemWithCode } from '../../lib/problems';
import { s } from '../../strings.staff';
import { KeptNote, ProblemNote } from '../../ui/bits';
import { CheckResult } from './CheckResult';
import { Selfie } from './Selfie';
import { usePosition, type PositionState } from './usePosition';
import { useDevice, DevicePanel } from './Device';
import '../../styles/staff.css';

const w = s.checkIn;

type Office = Schemas['Office'];

export function CheckIn() {
  const { api, user, me, online } = useApp();
  const offices = useKept<Office[]>(`${user}:offices`, () => ok(api.GET('/offices')));
  const mine = useMemo(() => myFences(offices.data, me?.employee.office_ids ?? [], me?.unit.unit_id), [offices.data, me]);
  const position = usePosition();
  const verdict = position.kind === 'fix' && mine ? judge(position.fix, position.fix.accuracy_m, mine) : null;
  const [photo, setPhoto] = useState<Compressed | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [last, setLast] = useState<CheckInResult | null>(null);
  const [queuedNow, setQueuedNow] = useState(false);
  const box = useOutbox(user);
  const device = useDevice();

  const send = async (kind: CheckKind) => {
    if (position.kind !== 'fix' || !photo || !device.id) return;
    setProblem(undefined);
    setLast(null);
    setQueuedNow(false);
    const m = made(kind, position.fix, photo.blob);
    // Offline, the check-in takes the client_id of a challenge fetched ahead.
    const keep = async () => {
      const signed = await device.sign(m.client_id, true);
      await outbox.add(pending(user, device.id!, CLOCK_SESSION, { ...m, client_id: signed.client_id }, signed.extra));
      setQueuedNow(true);
    };
    try {
      if (!online || !navigator.onLine) await keep();
      else {
        setBusy(w.signing);
        const signed = await device.sign(m.client_id, false);
        setBusy(w.uploading);
        const result = await checkInOnline(api, device.id, { ...m, client_id: signed.client_id }, signed.extra);
        const reasons = result.reasons ?? [];
        const refusedDevice = reasons.includes('device_not_approved') || reasons.includes('device_bound_to_other');
        device.seen(!refusedDevice, reasons.includes('device_not_approved'));
        setLast(result);
      }
      setPhoto(null);
    } catch (error) {
      if (error instanceof Unreachable) {
        await keep().catch(setProblem);
        setPhoto(null);
      } else setProblem(error);
    } finally {
      setBusy(null);
    }
  };

  const ready = position.kind === 'fix' && photo !== null && device.id !== null && !busy;
  const poor = verdict?.kind === 'poor_accuracy';
  const outside = verdict?.kind === 'outside' || verdict?.kind === 'no_office';
  const label = (kind: CheckKind) => {
    const base = kind === 'in' ? w.checkIn : w.checkOut;
    return outside ? w.sendAnyway(base) : base;
  };

  return (
    <section class="screen staff">
      <h1>{w.title}</h1>
      <p class="item-meta">{w.lead}</p>
      <DevicePanel device={device} />
      <section class="card" aria-labelledby="place-title">
        <h2 id="place-title">{w.place}</h2>
        <Place position={position} verdict={verdict} known={mine !== null} />
        <KeptNote savedAt={offices.savedAt} fromDevice={offices.fromDevice} />
      </section>
      <Selfie photo={photo} onPhoto={setPhoto} />
      <div class="check-actions">
        {(['in', 'out'] as CheckKind[]).map((kind) => (
          <button
            key={kind}
            type="button"
            class={`button ${kind === 'in' ? 'primary' : ''}`}
            disabled={!ready || poor}
            onClick={() => void send(kind)}
          >
            {label(kind)}
          </button>
        ))}
      </div>
      {!busy && position.kind !== 'fix' && <p class="item-meta">{w.needFix}</p>}
      {!busy && position.kind === 'fix' && !photo && <p class="item-meta">{w.needPhoto}</p>}
      {busy && (
        <p role="status" aria-busy="true">
          {busy}
        </p>
      )}
      <ProblemNote error={problem} />
      <div role="status" aria-live="polite">
        {queuedNow && <p class="notice">{w.queued}</p>}
        {last && <CheckResult result={last} />}
      </div>
      <Waiting box={box} onSend={() => void flushCheckIns(api, user)} />
    </section>
  );
}

/** His fences: the offices his record names, else his unit's (as the server defaults). */
function myFences(all: Office[] | undefined, ids: string[], unitId: string | undefined): Fence[] | null {
  if (!all) return null;
  const named = ids.length > 0 ? all.filter((o) => ids.includes(o.office_id)) : all.filter((o) => o.unit_id === unitId);
  return named;
}

function Place({ position, verdict, known }: { position: PositionState; verdict: Verdict | null; known: boolean }) {
  if (position.kind === 'unsupported') return <p class="problem">{w.noGeolocation}</p>;
  if (position.kind === 'denied') return <p class="problem" role="alert" data-testid="place">{w.denied}</p>;
  if (position.kind === 'locating') return <p aria-busy="true">{w.locating}</p>;
  if (position.kind === 'error') return <p class="problem">{w.locationError}</p>;
  const accuracy = (
    <p class="accuracy" data-testid="accuracy">
      {w.accuracy(position.fix.accuracy_m)}
    </p>
  );
  if (!known || !verdict)
    return (
      <>
        {accuracy}
        <p class="item-meta">{w.officesUnknown}</p>
      </>
    );
  let words: string;
  let tone = 'problem';
  switch (verdict.kind) {
    case 'poor_accuracy':
      words = w.poorAccuracy(verdict.accuracy_m, verdict.limit_m);
      tone = 'warning';
      break;
    case 'no_office':
      words = w.noOffice;
      break;
    case 'outside':
      words = w.outside(verdict.nearest.office.name, verdict.beyond_m);
      break;
    case 'inside':
      words = w.nearEdge(verdict.nearest.office.name, verdict.nearest.edge_m);
      tone = 'notice';
      break;
  }
  return (
    <>
      {accuracy}
      <p class={tone} data-testid="place" data-verdict={verdict.kind}>
        {words}
      </p>
    </>
  );
}

/** The user's part of the outbox, as the app-wide sender (offline/checkinSending.ts) empties it. */
function useOutbox(user: string): OutboxState {
  const [state, setState] = useState<OutboxState>({ pending: [], answered: [] });
  useEffect(() => {
    void outbox.state().then(setState);
    return outbox.subscribe(setState);
  }, []);
  return {
    ...state,
    pending: state.pending.filter((p) => p.user === user),
    answered: state.answered.filter((a) => a.user === user),
  };
}

function Waiting({ box, onSend }: { box: OutboxState; onSend: () => void }) {
  if (box.pending.length === 0 && box.answered.length === 0) return null;
  return (
    <section class="card" aria-labelledby="kept-title">
      <h2 id="kept-title">{w.results}</h2>
      {box.pending.length > 0 && (
        <div class="waiting-row">
          <p data-testid="checkins-waiting">{w.waiting(box.pending.length)}</p>
          <button type="button" class="button" onClick={onSend}>
            {w.sendNow}
          </button>
        </div>
      )}
      {box.refused && (
        <p class="problem" role="alert">
          {w.batchRefused} {problemWithCode(box.refused)}
        </p>
      )}
      <div data-testid="checkins-answered">
        {box.answered.slice(0, 5).map((a) => (
          <CheckResult key={a.result.client_id} result={a.result} />
        ))}
      </div>
    </section>
  );
}
