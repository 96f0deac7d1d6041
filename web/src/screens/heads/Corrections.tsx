// Koreksi: say what a day was (present with times, absent, or leave of a type), with a reason
// kept in its history. The API allows it to the employee's heads (this month and last) and to
// admins, never on their own days (ADR 0028, attendance/corrections.py), and checks the values
// (invalid_correction); its refusals are shown in Bahasa. Opened from a day's detail with the NIP and date filled in.

import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { todayWita } from '../../lib/months';
import { h } from '../../strings.heads';
import { ProblemNote } from '../../ui/bits';
import '../../styles/heads.css';

type LeaveType = Schemas['LeaveType'];
const w = h.corrections;
const STATUSES = ['present', 'absent', 'leave'] as const;

/** "07:30" on "2026-12-07" in WITA as an instant the API reads. */
export function witaInstant(day: string, time: string): string | null {
  return time ? `${day}T${time}:00+08:00` : null;
}

export function Corrections() {
  const { api } = useApp();
  const { query } = useLocation();
  const [nip, setNip] = useState(query['nip'] ?? '');
  const [day, setDay] = useState(query['tanggal'] ?? todayWita());
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('present');
  const [leaveType, setLeaveType] = useState<LeaveType>('izin');
  const [firstIn, setFirstIn] = useState('');
  const [lastOut, setLastOut] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    setSaved(false);
    try {
      await ok(
        api.POST('/attendance/days/{nip}/{day}/corrections', {
          params: { path: { nip: nip.trim(), day } },
          body: {
            status,
            reason: reason.trim(),
            leave_type: status === 'leave' ? leaveType : null,
            first_in: status === 'present' ? witaInstant(day, firstIn) : null,
            last_out: status === 'present' ? witaInstant(day, lastOut) : null,
          },
        }),
      );
      setSaved(true);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const input = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  return (
    <section class="screen">
      <h1>{w.title}</h1>
      <p class="hint">{w.lead}</p>
      <p class="hint">{w.who}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="form-grid">
          <div class="field">
            <label for="c-nip">{w.nip}</label>
            <input id="c-nip" type="text" inputMode="numeric" required value={nip} onInput={input(setNip)} />
          </div>
          <div class="field">
            <label for="c-day">{w.day}</label>
            <input id="c-day" type="date" required value={day} onInput={input(setDay)} />
          </div>
          <div class="field">
            <label for="c-status">{w.status}</label>
            <select id="c-status" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as typeof status)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {h.dayStatus[s]}
                </option>
              ))}
            </select>
          </div>
          {status === 'leave' && (
            <div class="field">
              <label for="c-leave">{w.leaveType}</label>
              <select id="c-leave" value={leaveType} onChange={(e) => setLeaveType((e.currentTarget as HTMLSelectElement).value as LeaveType)}>
                {(Object.keys(h.leaveType) as LeaveType[]).map((t) => (
                  <option key={t} value={t}>
                    {h.leaveType[t]}
                  </option>
                ))}
              </select>
            </div>
          )}
          {status === 'present' && (
            <>
              <div class="field">
                <label for="c-in">{w.firstIn}</label>
                <input id="c-in" type="time" value={firstIn} onInput={input(setFirstIn)} />
              </div>
              <div class="field">
                <label for="c-out">{w.lastOut}</label>
                <input id="c-out" type="time" value={lastOut} onInput={input(setLastOut)} />
              </div>
            </>
          )}
        </div>
        <div class="field">
          <label for="c-reason">{w.reason}</label>
          <textarea id="c-reason" required minLength={5} maxLength={500} aria-describedby="c-reason-hint" value={reason} onInput={input(setReason)} />
          <span id="c-reason-hint" class="hint">
            {w.reasonHint}
          </span>
        </div>
        <button type="submit" class="button primary" disabled={busy}>
          {w.submit}
        </button>
        {saved && (
          <p role="status" class="notice">
            {w.saved}
          </p>
        )}
        <ProblemNote error={problem} />
      </form>
    </section>
  );
}
