// Hukuman disiplin: the penalties in force in a month, a new one entered (NIP, percentage, first
// month, how many months, reason, the decree's number), and one entered in error withdrawn with
// a reason.

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime } from '../../lib/format';
import { currentMonth, monthLabel } from '../../lib/months';
import { percent } from '../../lib/ruleSetDiff';
import { r } from '../../strings.hr';
import { KeptList, ProblemNote, RefreshButton } from '../../ui/bits';
import { MonthPicker } from './MonthPicker';
import '../../styles/heads.css';

type Penalty = Schemas['Penalty'];
const w = r.penalties;

export function Penalties() {
  const { api, user } = useApp();
  const [month, setMonth] = useState(currentMonth());
  const list = useKept(`${user}:penalties:${month}`, () => ok(api.GET('/tpp/penalties', { params: { query: { month } } })));
  const items = list.data ?? [];
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={list.loading} onClick={() => void list.reload()} />
      </div>
      <p class="hint">{w.lead}</p>
      <div class="filters">
        <MonthPicker id="pen-month" value={month} onChange={setMonth} />
      </div>
      <h2>{w.inForce(monthLabel(month))}</h2>
      <KeptList kept={list} items={items} empty={w.empty} testId="penalties">
        {(p) => <PenaltyItem key={p.penalty_id} p={p} onChange={() => void list.reload()} />}
      </KeptList>
      <AddPenalty month={month} onAdded={() => void list.reload()} />
    </section>
  );
}

function PenaltyItem({ p, onChange }: { p: Penalty; onChange: () => void }) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<unknown>(undefined);
  const cancel = async () => {
    setProblem(undefined);
    try {
      await ok(api.POST('/tpp/penalties/{penalty_id}/cancel', { params: { path: { penalty_id: p.penalty_id } }, body: { reason: reason.trim() } }));
      setOpen(false);
      onChange();
    } catch (error) {
      setProblem(error);
    }
  };
  const id = `cancel-${p.penalty_id}`;
  return (
    <li class="item item-link">
      <span class="item-title">
        NIP {p.nip} · {percent(p.percent)}
      </span>
      <span>{w.period(monthLabel(p.from_month), monthLabel(p.until_month))}</span>
      <span>{p.reason}</span>
      <span class="item-meta">
        {w.decree}: {p.decree_number} · {w.by(p.created_by, dateTime(p.created_at))}
      </span>
      {p.cancelled ? (
        <span class="badge quiet">{w.cancelled(p.cancelled.reason)}</span>
      ) : open ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void cancel();
          }}
        >
          <label for={id}>{w.cancelReason}</label>
          <textarea id={id} required minLength={5} maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button type="submit" class="button danger">
              {w.cancelConfirm}
            </button>
            <button type="button" class="button" onClick={() => setOpen(false)}>
              {r.reports.cancel}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="button" onClick={() => setOpen(true)}>
          {w.cancel}
        </button>
      )}
      <ProblemNote error={problem} />
    </li>
  );
}

function AddPenalty({ month, onAdded }: { month: string; onAdded: () => void }) {
  const { api } = useApp();
  const empty = { nip: '', percent: '', from_month: month, months: '1', reason: '', decree_number: '' };
  const [form, setForm] = useState(empty);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [added, setAdded] = useState(false);
  const field = (key: keyof typeof empty) => (e: Event) => {
    setAdded(false);
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  };
  const submit = async () => {
    setProblem(undefined);
    try {
      await ok(
        api.POST('/tpp/penalties', {
          body: { ...form, nip: form.nip.trim(), months: Number(form.months), reason: form.reason.trim(), decree_number: form.decree_number.trim() },
        }),
      );
      setForm({ ...empty, from_month: form.from_month });
      setAdded(true);
      onAdded();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <form
      class="card"
      aria-labelledby="add-penalty"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="add-penalty">{w.add}</h2>
      <div class="form-grid">
        <div class="field">
          <label for="p-nip">{w.nip}</label>
          <input id="p-nip" type="text" inputMode="numeric" pattern="[0-9]{18}" required value={form.nip} onInput={field('nip')} />
        </div>
        <div class="field">
          <label for="p-pct">{w.percent}</label>
          <input id="p-pct" type="number" min={0.01} max={100} step="0.01" inputMode="decimal" required value={form.percent} onInput={field('percent')} />
        </div>
        <div class="field">
          <label for="p-from">{w.fromMonth}</label>
          <input id="p-from" type="month" required value={form.from_month} onInput={field('from_month')} />
        </div>
        <div class="field">
          <label for="p-months">{w.months}</label>
          <input id="p-months" type="number" min={1} max={36} required value={form.months} onInput={field('months')} />
        </div>
        <div class="field">
          <label for="p-decree">{w.decree}</label>
          <input id="p-decree" type="text" required minLength={3} maxLength={100} value={form.decree_number} onInput={field('decree_number')} />
        </div>
      </div>
      <div class="field">
        <label for="p-reason">{w.reason}</label>
        <textarea id="p-reason" required minLength={5} maxLength={500} value={form.reason} onInput={field('reason')} />
      </div>
      <button type="submit" class="button primary">
        {w.submit}
      </button>
      {added && (
        <p role="status" class="notice">
          {w.added}
        </p>
      )}
      <ProblemNote error={problem} />
    </form>
  );
}
