// Terbitkan versi baru: the form filled from a published version (?dari=N), every value
// editable, published as the next version (the server numbers it; the one it came from stays).

import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { asDraft } from '../../lib/ruleSetDiff';
import { h } from '../../strings.heads';
import { r } from '../../strings.hr';
import { Loading, ProblemNote } from '../../ui/bits';
import '../../styles/heads.css';

type Draft = Schemas['RuleSetCreate'];
type Band = Schemas['Band-Input'];
const w = r.publish;
const rw = r.rules;

export function RuleSetNew() {
  const { api } = useApp();
  const { query } = useLocation();
  const from = Number(query['dari'] ?? 0);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [source, setSource] = useState<number | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [published, setPublished] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const load = async () => {
      const list = from ? [await ok(api.GET('/tpp/rule-sets/{version}', { params: { path: { version: from } } }))] : await ok(api.GET('/tpp/rule-sets'));
      const base = list[list.length - 1];
      if (base) {
        setSource(base.version);
        setDraft(asDraft(base));
      }
    };
    load().catch(setProblem);
  }, [from]);
  if (!draft) {
    return (
      <section class="screen">
        <h1>{w.title}</h1>
        <ProblemNote error={problem} />
        <Loading when={!problem} />
      </section>
    );
  }
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const rule = await ok(api.POST('/tpp/rule-sets', { body: draft }));
      setPublished(rule.version);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const text = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <section class="screen">
      <a class="back" href="/tpp/aturan">
        ← {rw.back}
      </a>
      <h1>{w.title}</h1>
      {source !== null && <p class="hint">{w.lead(source)}</p>}
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="form-grid">
          <Field id="rs-name" label={rw.name}>
            <input id="rs-name" type="text" required minLength={3} maxLength={120} value={draft.name} onInput={(e) => set({ name: text(e) })} />
          </Field>
          <Field id="rs-basis" label={rw.legalBasis}>
            <input id="rs-basis" type="text" maxLength={200} value={draft.legal_basis ?? ''} onInput={(e) => set({ legal_basis: text(e) || null })} />
          </Field>
          <Field id="rs-from" label={rw.effectiveFrom}>
            <input id="rs-from" type="date" required value={draft.effective_from} onInput={(e) => set({ effective_from: text(e) })} />
          </Field>
        </div>
        <Bands kind="TL" bands={draft.late_bands} onChange={(late_bands) => set({ late_bands })} />
        <Bands kind="PSW" bands={draft.early_bands} onChange={(early_bands) => set({ early_bands })} />
        <div class="form-grid">
          <Field id="rs-miss-in" label={w.missingBand(rw.missingIn)}>
            <input id="rs-miss-in" type="number" min={1} max={draft.late_bands.length} required value={draft.missing_check_in_band} onInput={(e) => set({ missing_check_in_band: Number(text(e)) })} />
          </Field>
          <Field id="rs-miss-out" label={w.missingBand(rw.missingOut)}>
            <input id="rs-miss-out" type="number" min={1} max={draft.early_bands.length} required value={draft.missing_check_out_band} onInput={(e) => set({ missing_check_out_band: Number(text(e)) })} />
          </Field>
          <Percent id="rs-absent" label={rw.absent} value={draft.absent_percent} onChange={(v) => set({ absent_percent: v ?? '0' })} />
          <Percent id="rs-maxday" label={rw.maxDay} value={draft.max_day_percent ?? null} optional onChange={(v) => set({ max_day_percent: v })} />
          <Percent id="rs-cap" label={rw.disciplineCap} value={draft.discipline_cap_percent} onChange={(v) => set({ discipline_cap_percent: v ?? '0' })} />
          <Field id="rs-cltn" label={rw.cltn}>
            <select id="rs-cltn" value={draft.cltn} onChange={(e) => set({ cltn: text(e) as Draft['cltn'] })}>
              {Object.entries(rw.values.cltn).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field id="rs-round" label={rw.rounding}>
            <select id="rs-round" value={draft.rounding} onChange={(e) => set({ rounding: text(e) as Draft['rounding'] })}>
              {Object.entries(rw.values.rounding).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <label class="check">
          <input type="checkbox" checked={draft.zero_without_presence} onChange={(e) => set({ zero_without_presence: (e.currentTarget as HTMLInputElement).checked })} />
          {rw.zeroWithoutPresence}
        </label>
        <fieldset>
          <legend>{w.leaveRates}</legend>
          <div class="form-grid">
            {Object.keys(draft.leave_percent).map((type) => (
              <Percent
                key={type}
                id={`rs-leave-${type}`}
                label={h.leaveType[type as keyof typeof h.leaveType] ?? type}
                value={draft.leave_percent[type] ?? '0'}
                onChange={(v) => set({ leave_percent: { ...draft.leave_percent, [type]: v ?? '0' } })}
              />
            ))}
          </div>
        </fieldset>
        <ProblemNote error={problem} />
        {published !== null ? (
          <p role="status" class="notice">
            {w.published(published)} <a href={`/tpp/aturan/${published}`}>{w.open}</a>
          </p>
        ) : (
          <button type="submit" class="button primary" disabled={busy}>
            {w.submit}
          </button>
        )}
      </form>
    </section>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: preact.ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

function Percent({
  id,
  label,
  value,
  optional,
  onChange,
}: {
  id: string;
  label: string;
  value: number | string | null;
  optional?: boolean;
  onChange: (v: string | null) => void;
}) {
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        type="number"
        min={0}
        max={100}
        step="0.01"
        required={!optional}
        inputMode="decimal"
        value={value == null ? '' : String(Number(value))}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          onChange(v === '' ? null : v);
        }}
      />
    </Field>
  );
}

function Bands({ kind, bands, onChange }: { kind: 'TL' | 'PSW'; bands: Band[]; onChange: (b: Band[]) => void }) {
  const change = (i: number, update: Partial<Band>) => onChange(bands.map((b, j) => (j === i ? { ...b, ...update } : b)));
  return (
    <fieldset>
      <legend>{w.bands(kind)}</legend>
      <div class="form-grid">
        {bands.map((band, i) => {
          const label = `${kind}${i + 1}`;
          const last = i === bands.length - 1;
          return (
            <div key={label} class="field">
              {!last && (
                <>
                  <label for={`${kind}-to-${i}`}>{w.upTo(label)}</label>
                  <input
                    id={`${kind}-to-${i}`}
                    type="number"
                    min={1}
                    max={1440}
                    required
                    value={band.up_to_minutes ?? ''}
                    onInput={(e) => change(i, { up_to_minutes: Number((e.currentTarget as HTMLInputElement).value) })}
                  />
                </>
              )}
              {last && <span class="hint">{w.lastBand}</span>}
              <label for={`${kind}-pct-${i}`}>{w.percent(label)}</label>
              <input
                id={`${kind}-pct-${i}`}
                type="number"
                min={0}
                max={100}
                step="0.01"
                inputMode="decimal"
                required
                value={String(Number(band.percent))}
                onInput={(e) => change(i, { percent: (e.currentTarget as HTMLInputElement).value })}
              />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
