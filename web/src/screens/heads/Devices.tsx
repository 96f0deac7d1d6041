// Perangkat: phones waiting for approval, and releasing an employee's bound phone. His heads
// (and their Plt./Plh.) see and decide their units' requests, admins every one (ADR 0028,
// attendance/devices.py); nobody his own.

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime } from '../../lib/format';
import { h } from '../../strings.heads';
import { KeptList, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/heads.css';

type DeviceRequest = Schemas['DeviceRequestView'];
const w = h.devices;

export function Devices() {
  const { api, user } = useApp();
  const requests = useKept(`${user}:device-requests`, () => ok(api.GET('/attendance/devices/requests')));
  const items = requests.data ?? [];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={requests.loading} onClick={() => void requests.reload()} />
      </div>
      <p class="hint">{w.lead}</p>
      <KeptList kept={requests} items={items} empty={w.empty} testId="device-requests">
        {(r) => <RequestItem key={`${r.nip}:${r.device}`} r={r} />}
      </KeptList>
      <Release />
    </section>
  );
}

function RequestItem({ r }: { r: DeviceRequest }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const approve = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await ok(api.POST('/attendance/devices/requests/{nip}/{device}/approve', { params: { path: { nip: r.nip, device: r.device } } }));
      setDone(true);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="item item-link">
      <span class="item-title">{r.name ?? `NIP ${r.nip}`}</span>
      {r.name && <span class="item-meta">NIP {r.nip}</span>}
      <span class="item-meta">{w.requested(dateTime(r.requested_at))}</span>
      <span class="item-meta hash">
        {w.device}: {r.device.slice(0, 16)}
      </span>
      {done ? (
        <p role="status" class="notice">
          {w.approved}
        </p>
      ) : (
        <button type="button" class="button primary" disabled={busy} onClick={() => void approve()}>
          {w.approve}
        </button>
      )}
      <ProblemNote error={problem} />
    </li>
  );
}

function Release() {
  const { api } = useApp();
  const [nip, setNip] = useState('');
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const release = async () => {
    setProblem(undefined);
    setDone(false);
    if (!window.confirm(w.confirmRelease(nip))) return;
    try {
      await ok(api.DELETE('/attendance/devices/{nip}', { params: { path: { nip: nip.trim() } } }));
      setDone(true);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <form
      class="panel card"
      aria-labelledby="release-title"
      onSubmit={(e) => {
        e.preventDefault();
        void release();
      }}
    >
      <h2 id="release-title">{w.release}</h2>
      <p class="hint">{w.releaseLead}</p>
      <div class="field">
        <label for="release-nip">{w.releaseNip}</label>
        <input id="release-nip" type="text" inputMode="numeric" pattern="[0-9]{18}" required value={nip} onInput={(e) => setNip((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="button danger">
        {w.release}
      </button>
      {done && (
        <p role="status" class="notice">
          {w.released}
        </p>
      )}
      <ProblemNote error={problem} />
    </form>
  );
}
